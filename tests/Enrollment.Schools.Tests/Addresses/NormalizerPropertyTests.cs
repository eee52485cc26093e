using System.Text;
using Enrollment.Schools.Domain.Addresses;

namespace Enrollment.Schools.Tests.Addresses;

/// <summary>
/// Properties of the address normalizer over seeded random street names built from Russian and Kyrgyz words, street-type
/// words, numbers (huge ones included) and noise: it never throws, normalizing is idempotent, and spellings that differ
/// only by ё/е, Kyrgyz ө/ү/ң vs о/у/н, letter case, spaces or punctuation give the same key.
/// </summary>
public sealed class NormalizerPropertyTests
{
    private const int Seed = 20261128;
    private const int Cases = 5_000;

    private static readonly string[] Words =
        ["Ленина", "Чүй", "Манас", "Токтогул", "Жибек-Жолу", "Ата-Түрк", "Ибраимова", "Үмөт", "Мөңкө", "Жаңы-Жер", "Ёлкина",
         "Фрунзе", "Өрүк", "Ысык-Көл", "Советская", "Аламүдүн", "Сыдыкова", "Кара-Жыгач", "Боконбаева", "Шопокова"];

    private static readonly string[] Types = ["ул.", "улица", "көчөсү", "пр-т", "проспект", "пер.", "бульвар", "мкр", "кичи району", "ж/м", "street"];

    private static readonly string[] Numbers =
        ["1", "5-й", "12", "007", "99999", "2147483648", "99999999999999999999999999999999", "1е10", "0", "-1", "12/3", "12А"];

    private static readonly string[] Noise = [" ", "  ", "\t", ",", ".", "\"", "«", "»", "\u00AD", "\u200B", "\u0000", "\u202E", "😀", "\uD800"];

    private static IEnumerable<string> RandomNames()
    {
        var random = new Random(Seed);
        var text = new StringBuilder();
        for (var i = 0; i < Cases; i++)
        {
            text.Clear();
            var parts = random.Next(1, 6);
            for (var p = 0; p < parts; p++)
            {
                switch (random.Next(6))
                {
                    case 0:
                        text.Append(Types[random.Next(Types.Length)]);
                        break;
                    case 1:
                        text.Append(Numbers[random.Next(Numbers.Length)]);
                        break;
                    case 2:
                        text.Append(Noise[random.Next(Noise.Length)]);
                        break;
                    case 3:
                        text.Append((char)random.Next(0x400, 0x530)); // Cyrillic and its supplement
                        break;
                    default:
                        text.Append(Words[random.Next(Words.Length)]);
                        break;
                }

                text.Append(random.Next(3) == 0 ? "" : " ");
            }

            yield return text.ToString();
        }
    }

    /// <summary>The same name as a careless clerk types it: ё→е, Kyrgyz letters folded, random case, doubled spaces.</summary>
    private static string Respell(string value, Random random)
    {
        var text = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            var folded = c switch
            {
                'ё' => 'е', 'Ё' => 'Е', 'ө' => 'о', 'Ө' => 'О', 'ү' => 'у', 'Ү' => 'У', 'ң' => 'н', 'Ң' => 'Н', _ => c,
            };
            var cased = random.Next(2) == 0 ? char.ToUpperInvariant(folded) : char.ToLowerInvariant(folded);
            text.Append(char.IsLetter(c) && char.IsLetter(cased) ? cased : folded);
            if (c == ' ' && random.Next(3) == 0)
            {
                text.Append(' ');
            }
        }

        return text.ToString();
    }

    [Fact]
    public void Random_street_names_never_throw_and_normalize_idempotently()
    {
        var count = 0;
        foreach (var name in RandomNames())
        {
            var key = StreetNameNormalizer.Normalize(name);
            Assert.NotNull(key);
            Assert.Equal(key, StreetNameNormalizer.Normalize(key));
            Assert.DoesNotContain("  ", key, StringComparison.Ordinal);
            Assert.Equal(key.Trim(), key);
            count++;
        }

        Assert.Equal(Cases, count);
    }

    [Fact]
    public void Yo_kyrgyz_letters_case_and_spacing_do_not_change_the_key()
    {
        var random = new Random(Seed + 1);
        foreach (var name in RandomNames())
        {
            var respelled = Respell(name, random);
            Assert.True(StreetNameNormalizer.AreEquivalent(name, respelled), $"'{name}' vs '{respelled}'");
        }
    }

    [Theory]
    [InlineData("ул. Мөңкө", "ул. Монко")]
    [InlineData("Ёлкина улица", "елкина")]
    [InlineData("ҮМӨТ көчөсү", "умот")]
    [InlineData("Жаңы-Жер ж/м", "жаны жер")]
    public void Kyrgyz_and_yo_spellings_meet_on_one_key(string left, string right)
    {
        Assert.Equal(StreetNameNormalizer.Normalize(right), StreetNameNormalizer.Normalize(left));
    }

    [Theory]
    [InlineData("99999999999999999999999999999999")]
    [InlineData("2147483648")]
    [InlineData("1е10")]
    [InlineData("-1")]
    [InlineData("0")]
    public void Huge_or_impossible_house_numbers_are_not_read(string value)
    {
        Assert.False(HouseNumber.TryParse(value, out _));
    }
}
