using System.Buffers;
using System.Globalization;

namespace Enrollment.Schools.Domain.Addresses;

/// <summary>
/// Turns a street (or micro-rayon) name as written in the population registry or in a micro-district rule
/// into a canonical key, so that different spellings of the same street compare equal with an ordinal comparison.
/// </summary>
/// <remarks>
/// Steps, in order:
/// <list type="number">
/// <item>Lower-case (invariant); ё→е; Kyrgyz ө→о, ү→у, ң→н (registry data often loses these letters, so the key ignores them).</item>
/// <item>Split into tokens of letters or digits; every other character separates tokens, except apostrophes, combining marks and
/// format characters (dropped inside a word). A letter/digit boundary also separates ("12мкр" → "12 мкр").</item>
/// <item>Latin look-alike letters (a e o p c x y k m t h b, also ö ü ë) become Cyrillic inside a token that has Cyrillic letters, and in a
/// purely Latin token made only of look-alikes when the name has Cyrillic elsewhere ("ул. CAXAPOBA").</item>
/// <item>Street-type words in Russian, Kyrgyz and English are removed from the start and the end ("ул.", "көчөсү", "пр-т", "street", ...).
/// A micro-rayon word ("мкр", "микрорайон", "кичи району") is removed too, but the key then starts with the marker "мкр ",
/// so "мкр 12" and "12-й мкр" give "мкр 12", which differs from a street called "12".</item>
/// <item>Ordinal endings glued or hyphenated to a number ("5-й", "12-чи") are dropped; leading zeros of numbers are dropped.</item>
/// </list>
/// Russian genitive vs Kyrgyz bare forms ("Ленина" vs "Ленин") are NOT stemmed: link them with <see cref="StreetAliasTable"/>.
/// A name made only of type words ("Проспект") keeps them. The function never throws and returns the input instance
/// unchanged when it is already a key, so normalizing a key again is free.
/// </remarks>
internal static class StreetNameNormalizer
{
    /// <summary>First token of the key of a micro-rayon ("мкр 12").</summary>
    public const string MicrodistrictMarker = "мкр";

    private const int StackThreshold = 128;

    private enum CharKind : byte
    {
        Separator,
        Drop,
        Letter,
        Digit,
        Hyphen,
        Slash,
    }

    private enum Script : byte
    {
        None,
        Cyrillic,
        Latin,
        Other,
    }

    private enum Join : byte
    {
        None,
        Glued,
        Hyphen,
        Slash,
    }

    private enum WordType : byte
    {
        None,
        Street,
        Microdistrict,
    }

    private struct Token
    {
        public int Start;
        public int Length;
        public bool IsDigits;
        public bool HasCyrillic;
        public bool HasLatin;
        public bool LatinAllLookalike;
        public bool Dropped;
        public Join JoinNext;
    }

    /// <summary>Canonical key of a street name; null or blank gives an empty string.</summary>
    public static string Normalize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        int n = value.Length;
        char[]? rentedChars = null;
        char[]? rentedOutput = null;
        Token[]? rentedTokens = null;
        Span<char> chars = n <= StackThreshold
            ? stackalloc char[n]
            : (rentedChars = ArrayPool<char>.Shared.Rent(n));
        Span<Token> tokens = n <= StackThreshold
            ? stackalloc Token[n]
            : (rentedTokens = ArrayPool<Token>.Shared.Rent(n));
        Span<char> output = n <= StackThreshold
            ? stackalloc char[(2 * n) + 8]
            : (rentedOutput = ArrayPool<char>.Shared.Rent((2 * n) + 8));
        try
        {
            int count = Tokenize(value, chars, tokens);
            if (count == 0)
            {
                return string.Empty;
            }

            MapLatinLookalikes(chars, tokens[..count]);
            int written = BuildKey(chars, tokens[..count], output);
            ReadOnlySpan<char> key = output[..written];
            return key.SequenceEqual(value.AsSpan()) ? value : new string(key);
        }
        finally
        {
            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }

            if (rentedOutput is not null)
            {
                ArrayPool<char>.Shared.Return(rentedOutput);
            }

            if (rentedTokens is not null)
            {
                ArrayPool<Token>.Shared.Return(rentedTokens);
            }
        }
    }

    /// <summary>True when both names normalize to the same key (aliases not considered).</summary>
    public static bool AreEquivalent(string? left, string? right) =>
        string.Equals(Normalize(left), Normalize(right), StringComparison.Ordinal);

    private static int Tokenize(string value, Span<char> chars, Span<Token> tokens)
    {
        int len = 0;
        int count = 0;
        bool open = false;
        bool openIsDigits = false;
        var pending = Join.None;

        foreach (char c in value)
        {
            CharKind kind = Classify(c, out char mapped, out Script script);
            switch (kind)
            {
                case CharKind.Letter:
                case CharKind.Digit:
                    bool isDigit = kind == CharKind.Digit;
                    if (open && openIsDigits != isDigit)
                    {
                        tokens[count - 1].JoinNext = Join.Glued;
                        open = false;
                    }

                    if (!open)
                    {
                        if (pending != Join.None && count > 0)
                        {
                            tokens[count - 1].JoinNext = pending;
                        }

                        tokens[count] = new Token { Start = len, IsDigits = isDigit, LatinAllLookalike = true };
                        count++;
                        open = true;
                        openIsDigits = isDigit;
                    }

                    pending = Join.None;
                    chars[len++] = mapped;
                    ref Token token = ref tokens[count - 1];
                    token.Length++;
                    if (script == Script.Cyrillic)
                    {
                        token.HasCyrillic = true;
                    }
                    else if (script == Script.Latin)
                    {
                        token.HasLatin = true;
                        if (CyrillicLookalike(mapped) == '\0')
                        {
                            token.LatinAllLookalike = false;
                        }
                    }

                    break;

                case CharKind.Hyphen:
                case CharKind.Slash:
                    if (open)
                    {
                        open = false;
                        pending = kind == CharKind.Hyphen ? Join.Hyphen : Join.Slash;
                    }

                    break;

                case CharKind.Drop:
                    // A decomposed "й" (и + combining breve) is recomposed; other marks are ignored.
                    if (c == '\u0306' && open && len > 0 && chars[len - 1] == 'и')
                    {
                        chars[len - 1] = 'й';
                    }

                    break;

                default:
                    open = false;
                    pending = Join.None;
                    break;
            }
        }

        return count;
    }

    private static CharKind Classify(char c, out char mapped, out Script script)
    {
        mapped = c;
        script = Script.None;
        if (c < 0x80)
        {
            if ((uint)(c - 'a') <= 'z' - 'a')
            {
                script = Script.Latin;
                return CharKind.Letter;
            }

            if ((uint)(c - 'A') <= 'Z' - 'A')
            {
                mapped = (char)(c + ('a' - 'A'));
                script = Script.Latin;
                return CharKind.Letter;
            }

            if ((uint)(c - '0') <= 9)
            {
                return CharKind.Digit;
            }

            return c switch
            {
                '-' => CharKind.Hyphen,
                '/' or '\\' => CharKind.Slash,
                '\'' or '`' => CharKind.Drop,
                _ => CharKind.Separator,
            };
        }

        if (c is >= '\u0400' and <= '\u04FF')
        {
            if (c is >= '\u0482' and <= '\u0489')
            {
                // U+0483..U+0489 are combining marks; U+0482 is a symbol; every other code point of the block is a letter.
                return c == '\u0482' ? CharKind.Separator : CharKind.Drop;
            }

            char lower = CyrillicToLower(c);
            mapped = lower switch
            {
                'ё' => 'е',
                'ө' => 'о',
                'ү' => 'у',
                'ң' => 'н',
                _ => lower,
            };
            script = Script.Cyrillic;
            return CharKind.Letter;
        }

        switch (c)
        {
            case '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212':
                return CharKind.Hyphen;
            case '\u2018' or '\u2019' or '\u02BC' or '\u00B4':
                return CharKind.Drop;
        }

        if (char.IsSurrogate(c))
        {
            return CharKind.Separator;
        }

        UnicodeCategory category = char.GetUnicodeCategory(c);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.Format)
        {
            return CharKind.Drop;
        }

        if (char.IsLetter(c))
        {
            // Classify after lower-casing: the Kelvin sign lower-cases to ASCII 'k', which is Latin.
            mapped = char.ToLowerInvariant(c);
            script = mapped is (>= 'a' and <= 'z') or (>= '\u00C0' and <= '\u024F') ? Script.Latin : Script.Other;
            return CharKind.Letter;
        }

        return CharKind.Separator;
    }

    /// <summary>
    /// Lower case of a letter of the Cyrillic block U+0400..U+04FF, computed without the culture machinery
    /// (char.ToLowerInvariant goes through ICU for non-ASCII characters, which is far slower).
    /// </summary>
    internal static char CyrillicToLower(char c) => c switch
    {
        >= '\u0410' and <= '\u042F' => (char)(c + 0x20),
        >= '\u0400' and <= '\u040F' => (char)(c + 0x50),
        '\u04C0' => '\u04CF',
        >= '\u04C1' and <= '\u04CE' => (c & 1) == 1 ? (char)(c + 1) : c,
        >= '\u0460' and <= '\u0481' or >= '\u048A' and <= '\u04BF' or >= '\u04D0' and <= '\u04FF' => (char)(c | 1),
        _ => c,
    };

    /// <summary>The Cyrillic letter a lower-case Latin letter is mistaken for, or '\0'.</summary>
    internal static char CyrillicLookalike(char latinLower) => latinLower switch
    {
        'a' => 'а',
        'e' => 'е',
        'o' => 'о',
        'p' => 'р',
        'c' => 'с',
        'x' => 'х',
        'y' => 'у',
        'k' => 'к',
        'm' => 'м',
        't' => 'т',
        'h' => 'н',
        'b' => 'в',
        'ö' => 'о',
        'ü' => 'у',
        'ë' => 'е',
        _ => '\0',
    };

    private static void MapLatinLookalikes(Span<char> chars, Span<Token> tokens)
    {
        bool anyCyrillic = false;
        foreach (ref readonly Token token in tokens)
        {
            if (token.HasCyrillic)
            {
                anyCyrillic = true;
                break;
            }
        }

        if (!anyCyrillic)
        {
            return;
        }

        foreach (ref Token token in tokens)
        {
            if (!token.HasLatin || (!token.HasCyrillic && !token.LatinAllLookalike))
            {
                continue;
            }

            Span<char> text = chars.Slice(token.Start, token.Length);
            for (int i = 0; i < text.Length; i++)
            {
                char cyrillic = CyrillicLookalike(text[i]);
                if (cyrillic != '\0')
                {
                    text[i] = cyrillic;
                }
            }

            token.HasCyrillic = true;
        }
    }

    private static int BuildKey(ReadOnlySpan<char> chars, Span<Token> tokens, Span<char> output)
    {
        int start = 0;
        int end = tokens.Length;
        bool micro = false;

        while (start < end)
        {
            WordType type = CompoundAt(chars, tokens, start, end);
            if (type != WordType.None)
            {
                micro |= type == WordType.Microdistrict;
                start += 2;
                continue;
            }

            type = WordTypeOf(Text(chars, tokens[start]));
            if (type == WordType.None || (start + 1 < end && HyphenatedToWord(tokens, start, start + 1)))
            {
                break;
            }

            micro |= type == WordType.Microdistrict;
            start++;
        }

        while (end > start)
        {
            WordType type = end - 2 >= start ? CompoundAt(chars, tokens, end - 2, end) : WordType.None;
            if (type != WordType.None)
            {
                micro |= type == WordType.Microdistrict;
                end -= 2;
                continue;
            }

            type = WordTypeOf(Text(chars, tokens[end - 1]));
            if (type == WordType.None || (end - 2 >= start && HyphenatedToWord(tokens, end - 1, end - 2)))
            {
                break;
            }

            micro |= type == WordType.Microdistrict;
            end--;
        }

        bool fallback = start >= end;
        if (fallback)
        {
            // Only type words ("Проспект"): keep them as the name.
            start = 0;
            end = tokens.Length;
            micro = false;
        }

        for (int j = start + 1; j < end; j++)
        {
            Token previous = tokens[j - 1];
            if (previous.IsDigits && previous.JoinNext is Join.Glued or Join.Hyphen
                && !tokens[j].IsDigits && IsOrdinalEnding(Text(chars, tokens[j])))
            {
                tokens[j].Dropped = true;
            }
        }

        int o = 0;
        if (micro)
        {
            MicrodistrictMarker.AsSpan().CopyTo(output);
            o = MicrodistrictMarker.Length;
        }

        for (int j = start; j < end; j++)
        {
            Token token = tokens[j];
            if (token.Dropped)
            {
                continue;
            }

            if (o > 0)
            {
                // Hyphens become spaces ("Ала-Тоо" = "Ала Тоо"), except around a type word kept as part of a name
                // ("Кара-Ул"), so that normalizing the key again does not strip it.
                Join join = j > start && (fallback
                    || WordTypeOf(Text(chars, tokens[j - 1])) != WordType.None
                    || WordTypeOf(Text(chars, token)) != WordType.None)
                    ? tokens[j - 1].JoinNext
                    : Join.None;
                output[o++] = join switch
                {
                    Join.Hyphen => '-',
                    Join.Slash => '/',
                    _ => ' ',
                };
            }

            ReadOnlySpan<char> text = Text(chars, token);
            if (token.IsDigits)
            {
                int zeros = 0;
                while (zeros < text.Length - 1 && text[zeros] == '0')
                {
                    zeros++;
                }

                text = text[zeros..];
            }

            text.CopyTo(output[o..]);
            o += text.Length;
        }

        return o;
    }

    /// <summary>
    /// True when the type word at <paramref name="typeIndex"/> is hyphen- or slash-joined to the word (not a number) at
    /// <paramref name="neighbour"/>: it is then part of a name ("Кара-Ул"), not a street type ("5-мкр" is still a type).
    /// </summary>
    private static bool HyphenatedToWord(ReadOnlySpan<Token> tokens, int typeIndex, int neighbour) =>
        tokens[Math.Min(typeIndex, neighbour)].JoinNext is Join.Hyphen or Join.Slash && !tokens[neighbour].IsDigits;

    private static ReadOnlySpan<char> Text(ReadOnlySpan<char> chars, in Token token) =>
        chars.Slice(token.Start, token.Length);

    private static WordType CompoundAt(ReadOnlySpan<char> chars, ReadOnlySpan<Token> tokens, int index, int end)
    {
        if (index + 1 >= end)
        {
            return WordType.None;
        }

        ReadOnlySpan<char> first = Text(chars, tokens[index]);
        ReadOnlySpan<char> second = Text(chars, tokens[index + 1]);
        Join join = tokens[index].JoinNext;

        if (join == Join.Hyphen)
        {
            // пр-т, пр-кт, пр-д, б-р
            if ((first.SequenceEqual("пр") && second is "т" or "кт" or "д") || (first.SequenceEqual("б") && second.SequenceEqual("р")))
            {
                return WordType.Street;
            }
        }

        if (join != Join.Glued && first.SequenceEqual("ж") && second.SequenceEqual("м"))
        {
            return WordType.Street; // ж/м, ж.м.
        }

        if (join is Join.None or Join.Hyphen && first.SequenceEqual("кичи") && second.SequenceEqual("району"))
        {
            return WordType.Microdistrict;
        }

        return WordType.None;
    }

    // Words are compared after folding: "көчөсү" is "кочосу" here.
    private static WordType WordTypeOf(ReadOnlySpan<char> word) => word switch
    {
        "ул" or "улица" or "кочосу" or "коч" or "кочо"
            or "пр" or "проспект" or "проспектиси" or "проезд"
            or "переулок" or "пер" or "тупик"
            or "бульвар" or "бульвары"
            or "пл" or "площадь" or "аянты"
            or "жилмассив" or "массив"
            or "street" or "str" or "st" or "avenue" or "ave" => WordType.Street,
        "мкр" or "мкрн" or "микрорайон" or "микрорайону" or "кичирайону" => WordType.Microdistrict,
        _ => WordType.None,
    };

    private static bool IsOrdinalEnding(ReadOnlySpan<char> word) => word is
        "й" or "я" or "е" or "ая" or "ый" or "ий" or "ой" or "ое" or "го" or "ого"
        or "чи" or "чы" or "чу" or "нчи" or "нчы" or "нчу" or "инчи" or "ынчы" or "унчу";
}
