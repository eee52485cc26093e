namespace Enrollment.Schools.Domain.Addresses;

/// <summary>
/// The type of a street as written ("улица", "проспект", "переулок", "көчөсү", "тыкыры", …). The normalizer drops type
/// words so that "ул. Ленина" and "улица Ленина" meet; when one settlement has both "улица Ленина" and "проспект Ленина",
/// the kind tells them apart.
/// </summary>
internal enum StreetKind
{
    None,
    Street,
    Avenue,
    Lane,
    Boulevard,
    Square,
    Microdistrict,
}

internal static class StreetKinds
{
    /// <summary>The kind named by the first type word of the street, or <see cref="StreetKind.None"/>.</summary>
    public static StreetKind Of(string? street)
    {
        if (string.IsNullOrEmpty(street))
        {
            return StreetKind.None;
        }

        Span<char> buffer = stackalloc char[Math.Min(street.Length, 256)];
        int length = 0;
        string previous = string.Empty;
        foreach (char raw in street.AsSpan(0, Math.Min(street.Length, 256)))
        {
            char c = Fold(raw);
            if (char.IsLetter(c))
            {
                buffer[length++] = c;
                continue;
            }

            if (length > 0)
            {
                var kind = Word(buffer[..length], previous, out previous);
                if (kind != StreetKind.None)
                {
                    return kind;
                }

                length = 0;
            }
        }

        return length > 0 ? Word(buffer[..length], previous, out _) : StreetKind.None;
    }

    private static char Fold(char c)
    {
        c = char.ToLowerInvariant(c);
        return c switch
        {
            'ё' => 'е',
            'ө' => 'о',
            'ү' => 'у',
            'ң' => 'н',
            _ => c,
        };
    }

    private static StreetKind Word(ReadOnlySpan<char> word, string previous, out string current)
    {
        current = word.ToString();
        switch (current)
        {
            case "т" or "кт" when previous == "пр":
                return StreetKind.Avenue;
            case "р" when previous == "б":
                return StreetKind.Boulevard;
            case "району" when previous == "кичи":
                return StreetKind.Microdistrict;
            case "улица" or "ул" or "кочосу" or "коч" or "кочо" or "street" or "str" or "st":
                return StreetKind.Street;
            case "проспект" or "проспектиси" or "пр" or "avenue" or "ave":
                return StreetKind.Avenue;
            case "переулок" or "пер" or "тыкыры" or "тык" or "тупик":
                return StreetKind.Lane;
            case "бульвар" or "бульвары":
                return StreetKind.Boulevard;
            case "площадь" or "пл" or "аянты":
                return StreetKind.Square;
            case "микрорайон" or "мкр" or "мкрн" or "микрорайону" or "кичирайону":
                return StreetKind.Microdistrict;
            default:
                return StreetKind.None;
        }
    }
}
