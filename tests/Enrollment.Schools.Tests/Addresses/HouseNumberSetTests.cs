using Enrollment.Schools.Domain.Addresses;

namespace Enrollment.Schools.Tests.Addresses;

public sealed class HouseNumberSetTests
{
    private static bool In(string set, string house) => HouseNumberSet.Parse(set).Contains(HouseNumber.Parse(house));

    [Theory]
    [InlineData("1")]
    [InlineData("12")]
    [InlineData("12А")]
    [InlineData("12/3")]
    [InlineData("49 корп. 2")]
    [InlineData("49")]
    public void Range_contains_houses_by_leading_number_inclusive(string house)
    {
        Assert.True(In("1-49", house));
    }

    [Theory]
    [InlineData("50")]
    [InlineData("50А")]
    [InlineData("100")]
    public void Range_excludes_houses_outside_it(string house)
    {
        Assert.False(In("1-49", house));
    }

    [Fact]
    public void Star_contains_every_house()
    {
        Assert.True(In("*", "1"));
        Assert.True(In("*", "999/9 корп. 3"));
        Assert.True(HouseNumberSet.Parse("*").IsAll);
    }

    [Fact]
    public void Odd_range_contains_only_odd_leading_numbers()
    {
        Assert.True(In("odd:1-49", "1"));
        Assert.True(In("odd:1-49", "13Б"));
        Assert.True(In("odd:1-49", "49"));
        Assert.False(In("odd:1-49", "12"));
        Assert.False(In("odd:1-49", "51"));
        Assert.True(In("ODD : 1 - 49", "3"));
    }

    [Fact]
    public void Even_range_contains_only_even_leading_numbers()
    {
        Assert.True(In("even:2-50", "2"));
        Assert.True(In("even:2-50", "12/3"));
        Assert.True(In("even:2-50", "50"));
        Assert.False(In("even:2-50", "13"));
        Assert.False(In("even:2-50", "52"));
        Assert.True(In("even:*", "1000"));
        Assert.False(In("even:*", "1001"));
    }

    [Fact]
    public void List_matches_exact_canonical_house_numbers_only()
    {
        const string set = "list:12,12А,12/3,15 корп. 2";
        Assert.True(In(set, "12"));
        Assert.True(In(set, "12а"));
        Assert.True(In(set, "12 A"));
        Assert.True(In(set, "12/3"));
        Assert.True(In(set, "15к2"));
        Assert.False(In(set, "12Б"));
        Assert.False(In(set, "15"));
        Assert.False(In(set, "12/4"));
        Assert.False(In("list:12", "12А"));
    }

    [Fact]
    public void Long_lists_use_a_hash_lookup_with_the_same_result()
    {
        string set = "list:" + string.Join(",", Enumerable.Range(1, 30).Select(i => $"{i}а"));
        Assert.True(In(set, "17А"));
        Assert.False(In(set, "17"));
    }

    [Fact]
    public void A_single_house_number_is_a_one_entry_list()
    {
        HouseNumberSet set = HouseNumberSet.Parse("12А");
        Assert.Equal(HouseNumberSetKind.List, set.Kind);
        Assert.True(set.Contains(HouseNumber.Parse("12а")));
        Assert.False(set.Contains(HouseNumber.Parse("12")));
    }

    [Theory]
    [InlineData("*", "*")]
    [InlineData(" 1 - 49 ", "1-49")]
    [InlineData("1–49", "1-49")]
    [InlineData("Odd:1-49", "odd:1-49")]
    [InlineData("even:2-50", "even:2-50")]
    [InlineData("odd:*", "odd:*")]
    [InlineData("list: 12, 12А ,12/3,15 корп. 2", "list:12,12а,12/3,15 корп. 2")]
    [InlineData("list:12;12", "list:12")]
    public void Sets_have_a_canonical_rule_syntax(string text, string canonical)
    {
        Assert.Equal(canonical, HouseNumberSet.Parse(text).ToString());
        Assert.Equal(canonical, HouseNumberSet.Parse(canonical).ToString());
    }

    [Theory]
    [InlineData("10-5", "starts at 10, after its end 5")]
    [InlineData("odd:2-x", "'x'")]
    [InlineData("list:", "no house numbers")]
    [InlineData("list: , ,", "no house numbers")]
    [InlineData("list:12,б/н", "'б/н' is not a house number")]
    [InlineData("", "empty")]
    [InlineData(null, "empty")]
    [InlineData("foo:1-2", "Unknown house set kind 'foo'")]
    [InlineData("odd:", "needs a range")]
    [InlineData("1-", "'' in '1-'")]
    [InlineData("1-9999999", "not a whole house number")]
    [InlineData("всё", "is not a house set")]
    public void Malformed_sets_give_a_clear_error(string? text, string expectedFragment)
    {
        Assert.False(HouseNumberSet.TryParse(text, out HouseNumberSet? set, out string? error));
        Assert.Null(set);
        Assert.Contains(expectedFragment, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_of_a_malformed_set_throws_a_format_exception_with_the_reason()
    {
        FormatException ex = Assert.Throws<FormatException>(() => HouseNumberSet.Parse("10-5"));
        Assert.Contains("10", ex.Message, StringComparison.Ordinal);
    }
}
