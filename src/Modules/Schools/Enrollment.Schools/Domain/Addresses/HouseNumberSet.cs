using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Enrollment.Schools.Domain.Addresses;

/// <summary>The kind of a <see cref="HouseNumberSet"/>.</summary>
internal enum HouseNumberSetKind
{
    /// <summary>"*": every house of the street, including houses without a readable number.</summary>
    All,

    /// <summary>"1-49": houses whose leading number is in the range (12А and 12/3 are inside 1-49).</summary>
    Range,

    /// <summary>"odd:1-49" (or "odd:*"): odd leading numbers in the range.</summary>
    Odd,

    /// <summary>"even:2-50" (or "even:*"): even leading numbers in the range.</summary>
    Even,

    /// <summary>"list:12,12А,12/3": exactly these house numbers ("12" does not match "12А").</summary>
    List,
}

/// <summary>
/// The houses of one street that a micro-district rule covers. Syntax: <c>*</c>, <c>1-49</c>, <c>odd:1-49</c>,
/// <c>even:2-50</c>, <c>odd:*</c>, <c>even:*</c>, <c>list:12,12А,12/3,15 корп. 2</c>; a single house number
/// ("12А") is read as a one-entry list. Kind words are case-insensitive; spaces around parts are ignored.
/// </summary>
internal sealed class HouseNumberSet
{
    private static readonly HouseNumber[] NoHouses = [];

    private readonly HouseNumber[] _list;
    private readonly HashSet<HouseNumber>? _lookup;

    private HouseNumberSet(HouseNumberSetKind kind, int from, int to, HouseNumber[] list)
    {
        Kind = kind;
        From = from;
        To = to;
        _list = list;
        if (list.Length > 8)
        {
            _lookup = [.. list];
        }
    }

    /// <summary>Every house ("*").</summary>
    public static HouseNumberSet All { get; } = new(HouseNumberSetKind.All, 0, int.MaxValue, NoHouses);

    public HouseNumberSetKind Kind { get; }

    /// <summary>Lower bound of the leading number (inclusive) for ranges.</summary>
    public int From { get; }

    /// <summary>Upper bound of the leading number (inclusive) for ranges.</summary>
    public int To { get; }

    /// <summary>The exact house numbers of a list.</summary>
    public IReadOnlyList<HouseNumber> Houses => _list;

    /// <summary>True when the set covers every house, even one whose number cannot be read.</summary>
    public bool IsAll => Kind == HouseNumberSetKind.All;

    public static HouseNumberSet Range(int from, int to) => Create(HouseNumberSetKind.Range, from, to);

    public static HouseNumberSet Odd(int from, int to) => Create(HouseNumberSetKind.Odd, from, to);

    public static HouseNumberSet Even(int from, int to) => Create(HouseNumberSetKind.Even, from, to);

    public static HouseNumberSet Of(params HouseNumber[] houses)
    {
        if (houses.Length == 0)
        {
            throw new ArgumentException("A list needs at least one house number.", nameof(houses));
        }

        return new HouseNumberSet(HouseNumberSetKind.List, 0, 0, houses.Distinct().ToArray());
    }

    /// <summary>Parses the rule syntax; throws <see cref="FormatException"/> with the reason when malformed.</summary>
    public static HouseNumberSet Parse(string value) =>
        TryParse(value, out HouseNumberSet? set, out string? error) ? set : throw new FormatException(error);

    /// <summary>Parses the rule syntax; never throws. On failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(
        string? value,
        [NotNullWhen(true)] out HouseNumberSet? set,
        [NotNullWhen(false)] out string? error)
    {
        set = null;
        error = null;
        string text = (value ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            error = "The house set is empty; write * for all houses, a range like 1-49, odd:1-49, even:2-50 or list:12,12А.";
            return false;
        }

        if (text == "*")
        {
            set = All;
            return true;
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            if (LooksLikeRange(text))
            {
                return TryParseRange(HouseNumberSetKind.Range, text, text, out set, out error);
            }

            if (HouseNumber.TryParse(text, out HouseNumber single))
            {
                set = new HouseNumberSet(HouseNumberSetKind.List, 0, 0, [single]);
                return true;
            }

            error = $"'{Shorten(text)}' is not a house set; write * for all houses, a range like 1-49, odd:1-49, even:2-50 or list:12,12А.";
            return false;
        }

        string kind = text[..colon].Trim().ToLowerInvariant();
        string body = text[(colon + 1)..].Trim();
        switch (kind)
        {
            case "odd":
            case "even":
                HouseNumberSetKind parity = kind == "odd" ? HouseNumberSetKind.Odd : HouseNumberSetKind.Even;
                if (body == "*")
                {
                    set = new HouseNumberSet(parity, 0, int.MaxValue, NoHouses);
                    return true;
                }

                return TryParseRange(parity, body, text, out set, out error);

            case "list":
                return TryParseList(body, out set, out error);

            default:
                error = $"Unknown house set kind '{Shorten(kind)}'; expected odd:, even: or list: (or * or a range like 1-49).";
                return false;
        }
    }

    /// <summary>True when the house belongs to the set. A default (unread) house number is only in "*".</summary>
    public bool Contains(HouseNumber house)
    {
        switch (Kind)
        {
            case HouseNumberSetKind.All:
                return true;
            case HouseNumberSetKind.Range:
                return house.Number >= From && house.Number <= To && house.Number > 0;
            case HouseNumberSetKind.Odd:
                return house.Number >= From && house.Number <= To && (house.Number & 1) == 1;
            case HouseNumberSetKind.Even:
                return house.Number >= From && house.Number <= To && house.Number > 0 && (house.Number & 1) == 0;
            default:
                if (_lookup is not null)
                {
                    return _lookup.Contains(house);
                }

                foreach (HouseNumber item in _list)
                {
                    if (item.Equals(house))
                    {
                        return true;
                    }
                }

                return false;
        }
    }

    /// <summary>The canonical rule syntax, e.g. "odd:1-49" or "list:12,12а,12/3".</summary>
    public override string ToString()
    {
        string range = To == int.MaxValue
            ? "*"
            : string.Create(CultureInfo.InvariantCulture, $"{From}-{To}");
        return Kind switch
        {
            HouseNumberSetKind.All => "*",
            HouseNumberSetKind.Range => range,
            HouseNumberSetKind.Odd => "odd:" + range,
            HouseNumberSetKind.Even => "even:" + range,
            _ => "list:" + string.Join(",", _list.Select(h => h.ToString())),
        };
    }

    private static HouseNumberSet Create(HouseNumberSetKind kind, int from, int to)
    {
        if (from < 0 || to < from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), $"Invalid range {from}-{to}.");
        }

        return new HouseNumberSet(kind, from, to, NoHouses);
    }

    private static bool LooksLikeRange(string text)
    {
        foreach (char c in text)
        {
            if (!(char.IsAsciiDigit(c) || char.IsWhiteSpace(c) || IsDash(c)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDash(char c) => c is '-' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2212';

    private static bool TryParseRange(
        HouseNumberSetKind kind,
        string body,
        string whole,
        [NotNullWhen(true)] out HouseNumberSet? set,
        [NotNullWhen(false)] out string? error)
    {
        set = null;
        int dash = -1;
        for (int i = 1; i < body.Length; i++)
        {
            if (IsDash(body[i]))
            {
                dash = i;
                break;
            }
        }

        if (dash < 0)
        {
            error = $"'{Shorten(whole)}' needs a range of house numbers like 1-49.";
            return false;
        }

        string left = body[..dash].Trim();
        string right = body[(dash + 1)..].Trim();
        if (!TryReadBound(left, out int from))
        {
            error = $"'{Shorten(left)}' in '{Shorten(whole)}' is not a whole house number (0–{HouseNumber.MaxValue}).";
            return false;
        }

        if (!TryReadBound(right, out int to))
        {
            error = $"'{Shorten(right)}' in '{Shorten(whole)}' is not a whole house number (0–{HouseNumber.MaxValue}).";
            return false;
        }

        if (from > to)
        {
            error = $"The range '{Shorten(whole)}' starts at {from}, after its end {to}.";
            return false;
        }

        set = new HouseNumberSet(kind, from, to, NoHouses);
        error = null;
        return true;
    }

    private static bool TryReadBound(string text, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 6)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return value <= HouseNumber.MaxValue;
    }

    private static bool TryParseList(
        string body,
        [NotNullWhen(true)] out HouseNumberSet? set,
        [NotNullWhen(false)] out string? error)
    {
        set = null;
        var houses = new List<HouseNumber>();
        foreach (string part in body.Split([',', ';']))
        {
            string entry = part.Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            if (!HouseNumber.TryParse(entry, out HouseNumber house))
            {
                error = $"The list entry '{Shorten(entry)}' is not a house number (examples: 12, 12А, 12/3, 15 корп. 2).";
                return false;
            }

            if (!houses.Contains(house))
            {
                houses.Add(house);
            }
        }

        if (houses.Count == 0)
        {
            error = "The list has no house numbers; write them after 'list:' separated by commas, e.g. list:12,12А,12/3.";
            return false;
        }

        set = new HouseNumberSet(HouseNumberSetKind.List, 0, 0, [.. houses]);
        error = null;
        return true;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
