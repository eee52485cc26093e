using Enrollment.Schools.Domain.Addresses;

namespace Enrollment.Schools.Tests.Addresses;

public sealed class HouseNumberTests
{
    [Theory]
    [InlineData("12", 12, "", null, null, "12")]
    [InlineData("12А", 12, "а", null, null, "12а")]
    [InlineData("12а", 12, "а", null, null, "12а")]
    [InlineData("12 A", 12, "а", null, null, "12а")] // Latin capital A
    [InlineData("12-б", 12, "б", null, null, "12б")]
    [InlineData("12/3", 12, "", 3, null, "12/3")]
    [InlineData("12а/3", 12, "а", 3, null, "12а/3")]
    [InlineData("15 корп. 2", 15, "", null, 2, "15 корп. 2")]
    [InlineData("15 корпус 2", 15, "", null, 2, "15 корп. 2")]
    [InlineData("15 к2", 15, "", null, 2, "15 корп. 2")]
    [InlineData("15к.2", 15, "", null, 2, "15 корп. 2")]
    [InlineData("15/1 к 2", 15, "", 1, 2, "15/1 корп. 2")]
    [InlineData("д. 12", 12, "", null, null, "12")]
    [InlineData("дом 12", 12, "", null, null, "12")]
    [InlineData("№12", 12, "", null, null, "12")]
    [InlineData("д. № 7Б", 7, "б", null, null, "7б")]
    [InlineData("үй 3", 3, "", null, null, "3")]
    [InlineData("  12  ", 12, "", null, null, "12")]
    [InlineData("12к", 12, "к", null, null, "12к")]
    [InlineData("12Ё", 12, "е", null, null, "12е")]
    public void House_forms_are_read_into_number_letter_fraction_and_building(
        string text, int number, string letter, int? fraction, int? building, string canonical)
    {
        Assert.True(HouseNumber.TryParse(text, out HouseNumber house), text);
        Assert.Equal(number, house.Number);
        Assert.Equal(letter, house.Letter);
        Assert.Equal(fraction, house.Fraction);
        Assert.Equal(building, house.Building);
        Assert.Equal(canonical, house.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("б/н")]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("12аб")]
    [InlineData("12/")]
    [InlineData("12 корп.")]
    [InlineData("12/3а")]
    [InlineData("12D")]
    [InlineData("1234567")]
    [InlineData("12, кв. 5")]
    [InlineData("12 (угол)")]
    public void Unreadable_house_numbers_are_rejected_without_throwing(string? text)
    {
        Assert.False(HouseNumber.TryParse(text, out _));
    }

    [Fact]
    public void Equality_is_on_the_canonical_form()
    {
        Assert.Equal(HouseNumber.Parse("12А"), HouseNumber.Parse("д. 12 a"));
        Assert.Equal(HouseNumber.Parse("15 корп. 2"), HouseNumber.Parse("15к2"));
        Assert.NotEqual(HouseNumber.Parse("12"), HouseNumber.Parse("12А"));
        Assert.NotEqual(HouseNumber.Parse("12/3"), HouseNumber.Parse("12 корп. 3"));
        Assert.True(HouseNumber.Parse("12/3") == HouseNumber.Parse("№ 12/3"));
        Assert.Equal(HouseNumber.Parse("12а").GetHashCode(), HouseNumber.Parse("12A").GetHashCode());
    }

    [Fact]
    public void Parse_of_an_unreadable_number_throws_a_format_exception()
    {
        Assert.Throws<FormatException>(() => HouseNumber.Parse("дом"));
    }
}
