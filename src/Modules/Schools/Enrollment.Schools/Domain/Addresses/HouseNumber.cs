using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Enrollment.Schools.Domain.Addresses;

/// <summary>
/// A house number of an address: a leading number, an optional letter (12А), an optional fraction (12/3) and an
/// optional building (15 корп. 2). Two house numbers are equal when their canonical forms are equal.
/// </summary>
/// <remarks>
/// Accepted input: "12", "12А", "12а", "12 A", "12-а" (Latin look-alikes become Cyrillic), "12/3", "12а/3",
/// "15 корп. 2", "15 корпус 2", "15 к2", "15к.2", "12/3 к1", with optional prefixes "д.", "дом", "үй", "№".
/// The canonical form is "{number}{letter}[/{fraction}][ корп. {building}]", e.g. "12а/3 корп. 2".
/// A letter after the fraction ("12/3а"), two letters, or anything else is not read (the caller reports it).
/// </remarks>
internal readonly struct HouseNumber : IEquatable<HouseNumber>
{
    /// <summary>Largest number accepted for the number, the fraction and the building.</summary>
    public const int MaxValue = 99_999;

    private const int MaxInputLength = 64;
    private const int MaxTokens = 32;

    private readonly char _letter;

    private HouseNumber(int number, char letter, int? fraction, int? building)
    {
        Number = number;
        _letter = letter;
        Fraction = fraction;
        Building = building;
    }

    /// <summary>The leading number (≥ 1).</summary>
    public int Number { get; }

    /// <summary>The letter, lower-case Cyrillic, or an empty string.</summary>
    public string Letter => _letter == '\0' ? string.Empty : LetterText(_letter);

    /// <summary>The number after "/", if any.</summary>
    public int? Fraction { get; }

    /// <summary>The building (корпус) number, if any.</summary>
    public int? Building { get; }

    /// <summary>The canonical form, e.g. "12а/3 корп. 2".</summary>
    public string Canonical => ToString();

    public static bool operator ==(HouseNumber left, HouseNumber right) => left.Equals(right);

    public static bool operator !=(HouseNumber left, HouseNumber right) => !left.Equals(right);

    /// <summary>Parses a house number; throws <see cref="FormatException"/> when it cannot be read.</summary>
    public static HouseNumber Parse(string value) =>
        TryParse(value, out HouseNumber house)
            ? house
            : throw new FormatException($"'{value}' is not a house number.");

    /// <summary>Reads a house number; never throws.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out HouseNumber house)
    {
        house = default;
        if (value is null)
        {
            return false;
        }

        ReadOnlySpan<char> input = value.AsSpan().Trim();
        if (input.IsEmpty || input.Length > MaxInputLength)
        {
            return false;
        }

        Span<Lexeme> lexemes = stackalloc Lexeme[MaxTokens];
        Span<char> text = stackalloc char[MaxInputLength];
        int count = Lex(input, text, lexemes);
        return count > 0 && ParseLexemes(text, lexemes[..count], out house);
    }

    public bool Equals(HouseNumber other) =>
        Number == other.Number && _letter == other._letter && Fraction == other.Fraction && Building == other.Building;

    public override bool Equals(object? obj) => obj is HouseNumber other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Number, _letter, Fraction, Building);

    public override string ToString()
    {
        if (Number == 0)
        {
            return string.Empty;
        }

        var text = new System.Text.StringBuilder(16);
        text.Append(Number.ToString(CultureInfo.InvariantCulture));
        if (_letter != '\0')
        {
            text.Append(_letter);
        }

        if (Fraction is int fraction)
        {
            text.Append('/').Append(fraction.ToString(CultureInfo.InvariantCulture));
        }

        if (Building is int building)
        {
            text.Append(" корп. ").Append(building.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private enum LexemeKind : byte
    {
        Number,
        Word,
        Slash,
        Hyphen,
        NumberSign,
    }

    private readonly record struct Lexeme(LexemeKind Kind, int Start, int Length, int Value);

    private static readonly string[] LetterCache = CreateLetterCache();

    private static string[] CreateLetterCache()
    {
        var cache = new string[0x100];
        for (int i = 0; i < cache.Length; i++)
        {
            cache[i] = ((char)(0x400 + i)).ToString();
        }

        return cache;
    }

    private static string LetterText(char letter) =>
        letter is >= '\u0400' and <= '\u04FF' ? LetterCache[letter - 0x400] : letter.ToString();

    private static int Lex(ReadOnlySpan<char> input, Span<char> text, Span<Lexeme> lexemes)
    {
        int count = 0;
        int i = 0;
        int written = 0;
        while (i < input.Length)
        {
            char c = input[i];
            if ((uint)(c - '0') <= 9)
            {
                int value = 0;
                int digits = 0;
                while (i < input.Length && (uint)(input[i] - '0') <= 9)
                {
                    if (++digits > 6)
                    {
                        return 0;
                    }

                    value = (value * 10) + (input[i] - '0');
                    i++;
                }

                if (count == lexemes.Length)
                {
                    return 0;
                }

                lexemes[count++] = new Lexeme(LexemeKind.Number, 0, 0, value);
                continue;
            }

            char letter = FoldLetter(c);
            if (letter != '\0')
            {
                int start = written;
                while (i < input.Length && (letter = FoldLetter(input[i])) != '\0')
                {
                    text[written++] = letter;
                    i++;
                }

                if (count == lexemes.Length)
                {
                    return 0;
                }

                lexemes[count++] = new Lexeme(LexemeKind.Word, start, written - start, 0);
                continue;
            }

            LexemeKind? kind = c switch
            {
                '/' or '\\' => LexemeKind.Slash,
                '-' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2212' => LexemeKind.Hyphen,
                '№' or '#' => LexemeKind.NumberSign,
                _ => null,
            };
            if (kind is LexemeKind k)
            {
                if (count == lexemes.Length)
                {
                    return 0;
                }

                lexemes[count++] = new Lexeme(k, 0, 0, 0);
            }
            else if (!(char.IsWhiteSpace(c) || c is '.' or ',' or '"' or '\'' or '«' or '»'))
            {
                return 0; // unexpected character: not a house number
            }

            i++;
        }

        return count;
    }

    /// <summary>Lower-case Cyrillic letter for a Cyrillic letter or a Latin look-alike; '\0' otherwise.</summary>
    private static char FoldLetter(char c)
    {
        if (c is >= '\u0400' and <= '\u04FF')
        {
            if (c is >= '\u0482' and <= '\u0489')
            {
                return '\0';
            }

            char lower = StreetNameNormalizer.CyrillicToLower(c);
            return lower == 'ё' ? 'е' : lower;
        }

        if (c is >= 'A' and <= 'Z')
        {
            c = (char)(c + ('a' - 'A'));
        }

        return c is >= 'a' and <= 'z' ? StreetNameNormalizer.CyrillicLookalike(c) : '\0';
    }

    private static bool ParseLexemes(ReadOnlySpan<char> text, ReadOnlySpan<Lexeme> lexemes, out HouseNumber house)
    {
        house = default;
        int i = 0;

        // Prefixes: "д.", "дом", "үй", "№" in any order.
        while (i < lexemes.Length)
        {
            Lexeme lexeme = lexemes[i];
            if (lexeme.Kind == LexemeKind.NumberSign
                || (lexeme.Kind == LexemeKind.Word && Word(text, lexeme) is "д" or "дом" or "үй" or "уй"))
            {
                i++;
                continue;
            }

            break;
        }

        if (!TryTakeNumber(lexemes, ref i, out int number))
        {
            return false;
        }

        char letter = '\0';
        int letterAt = i < lexemes.Length && lexemes[i].Kind == LexemeKind.Hyphen ? i + 1 : i;
        if (letterAt < lexemes.Length
            && lexemes[letterAt].Kind == LexemeKind.Word
            && lexemes[letterAt].Length == 1
            && !IsBuildingStart(text, lexemes, letterAt))
        {
            letter = text[lexemes[letterAt].Start];
            i = letterAt + 1;
        }

        int? fraction = null;
        if (i < lexemes.Length && lexemes[i].Kind == LexemeKind.Slash)
        {
            i++;
            if (!TryTakeNumber(lexemes, ref i, out int value))
            {
                return false;
            }

            fraction = value;
        }

        int? building = null;
        if (IsBuildingStart(text, lexemes, i))
        {
            i++;
            if (!TryTakeNumber(lexemes, ref i, out int value))
            {
                return false;
            }

            building = value;
        }

        if (i != lexemes.Length)
        {
            return false;
        }

        house = new HouseNumber(number, letter, fraction, building);
        return true;
    }

    private static bool IsBuildingStart(ReadOnlySpan<char> text, ReadOnlySpan<Lexeme> lexemes, int index) =>
        index + 1 < lexemes.Length
        && lexemes[index].Kind == LexemeKind.Word
        && Word(text, lexemes[index]) is "к" or "корп" or "корпус"
        && lexemes[index + 1].Kind == LexemeKind.Number;

    private static bool TryTakeNumber(ReadOnlySpan<Lexeme> lexemes, ref int index, out int value)
    {
        value = 0;
        if (index >= lexemes.Length || lexemes[index].Kind != LexemeKind.Number)
        {
            return false;
        }

        value = lexemes[index].Value;
        index++;
        return value is >= 1 and <= MaxValue;
    }

    private static ReadOnlySpan<char> Word(ReadOnlySpan<char> text, Lexeme lexeme) => text.Slice(lexeme.Start, lexeme.Length);
}
