using System.Globalization;

namespace Enrollment.DemoData;

internal enum HouseSetKind
{
    All,
    Range,
    Odd,
    Even,
    List,
}

/// <summary>
/// A parsed microdistrict house set. Syntax: <c>*</c> | <c>1-49</c> | <c>odd:1-49</c> | <c>even:2-50</c> | <c>list:12,12А,12/3,15 корп. 2</c>.
/// Ranges compare the leading number of a house (<c>12А</c>, <c>12/3</c>, <c>12 корп. 2</c> → 12); lists compare whole house
/// strings, ignoring case and repeated spaces.
/// </summary>
internal sealed class HouseSet
{
    private HouseSet(HouseSetKind kind, int from, int to, IReadOnlyList<string> items)
    {
        Kind = kind;
        From = from;
        To = to;
        Items = items;
        _normalized = items.Select(NormalizeHouse).ToArray();
    }

    private readonly string[] _normalized;

    public HouseSetKind Kind { get; }

    public int From { get; }

    public int To { get; }

    public IReadOnlyList<string> Items { get; }

    public static HouseSet All { get; } = new(HouseSetKind.All, 0, int.MaxValue, []);

    public static HouseSet Range(int from, int to) => new(HouseSetKind.Range, from, to, []);

    public static HouseSet Odd(int from, int to) => new(HouseSetKind.Odd, from, to, []);

    public static HouseSet Even(int from, int to) => new(HouseSetKind.Even, from, to, []);

    public static HouseSet List(IReadOnlyList<string> items) => new(HouseSetKind.List, 0, 0, items);

    public static HouseSet Parse(string text)
    {
        var t = text.Trim();
        if (t == "*")
        {
            return All;
        }

        if (t.StartsWith("list:", StringComparison.Ordinal))
        {
            return List(t[5..].Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray());
        }

        var kind = HouseSetKind.Range;
        if (t.StartsWith("odd:", StringComparison.Ordinal))
        {
            kind = HouseSetKind.Odd;
            t = t[4..];
        }
        else if (t.StartsWith("even:", StringComparison.Ordinal))
        {
            kind = HouseSetKind.Even;
            t = t[5..];
        }

        var dash = t.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0)
        {
            throw new FormatException($"Invalid house set '{text}'.");
        }

        var from = int.Parse(t[..dash], NumberStyles.None, CultureInfo.InvariantCulture);
        var to = int.Parse(t[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
        return new HouseSet(kind, from, to, []);
    }

    public bool Contains(string house)
    {
        switch (Kind)
        {
            case HouseSetKind.All:
                return true;
            case HouseSetKind.List:
                var normalized = NormalizeHouse(house);
                foreach (var item in _normalized)
                {
                    if (string.Equals(item, normalized, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return false;
            default:
                var n = LeadingNumber(house);
                if (n < From || n > To)
                {
                    return false;
                }

                return Kind == HouseSetKind.Range || (Kind == HouseSetKind.Odd ? n % 2 == 1 : n % 2 == 0);
        }
    }

    public override string ToString() => Kind switch
    {
        HouseSetKind.All => "*",
        HouseSetKind.Range => string.Create(CultureInfo.InvariantCulture, $"{From}-{To}"),
        HouseSetKind.Odd => string.Create(CultureInfo.InvariantCulture, $"odd:{From}-{To}"),
        HouseSetKind.Even => string.Create(CultureInfo.InvariantCulture, $"even:{From}-{To}"),
        _ => "list:" + string.Join(",", Items),
    };

    /// <summary>The first run of digits of a house number; -1 if there is none.</summary>
    public static int LeadingNumber(string house)
    {
        var n = -1;
        foreach (var ch in house)
        {
            if (ch is >= '0' and <= '9')
            {
                n = (n < 0 ? 0 : n * 10) + (ch - '0');
                if (n > 1_000_000)
                {
                    return n;
                }
            }
            else if (n >= 0)
            {
                break;
            }
        }

        return n;
    }

    private static string NormalizeHouse(string house) =>
        string.Join(' ', house.Trim().ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
