using Enrollment.Schools.Domain.Addresses;

namespace Enrollment.Schools.Tests.Addresses;

public sealed class StreetNameNormalizerTests
{
    [Theory]
    [InlineData("ул. Ленина")]
    [InlineData("улица  ЛЕНИНА")]
    [InlineData("Ленина ул")]
    [InlineData("Ленина ул.")]
    [InlineData("  ул.Ленина  ")]
    [InlineData("\"Ленина\" улица")]
    [InlineData("ул. «Ленина»")]
    [InlineData("Ленина street")]
    [InlineData("str. Ленина")]
    public void Russian_street_type_words_case_and_spaces_are_ignored(string spelling)
    {
        Assert.Equal("ленина", StreetNameNormalizer.Normalize(spelling));
    }

    [Theory]
    [InlineData("ул. Лeнинa")] // Latin e and a
    [InlineData("yл. ЛEHИHA")] // Latin y, E, H
    [InlineData("ул. ЛЕНИНА")]
    public void Registry_spelling_with_latin_letters_matches_cyrillic_rule(string spelling)
    {
        Assert.Equal(StreetNameNormalizer.Normalize("улица Ленина"), StreetNameNormalizer.Normalize(spelling));
    }

    [Fact]
    public void A_token_made_only_of_latin_lookalikes_becomes_cyrillic_when_the_name_has_cyrillic()
    {
        Assert.Equal("сахарова", StreetNameNormalizer.Normalize("ул. CAXAPOBA"));
    }

    [Fact]
    public void A_purely_latin_name_stays_latin()
    {
        Assert.Equal("lenina", StreetNameNormalizer.Normalize("Lenina street"));
        Assert.Equal("manas", StreetNameNormalizer.Normalize("Manas avenue"));
    }

    [Fact]
    public void Yo_and_ye_are_the_same_letter()
    {
        Assert.Equal(StreetNameNormalizer.Normalize("ул. Семёнова"), StreetNameNormalizer.Normalize("Семенова ул"));
        Assert.Equal("семенова", StreetNameNormalizer.Normalize("СЕМЁНОВА"));
    }

    [Fact]
    public void Decomposed_yo_and_short_i_match_the_composed_letters()
    {
        Assert.Equal("семенова", StreetNameNormalizer.Normalize("Семе\u0308нова"));
        Assert.Equal("чуй", StreetNameNormalizer.Normalize("Чуи\u0306"));
    }

    [Theory]
    [InlineData("пр. Чуй")]
    [InlineData("проспект Чуй")]
    [InlineData("пр-т Чуй")]
    [InlineData("пр-кт Чуй")]
    [InlineData("Чуй пр.")]
    [InlineData("Чуй avenue")]
    [InlineData("ПР Чуй")]
    public void Avenue_abbreviations_match_the_full_word(string spelling)
    {
        Assert.Equal("чуй", StreetNameNormalizer.Normalize(spelling));
    }

    [Theory]
    [InlineData("бульвар Эркиндик")]
    [InlineData("б-р Эркиндик")]
    [InlineData("Эркиндик бульвары")]
    public void Boulevard_in_russian_and_kyrgyz_is_removed(string spelling)
    {
        Assert.Equal("эркиндик", StreetNameNormalizer.Normalize(spelling));
    }

    [Theory]
    [InlineData("пер. Садовый", "садовый")]
    [InlineData("переулок Садовый", "садовый")]
    [InlineData("тупик Садовый", "садовый")]
    [InlineData("пл. Ала-Too", "ала тоо")]
    [InlineData("площадь Ала-Тоо", "ала тоо")]
    [InlineData("Ала-Тоо аянты", "ала тоо")]
    [InlineData("ж/м Ак-Орго", "ак орго")]
    [InlineData("жилмассив Ак-Орго", "ак орго")]
    [InlineData("массив Ак-Орго", "ак орго")]
    public void Other_street_types_are_removed_and_hyphens_are_spaces(string spelling, string key)
    {
        Assert.Equal(key, StreetNameNormalizer.Normalize(spelling));
    }

    [Theory]
    [InlineData("Токтогул көчөсү")]
    [InlineData("Токтогул көч.")]
    [InlineData("ТОКТОГУЛ КӨЧӨСҮ")]
    [InlineData("Токтогул кочосу")]
    public void Kyrgyz_street_suffix_is_removed(string spelling)
    {
        Assert.Equal("токтогул", StreetNameNormalizer.Normalize(spelling));
    }

    [Fact]
    public void Kyrgyz_letters_fold_to_their_russian_keyboard_spelling()
    {
        Assert.Equal(StreetNameNormalizer.Normalize("Чүй проспектиси"), StreetNameNormalizer.Normalize("проспект Чуй"));
        Assert.Equal(StreetNameNormalizer.Normalize("Үмөталиев көчөсү"), StreetNameNormalizer.Normalize("ул. Умоталиев"));
        Assert.Equal("жаны жер", StreetNameNormalizer.Normalize("Жаңы-Жер"));
    }

    [Theory]
    [InlineData("мкр 5")]
    [InlineData("5 мкр")]
    [InlineData("мкр. 5")]
    [InlineData("5-й мкр")]
    [InlineData("5 микрорайон")]
    [InlineData("микрорайон 05")]
    [InlineData("5-кичи району")]
    [InlineData("5мкр")]
    public void Microrayon_number_keeps_a_marker_whatever_the_word_order(string spelling)
    {
        Assert.Equal("мкр 5", StreetNameNormalizer.Normalize(spelling));
    }

    [Fact]
    public void Microrayon_12_is_not_the_same_as_a_street_called_12()
    {
        Assert.Equal(StreetNameNormalizer.Normalize("12 мкр"), StreetNameNormalizer.Normalize("мкр. 12"));
        Assert.NotEqual(StreetNameNormalizer.Normalize("мкр 12"), StreetNameNormalizer.Normalize("ул. 12"));
        Assert.Equal("12", StreetNameNormalizer.Normalize("ул. 12"));
    }

    [Fact]
    public void Numbers_inside_names_are_kept()
    {
        Assert.Equal("8 марта", StreetNameNormalizer.Normalize("ул. 8 Марта"));
        Assert.Equal("40 лет победы", StreetNameNormalizer.Normalize("40 лет Победы ул."));
        Assert.Equal("джал 29", StreetNameNormalizer.Normalize("мкр. Джал-29")[4..]);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    [InlineData(".,-«»", "")]
    [InlineData("Проспект", "проспект")]
    [InlineData("ул.", "ул")]
    public void Degenerate_names_do_not_throw_and_type_words_alone_are_kept(string? spelling, string key)
    {
        Assert.Equal(key, StreetNameNormalizer.Normalize(spelling));
    }

    [Fact]
    public void Control_characters_and_lone_surrogates_act_as_separators()
    {
        Assert.Equal("ленина", StreetNameNormalizer.Normalize("\u0001ул.\tЛенина\uD800"));
        Assert.Equal("ле нина", StreetNameNormalizer.Normalize("Ле\uDC00нина"));
        Assert.Equal("ленина", StreetNameNormalizer.Normalize("Ле\u00ADнина")); // soft hyphen is invisible
    }

    [Theory]
    [InlineData("ул. Кара-Ул", "кара-ул")]
    [InlineData("Кара-Ул көчөсү", "кара-ул")]
    [InlineData("Пр-Мира", "пр-мира")]
    [InlineData("5-мкр", "мкр 5")]
    public void A_type_word_hyphenated_to_a_name_is_part_of_the_name(string spelling, string key)
    {
        Assert.Equal(key, StreetNameNormalizer.Normalize(spelling));
    }

    [Fact]
    public void Initials_and_middle_type_words_are_kept()
    {
        Assert.Equal("ж абдрахманова", StreetNameNormalizer.Normalize("ул. Ж. Абдрахманова"));
    }

    [Fact]
    public void An_already_normalized_key_is_returned_as_the_same_instance()
    {
        string key = StreetNameNormalizer.Normalize("ул. Ленина");
        Assert.Same(key, StreetNameNormalizer.Normalize(key));
    }

    [Fact]
    public void Fast_cyrillic_lower_casing_agrees_with_the_invariant_culture()
    {
        for (char c = '\u0400'; c <= '\u04FF'; c++)
        {
            if (char.IsLetter(c))
            {
                Assert.Equal(char.ToLowerInvariant(c), StreetNameNormalizer.CyrillicToLower(c));
            }
        }
    }
}
