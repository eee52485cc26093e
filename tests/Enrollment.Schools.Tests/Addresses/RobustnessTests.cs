using System.Text;
using Enrollment.Schools.Domain.Addresses;

namespace Enrollment.Schools.Tests.Addresses;

public sealed class RobustnessTests
{
    private const int Seed = 20260401;

    private static readonly string[] Fragments =
    [
        "ул.", "улица", "көчөсү", "пр-т", "мкр", "кичи району", "ж/м", "street", "Ленина", "Чүй", "ё", "№", "д.", "корп.",
        "к", "/", "-", ",", ":", "list:", "odd:", "even:", "*", "1-49", "12А", "12/3", " ", "\t", "\u0000", "\u0306", "\u0308",
        "\uD800", "\uDC00", "\uD83D\uDE00", "\u00AD", "\u200B", "{", "}", "[", "]", "\"", "type", "Polygon", "coordinates",
        "1e999", "-0", "9999999999", "NaN",
    ];

    /// <summary>10,000 random strings mixing random code units (control chars, lone surrogates) and domain fragments.</summary>
    private static IEnumerable<string> RandomStrings()
    {
        var random = new Random(Seed);
        var text = new StringBuilder();
        for (int i = 0; i < 10_000; i++)
        {
            text.Clear();
            int length = i % 500 == 0 ? random.Next(5_000, 50_000) : random.Next(0, 40);
            while (text.Length < length)
            {
                switch (random.Next(4))
                {
                    case 0:
                        text.Append((char)random.Next(0, 0x10000)); // any UTF-16 code unit, surrogates included
                        break;
                    case 1:
                        text.Append((char)random.Next(0, 0x80));
                        break;
                    case 2:
                        text.Append((char)random.Next(0x400, 0x500));
                        break;
                    default:
                        text.Append(Fragments[random.Next(Fragments.Length)]);
                        break;
                }
            }

            yield return text.ToString();
        }
    }

    [Fact]
    public void Random_strings_never_make_the_parsers_throw()
    {
        int count = 0;
        foreach (string value in RandomStrings())
        {
            string key = StreetNameNormalizer.Normalize(value);
            Assert.NotNull(key);
            if (HouseNumber.TryParse(value, out HouseNumber house))
            {
                Assert.InRange(house.Number, 1, HouseNumber.MaxValue);
            }

            if (!HouseNumberSet.TryParse(value, out HouseNumberSet? set, out string? setError))
            {
                Assert.False(string.IsNullOrWhiteSpace(setError));
            }
            else
            {
                Assert.NotNull(set);
            }

            if (!GeoJsonPolygon.TryParse(value, out GeoJsonPolygon? polygon, out string? geoError))
            {
                Assert.False(string.IsNullOrWhiteSpace(geoError));
            }
            else
            {
                Assert.NotNull(polygon.Validate());
            }
            count++;
        }

        Assert.Equal(10_000, count);
    }

    [Fact]
    public void Normalizing_a_key_again_gives_the_same_key()
    {
        foreach (string value in RandomStrings())
        {
            string key = StreetNameNormalizer.Normalize(value);
            Assert.Equal(key, StreetNameNormalizer.Normalize(key));
        }
    }

    [Fact]
    public void A_read_house_number_reads_back_from_its_canonical_form()
    {
        foreach (string value in RandomStrings())
        {
            if (HouseNumber.TryParse(value, out HouseNumber house))
            {
                Assert.True(HouseNumber.TryParse(house.ToString(), out HouseNumber again), value);
                Assert.Equal(house, again);
            }
        }
    }

    [Fact]
    public void Random_queries_never_make_the_index_throw()
    {
        var index = new MicrodistrictIndex(
            [new MicrodistrictRule(Guid.NewGuid(), "1", "ул. Ленина", HouseNumberSet.Parse("1-49"))],
            [new MicrodistrictPolygon(Guid.NewGuid(), GeoJsonPolygon.FromRings([(0, 0), (0, 1), (1, 1), (1, 0), (0, 0)]))]);
        var random = new Random(Seed);
        foreach (string value in RandomStrings().Take(2_000))
        {
            double? lat = random.Next(3) == 0 ? null : (random.NextDouble() * 400) - 200;
            ResolutionResult result = index.Resolve(new AddressQuery(value.Length % 2 == 0 ? "1" : value, value, value, lat, lat));
            Assert.NotNull(result);
        }

        Assert.True(index.Resolve(new AddressQuery("1", "x", "1", double.PositiveInfinity, double.NegativeInfinity)).Matches.Count == 0);
        Assert.True(index.Resolve(new AddressQuery("1", "x", "1", double.MaxValue, -double.MaxValue)).Matches.Count == 0);
    }
}
