using System.Globalization;
using System.Text;
using System.Text.Json;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Filtering;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.BuildingBlocks.Tests;

internal sealed class Wide
{
    public int Id { get; set; }
    public string Street { get; set; } = "";
    public string? Note { get; set; }
    public int Count { get; set; }
    public int? MaybeCount { get; set; }
    public long Big { get; set; }
    public double Ratio { get; set; }
    public decimal Money { get; set; }
    public bool Flag { get; set; }
    public Guid Key { get; set; }
    public DateOnly Born { get; set; }
    public DateTimeOffset At { get; set; }
    public Round Stage { get; set; }
}

internal sealed class WideContext(DbContextOptions<WideContext> options) : DbContext(options)
{
    public DbSet<Wide> Rows => Set<Wide>();
}

/// <summary>
/// Property test of the GraphQL filter parser: seeded random filters over every value type the translator supports
/// (text with random Unicode, ё/е and Kyrgyz letters, huge and tiny numbers, wrong types, deep nesting) either translate
/// into a query SQLite runs, or fail with one of the documented codes. Nothing else may escape.
/// </summary>
public sealed class FilterFuzzTests : IDisposable
{
    private const int Seed = 20261128;
    private static readonly string[] DocumentedCodes = ["FILTER_INVALID", "FILTER_TOO_DEEP", "FILTER_TOO_COMPLEX"];

    private static readonly FilterSchema<Wide> Schema = new FilterSchema<Wide>()
        .Field("street", w => w.Street)
        .Field("note", w => w.Note)
        .Field("count", w => w.Count)
        .Field("maybeCount", w => w.MaybeCount)
        .Field("big", w => w.Big)
        .Field("ratio", w => w.Ratio)
        .Field("money", w => w.Money)
        .Field("flag", w => w.Flag)
        .Field("key", w => w.Key)
        .Field("born", w => w.Born)
        .Field("at", w => w.At)
        .Field("stage", w => w.Stage);

    private static readonly string[] Names =
        [.. Schema.FieldNames, "and", "or", "and", "or", "id", "", "Street", "eq", "\u0000", "ё", "көчө"];

    private static readonly string[] Ops = ["eq", "neq", "in", "gt", "gte", "lt", "lte", "contains", "like", "EQ", ""];

    private static readonly string[] Words =
        ["Ленина", "Лёнина", "ёлка", "Чүй", "Манас көчөсү", "Үмөт", "Жаңы-Жер", "ңөү", "ЁӨҮҢ", "мкр", "'; DROP TABLE Rows; --",
         "<script>alert(1)</script>", "%", "_", "\\", "\u202E", "\uFEFF", "😀", "StageOne", "stagetwo", "2026-02-30", "2026-04-01",
         "2026-04-01T10:00:00+06:00", "00000000-0000-0000-0000-000000000001", "not-a-guid", "true", "NaN"];

    private static readonly string[] Numbers =
        ["0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
         "99999999999999999999999999999999", "1e400", "-1e400", "1e-400", "1.5", "0.1e1", "79228162514264337593543950336",
         "1E+308", "4.9E-324"];

    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly WideContext _db;
    private readonly Random _random = new(Seed);

    public FilterFuzzTests()
    {
        _connection.Open();
        _db = new WideContext(new DbContextOptionsBuilder<WideContext>().UseSqlite(_connection).Options);
        _db.Database.EnsureCreated();
        for (var i = 0; i < 20; i++)
        {
            _db.Rows.Add(new Wide
            {
                Street = Words[i % Words.Length], Note = i % 3 == 0 ? null : "note " + i, Count = i, MaybeCount = i % 2 == 0 ? null : i,
                Big = i * 1_000_000_000L, Ratio = i / 3.0, Money = i * 1.25m, Flag = i % 2 == 0, Key = Guid.NewGuid(),
                Born = new DateOnly(2019, 1, 1).AddDays(i * 17), At = DateTimeOffset.UnixEpoch.AddDays(20_000 + i), Stage = (Round)(i % 2),
            });
        }

        _db.SaveChanges();
    }

    public void Dispose()
    {
        _db.Dispose();
        _connection.Dispose();
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private string RandomText()
    {
        var text = new StringBuilder();
        var length = _random.Next(0, 12);
        while (text.Length < length)
        {
            switch (_random.Next(5))
            {
                case 0:
                    text.Append((char)_random.Next(0x20, 0xD800)); // any BMP character below the surrogates
                    break;
                case 1:
                    text.Append((char)_random.Next(0x400, 0x500)); // Cyrillic block, Kyrgyz letters included
                    break;
                case 2:
                    text.Append("ёЁөӨүҮңҢ"[_random.Next(8)]);
                    break;
                case 3:
                    text.Append((char)_random.Next(0, 0x20)); // control characters
                    break;
                default:
                    text.Append(Pick(Words));
                    break;
            }
        }

        return JsonSerializer.Serialize(_random.Next(20) == 0 ? new string('я', 250) : text.ToString());
    }

    private string Value(int depth) => _random.Next(9) switch
    {
        0 => "null",
        1 or 2 => Pick(Numbers),
        3 or 4 => RandomText(),
        5 => _random.Next(2) == 0 ? "true" : "false",
        6 when depth < 2 => "[" + string.Join(",", Enumerable.Range(0, _random.Next(0, _random.Next(10) == 0 ? 120 : 4)).Select(_ => Value(depth + 1))) + "]",
        7 => _random.Next(2) == 0 ? "{}" : "{\"eq\": 1}",
        _ => _random.Next(1_000_000).ToString(CultureInfo.InvariantCulture),
    };

    private string Node(int depth)
    {
        var keys = Enumerable.Range(0, _random.Next(0, 4)).Select(_ =>
        {
            var name = Pick(Names);
            var key = JsonSerializer.Serialize(name);
            if (name is "and" or "or" && depth < 8)
            {
                return $"{key}: [{string.Join(",", Enumerable.Range(0, _random.Next(0, 3)).Select(_ => Node(depth + 1)))}]";
            }

            if (_random.Next(6) == 0)
            {
                return $"{key}: {Value(0)}";
            }

            var ops = Enumerable.Range(0, _random.Next(0, 3)).Select(_ => $"{JsonSerializer.Serialize(Pick(Ops))}: {Value(0)}");
            return $"{key}: {{{string.Join(",", ops)}}}";
        });
        return "{" + string.Join(",", keys) + "}";
    }

    [Fact]
    public void Thousands_of_random_filters_translate_and_run_or_fail_with_a_documented_code()
    {
        var translated = 0;
        var refused = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var json = i % 50 == 0 ? Value(0) : Node(0); // sometimes not even an object
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
            try
            {
                var filter = FilterTranslator.Translate(document.RootElement, Schema);
                _ = _db.Rows.Where(filter).Take(3).ToList();
                translated++;
            }
            catch (RuleViolation e)
            {
                Assert.True(DocumentedCodes.Contains(e.Code), $"undocumented code {e.Code} for {json}");
                Assert.DoesNotContain("Exception", e.Message, StringComparison.Ordinal);
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name} ({e.Message}) escaped for filter #{i}: {json}");
            }
        }

        // The generator must exercise both outcomes, or the property says nothing.
        Assert.True(translated > 200, $"only {translated} filters translated");
        Assert.True(refused > 200, $"only {refused} filters refused");
    }

    [Theory]
    [InlineData("""{ "ratio": { "gt": 1e400 } }""")]
    [InlineData("""{ "money": { "eq": 79228162514264337593543950336 } }""")]
    [InlineData("""{ "big": { "in": [9223372036854775808] } }""")]
    [InlineData("""{ "born": { "eq": "2026-02-30" } }""")]
    [InlineData("""{ "born": { "eq": 20260401 } }""")]
    [InlineData("""{ "at": { "lt": "yesterday" } }""")]
    [InlineData("""{ "key": { "eq": "not-a-guid" } }""")]
    [InlineData("""{ "flag": { "eq": "yes" } }""")]
    [InlineData("""{ "stage": { "eq": 1 } }""")]
    [InlineData("""{ "maybeCount": { "gte": "1" } }""")]
    public void Out_of_range_and_wrong_typed_values_are_filter_invalid(string json)
    {
        using var document = JsonDocument.Parse(json);
        var error = Assert.ThrowsAny<RuleViolation>(() => FilterTranslator.Translate(document.RootElement, Schema));
        Assert.Equal("FILTER_INVALID", error.Code);
    }

    [Fact]
    public void Cyrillic_and_kyrgyz_text_is_matched_as_written()
    {
        using var document = JsonDocument.Parse("""{ "street": { "contains": "көчө" } }""");
        var found = _db.Rows.Where(FilterTranslator.Translate(document.RootElement, Schema)).Select(r => r.Street).ToList();
        Assert.Equal(["Манас көчөсү"], found.Distinct());
    }
}
