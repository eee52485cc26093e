using System.Text.Json.Nodes;

namespace Enrollment.Host.Tests.BadInput;

/// <summary>One malformed value of the corpus, with the reason it is there.</summary>
public sealed record Malformed(string Label, Func<JsonNode?> Value)
{
    /// <summary>Replaced by invalid UTF-8 bytes in the serialized body (JSON cannot carry them otherwise).</summary>
    public const string InvalidUtf8Marker = "__INVALID_UTF8__";

    /// <summary>Replaced by the JSON escape of a lone UTF-16 surrogate (\ud800), which no JSON writer produces.</summary>
    public const string LoneSurrogateMarker = "__LONE_SURROGATE__";
}

/// <summary>
/// The bad-input corpus, by GraphQL input type: wrong types, huge strings, control characters, invalid UTF-8,
/// SQL and script injection, wrong PIN checksums and impossible dates, negative and overflowing numbers.
/// </summary>
public static class MalformedValues
{
    private static Malformed M(string label, Func<JsonNode?> value) => new(label, value);

    private static readonly Malformed[] WrongTypesForText =
    [
        M("number for text", () => 12345),
        M("boolean for text", () => true),
        M("object for text", () => new JsonObject { ["x"] = 1 }),
    ];

    public static readonly Malformed[] Text =
    [
        M("empty", () => ""),
        M("blank", () => " \t "),
        M("100 KB string", () => new string('я', 50_000)),
        M("control characters", () => "a\u0000b\u0001\u0007\u001b[31m\r\n\u007f"),
        M("bidi override and zero-width", () => "\u202Eevil\u200B\uFEFF"),
        M("lone surrogate", () => Malformed.LoneSurrogateMarker),
        M("invalid UTF-8", () => Malformed.InvalidUtf8Marker),
        M("SQL injection", () => "' OR '1'='1'; DROP TABLE registry_application; --"),
        M("script injection", () => "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>"),
        M("PIN with a wrong sex digit", () => "91503198512345"),
        M("PIN with an impossible date", () => "23102202612345"),
        M("PIN of 13 digits", () => "2150319851234"),
        M("PIN with letters", () => "2150319851234A"),
        M("impossible date", () => "2026-02-30"),
        M("negative number as text", () => "-1"),
        M("overflowing number as text", () => "99999999999999999999999999"),
        .. WrongTypesForText,
    ];

    public static readonly Malformed[] Id =
    [
        M("empty id", () => ""),
        M("negative id", () => "-1"),
        M("huge id", () => "99999999999999999999999999999"),
        M("injection id", () => "1 OR 1=1"),
        M("not a guid", () => "00000000-0000-0000-0000-00000000000G"),
        M("control characters id", () => "\u0000\u0001"),
        M("100 KB id", () => new string('9', 100_000)),
        M("float id", () => 1.5),
        M("boolean id", () => false),
    ];

    public static readonly Malformed[] Number =
    [
        M("negative", () => -1),
        M("int minimum", () => int.MinValue),
        M("int maximum", () => int.MaxValue),
        M("overflowing int", () => 2_147_483_648L),
        M("huge number", () => JsonNode.Parse("1e308")),
        M("fraction", () => 1.5),
        M("number as text", () => "1"),
        M("boolean for number", () => true),
    ];

    public static readonly Malformed[] Flag =
    [
        M("text for boolean", () => "true"),
        M("number for boolean", () => 1),
    ];

    public static readonly Malformed[] Date =
    [
        M("30 February", () => "2026-02-30"),
        M("month 13", () => "2026-13-01"),
        M("year 0", () => "0000-01-01"),
        M("year 9999", () => "9999-12-31"),
        M("year 1", () => "0001-01-01"),
        M("local format", () => "31.12.2026"),
        M("number for date", () => 20260101),
        M("empty date", () => ""),
    ];

    public static readonly Malformed[] DateTime =
    [
        M("month 13 instant", () => "2026-13-01T10:00:00+06:00"),
        M("word for instant", () => "yesterday"),
        M("minimum instant", () => "0001-01-01T00:00:00+14:00"),
        M("maximum instant", () => "9999-12-31T23:59:59-14:00"),
        M("number for instant", () => 1_700_000_000),
    ];

    public static readonly Malformed[] Enum =
    [
        M("unknown enum value", () => "NOPE"),
        M("lower-case enum value", () => "x"),
        M("number for enum", () => 1),
    ];

    public static readonly Malformed[] InputObject =
    [
        M("text for input object", () => "x"),
        M("unknown input field", () => new JsonObject { ["nope"] = 1 }),
        M("list for input object", () => new JsonArray(1, 2)),
    ];

    public static readonly Malformed[] List =
    [
        M("null inside a list", () => new JsonArray((JsonNode?)null)),
        M("nested list", () => new JsonArray(new JsonArray())),
        M("object for list", () => new JsonObject()),
    ];

    public static Malformed[] ForScalar(string name) => name switch
    {
        "String" => Text,
        "ID" or "Guid" or "UUID" => Id,
        "Int" or "Long" or "Short" or "Byte" or "UInt" or "ULong" or "BigInt" or "Float" or "Decimal" => Number,
        "Boolean" => Flag,
        "Date" or "DateOnly" => Date,
        "DateTime" or "DateTimeOffset" => DateTime,
        _ => Text,
    };
}
