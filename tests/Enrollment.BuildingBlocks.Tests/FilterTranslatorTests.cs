using System.Text.Json;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Filtering;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.BuildingBlocks.Tests;

internal enum Round { StageOne, StageTwo }

internal sealed class Fact
{
    public int Id { get; set; }
    public string District { get; set; } = "";
    public string Language { get; set; } = "";
    public int BirthYear { get; set; }
    public Round Stage { get; set; }
    public string? Note { get; set; }
    public string SecretName { get; set; } = "";
}

internal sealed class FactsContext(DbContextOptions<FactsContext> options) : DbContext(options)
{
    public DbSet<Fact> Facts => Set<Fact>();
}

public sealed class FilterTranslatorTests : IDisposable
{
    private static readonly FilterSchema<Fact> Schema = new FilterSchema<Fact>()
        .Field("district", f => f.District)
        .Field("language", f => f.Language)
        .Field("birthYear", f => f.BirthYear)
        .Field("stage", f => f.Stage)
        .Field("note", f => f.Note);

    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly FactsContext _db;

    public FilterTranslatorTests()
    {
        _connection.Open();
        _db = new FactsContext(new DbContextOptionsBuilder<FactsContext>().UseSqlite(_connection).Options);
        _db.Database.EnsureCreated();
        var districts = new[] { "D0101", "D0102", "D0701" };
        var languages = new[] { "ky", "ru", "uz" };
        for (var i = 0; i < 90; i++)
        {
            _db.Facts.Add(new Fact
            {
                District = districts[i % 3], Language = languages[i / 3 % 3], BirthYear = 2017 + i % 4,
                Stage = i % 2 == 0 ? Round.StageOne : Round.StageTwo, Note = i % 5 == 0 ? null : $"note {i}", SecretName = "Айгерим",
            });
        }

        _db.SaveChanges();
    }

    public void Dispose()
    {
        _db.Dispose();
        _connection.Dispose();
    }

    private List<Fact> Run(string json) => [.. _db.Facts.Where(FilterTranslator.Translate(JsonDocument.Parse(json).RootElement, Schema))];

    [Fact]
    public void Equality_and_ranges_are_anded_within_an_object()
    {
        var found = Run("""{ "district": { "eq": "D0101" }, "birthYear": { "gte": 2019, "lte": 2020 } }""");
        Assert.NotEmpty(found);
        Assert.All(found, f => Assert.True(f.District == "D0101" && f.BirthYear is >= 2019 and <= 2020));
        Assert.Equal(_db.Facts.AsEnumerable().Count(f => f.District == "D0101" && f.BirthYear >= 2019 && f.BirthYear <= 2020), found.Count);
    }

    [Fact]
    public void Or_in_neq_contains_and_enums_combine()
    {
        var found = Run("""
            { "or": [ { "language": { "in": ["ky", "uz"] } }, { "note": { "contains": "note 1" } } ],
              "stage": { "eq": "StageTwo" }, "district": { "neq": "D0701" } }
            """);
        var expected = _db.Facts.AsEnumerable().Where(f => (f.Language is "ky" or "uz" || (f.Note?.Contains("note 1", StringComparison.Ordinal) ?? false))
            && f.Stage == Round.StageTwo && f.District != "D0701").Select(f => f.Id).Order();
        Assert.Equal(expected, found.Select(f => f.Id).Order());
    }

    [Fact]
    public void Values_become_sql_parameters_not_sql_text()
    {
        var filter = FilterTranslator.Translate(JsonDocument.Parse("""{ "district": { "eq": "x'); DROP TABLE Facts; --" } }""").RootElement, Schema);
        var sql = _db.Facts.Where(filter).ToQueryString();
        Assert.DoesNotContain("DROP TABLE", sql.Split('\n').Last(), StringComparison.Ordinal);
        Assert.Empty(_db.Facts.Where(filter).ToList());
        Assert.Equal(90, _db.Facts.Count());
    }

    [Theory]
    [InlineData("""{ "secretName": { "eq": "Айгерим" } }""", "FILTER_INVALID")]
    [InlineData("""{ "district": { "like": "D%" } }""", "FILTER_INVALID")]
    [InlineData("""{ "birthYear": { "eq": "two thousand" } }""", "FILTER_INVALID")]
    [InlineData("""{ "birthYear": { "eq": 99999999999 } }""", "FILTER_INVALID")]
    [InlineData("""{ "stage": { "eq": "StageNine" } }""", "FILTER_INVALID")]
    [InlineData("""{ "district": { "gt": "D" } }""", "FILTER_INVALID")]
    [InlineData("""{ "birthYear": { "contains": "1" } }""", "FILTER_INVALID")]
    [InlineData("""{ "or": [] }""", "FILTER_INVALID")]
    [InlineData("""{ "language": { "in": [] } }""", "FILTER_INVALID")]
    [InlineData("""{ "district": { } }""", "FILTER_INVALID")]
    [InlineData("""{ "district": "D0101" }""", "FILTER_INVALID")]
    [InlineData("""[1, 2]""", "FILTER_INVALID")]
    [InlineData("""{ "and": [ { "and": [ { "and": [ { "and": [ { "and": [ { "district": { "eq": "x" } } ] } ] } ] } ] } ] }""", "FILTER_TOO_DEEP")]
    public void Bad_filters_get_a_typed_error(string json, string code)
    {
        var error = Assert.ThrowsAny<RuleViolation>(() => FilterTranslator.Translate(JsonDocument.Parse(json).RootElement, Schema));
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void Too_many_conditions_are_refused()
    {
        var conditions = string.Join(", ", Enumerable.Range(0, 31).Select(i => $$"""{ "birthYear": { "neq": {{i}} } }"""));
        var error = Assert.ThrowsAny<RuleViolation>(() => FilterTranslator.Translate(JsonDocument.Parse($$"""{ "and": [ {{conditions}} ] }""").RootElement, Schema));
        Assert.Equal("FILTER_TOO_COMPLEX", error.Code);
    }

    [Fact]
    public void Random_filters_never_throw_anything_but_rule_violations()
    {
        var random = new Random(20260401);
        string[] names = ["district", "language", "birthYear", "stage", "note", "and", "or", "secretName", "", "eq", "in", "\u0000"];
        string[] ops = ["eq", "neq", "in", "gt", "gte", "lt", "lte", "contains", "nope"];
        string Value() => random.Next(7) switch
        {
            0 => "null",
            1 => random.Next(-5, 3000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            2 => "\"" + new string((char)random.Next(32, 0x500), random.Next(0, 5)).Replace("\\", "", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal) + "\"",
            3 => "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(2) == 0 ? "\"ky\"" : "2019")) + "]",
            4 => "true",
            5 => "{}",
            _ => "1e400",
        };
        string Node(int depth) => "{" + string.Join(",", Enumerable.Range(0, random.Next(0, 3)).Select(_ =>
        {
            var name = names[random.Next(names.Length)];
            return name is "and" or "or" && depth < 8
                ? $"\"{name}\": [{string.Join(",", Enumerable.Range(0, random.Next(0, 3)).Select(_ => Node(depth + 1)))}]"
                : random.Next(4) == 0 ? $"\"{name}\": {Value()}" : $"\"{name}\": {{\"{ops[random.Next(ops.Length)]}\": {Value()}}}";
        })) + "}";

        for (var i = 0; i < 2_000; i++)
        {
            var json = Node(0);
            try
            {
                var filter = FilterTranslator.Translate(JsonDocument.Parse(json).RootElement, Schema);
                _ = _db.Facts.Where(filter).Take(1).ToList();
            }
            catch (RuleViolation)
            {
            }
            catch (JsonException)
            {
                // the generator can write JSON the parser rejects (e.g. 1e400 is fine, lone surrogates are not); not the translator's concern
            }
        }
    }
}
