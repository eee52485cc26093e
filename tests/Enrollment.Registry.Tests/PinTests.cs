using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Registry.Domain;

namespace Enrollment.Registry.Tests;

public sealed class PinTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);

    private static string? CodeOf(string? text) => Pin.TryParse(text, Today, out _, out var error) ? null : error.Code;

    [Theory]
    [InlineData("11001201912345", 'F', 2019, 1, 10)]
    [InlineData("22902202000001", 'M', 2020, 2, 29)]
    [InlineData("13112190099999", 'F', 1900, 12, 31)]
    [InlineData("10101190000000", 'F', 1900, 1, 1)]
    [InlineData("22811202612345", 'M', 2026, 11, 28)]
    public void Well_formed_pin_yields_sex_and_birth_date(string text, char sex, int year, int month, int day)
    {
        Assert.True(Pin.TryParse(text, Today, out var pin, out var error), error?.Code);
        Assert.Equal(text, pin.Value);
        Assert.Equal(sex, pin.Sex);
        Assert.Equal(new DateOnly(year, month, day), pin.BirthDate);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Missing_pin_is_PIN_REQUIRED(string? text) => Assert.Equal("PIN_REQUIRED", CodeOf(text));

    [Theory]
    [InlineData("1010120191234")] // 13
    [InlineData("101012019123456")] // 15
    [InlineData("1010120191234A")]
    [InlineData("1010 201912345")]
    [InlineData("10101-01912345")]
    [InlineData("+0101201912345")]
    [InlineData("１０１０１２０１９１２３４５")] // full-width digits
    [InlineData("١٠١٠١٢٠١٩١٢٣٤٥")] // Arabic-Indic digits: char.IsDigit, but not ASCII
    [InlineData("1")]
    public void Anything_but_14_ascii_digits_is_PIN_NOT_14_DIGITS(string text) => Assert.Equal("PIN_NOT_14_DIGITS", CodeOf(text));

    [Fact]
    public void Surrounding_whitespace_is_ignored()
    {
        Assert.True(Pin.TryParse("  10101201912345\n", Today, out var pin, out _));
        Assert.Equal("10101201912345", pin.Value);
    }

    [Theory]
    [InlineData("00101201912345")]
    [InlineData("30101201912345")]
    [InlineData("90101201912345")]
    public void First_digit_other_than_1_or_2_is_PIN_BAD_SEX_DIGIT(string text) => Assert.Equal("PIN_BAD_SEX_DIGIT", CodeOf(text));

    [Theory]
    [InlineData("10001201912345")] // day 00
    [InlineData("13201201912345")] // day 32
    [InlineData("10100201912345")] // month 00
    [InlineData("10113201912345")] // month 13
    [InlineData("13104201912345")] // 31 April
    [InlineData("12902201912345")] // 29 Feb in a common year
    [InlineData("12902190012345")] // 1900 was not a leap year
    [InlineData("13112189912345")] // before 1900
    [InlineData("10101000012345")] // year 0000
    [InlineData("12911202612345")] // tomorrow
    [InlineData("10101999912345")] // far future
    public void Impossible_or_future_or_pre_1900_date_is_PIN_BAD_BIRTH_DATE(string text) => Assert.Equal("PIN_BAD_BIRTH_DATE", CodeOf(text));

    [Fact]
    public void Rules_are_checked_in_order_required_length_sex_date()
    {
        Assert.Equal("PIN_NOT_14_DIGITS", CodeOf("9999999999999")); // bad sex and date, but 13 digits
        Assert.Equal("PIN_BAD_SEX_DIGIT", CodeOf("39999999999999")); // bad date too
    }

    [Fact]
    public void Every_failure_has_its_own_code()
    {
        var codes = PinErrors.All.Select(e => e.Code).ToList();
        Assert.Equal(["PIN_REQUIRED", "PIN_NOT_14_DIGITS", "PIN_BAD_SEX_DIGIT", "PIN_BAD_BIRTH_DATE", "PIN_BIRTH_DATE_MISMATCH"], codes);
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(PinErrors.All, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Fact]
    public void Registry_birth_date_differing_from_the_pin_is_PIN_BIRTH_DATE_MISMATCH()
    {
        Assert.True(Pin.TryParse("11001201912345", Today, out var pin, out _));

        pin.EnsureBirthDateMatches(new DateOnly(2019, 1, 10));
        var refused = Assert.Throws<InvalidPin>(() => pin.EnsureBirthDateMatches(new DateOnly(2019, 10, 1)));

        Assert.Equal("PIN_BIRTH_DATE_MISMATCH", refused.Code);
        Assert.IsAssignableFrom<RuleViolation>(refused);
    }

    [Fact]
    public void Parse_throws_a_rule_violation_with_the_code()
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal("PIN_BAD_SEX_DIGIT", Assert.Throws<InvalidPin>(() => Pin.Parse("30101201912345", clock)).Code);
        Assert.Equal("10101201912345", Pin.Parse("10101201912345", clock).Value);
    }

    [Fact]
    public void Today_is_the_date_in_Bishkek_not_UTC()
    {
        // 2026-11-28 19:30 UTC is already 29 November 01:30 in Bishkek (UTC+6).
        var clock = new FakeClock(new DateTimeOffset(2026, 11, 28, 19, 30, 0, TimeSpan.Zero));

        Assert.True(Pin.TryParse("22911202612345", clock, out _, out _));
        Assert.False(Pin.TryParse("23011202612345", clock, out _, out var error));
        Assert.Equal("PIN_BAD_BIRTH_DATE", error.Code);
    }

    [Fact]
    public void Default_pin_has_no_value()
    {
        Assert.Throws<InvalidOperationException>(() => default(Pin).Value);
        Assert.Equal("", default(Pin).ToString());
    }

    [Fact]
    public void Random_text_never_throws_and_any_accepted_pin_satisfies_every_rule()
    {
        var random = new Random(20261128);
        const string alphabet = "0123456789012345678901234567890123456789 \t-+aZ١１\0\u00a0";
        for (var i = 0; i < 200_000; i++)
        {
            var length = random.Next(0, 18);
            var chars = new char[length];
            for (var k = 0; k < length; k++)
            {
                // Mostly digits; sometimes a valid-looking prefix so that the date rules are exercised.
                chars[k] = alphabet[random.Next(alphabet.Length)];
            }

            var text = random.Next(4) == 0 ? null : new string(chars);
            if (random.Next(3) == 0 && length >= 14)
            {
                text = (random.Next(2) == 0 ? "1" : "2") + random.Next(1, 32).ToString("00", System.Globalization.CultureInfo.InvariantCulture)
                    + random.Next(0, 14).ToString("00", System.Globalization.CultureInfo.InvariantCulture)
                    + random.Next(1890, 2035).ToString("0000", System.Globalization.CultureInfo.InvariantCulture)
                    + random.Next(0, 100_000).ToString("00000", System.Globalization.CultureInfo.InvariantCulture);
            }

            var ok = Pin.TryParse(text, Today, out var pin, out var error);

            if (ok)
            {
                Assert.Null(error);
                AssertSatisfiesEveryRule(pin, text!);
            }
            else
            {
                Assert.NotNull(error);
                Assert.Contains(error, PinErrors.All);
                Assert.NotEqual(PinErrors.BirthDateMismatch, error);
                Assert.Equal(error.Code, Assert.Throws<InvalidPin>(() => Pin.Parse(text, new FakeClock(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.FromHours(6))))).Code);
            }
        }
    }

    [Fact]
    public void Every_real_date_from_1900_to_today_with_either_sex_digit_is_accepted()
    {
        var random = new Random(7);
        for (var date = new DateOnly(1900, 1, 1); date <= Today; date = date.AddDays(1))
        {
            var sex = random.Next(2) == 0 ? '1' : '2';
            var text = $"{sex}{date:ddMMyyyy}{random.Next(100_000):00000}";

            Assert.True(Pin.TryParse(text, Today, out var pin, out var error), $"{text}: {error?.Code}");
            Assert.Equal(date, pin.BirthDate);
            Assert.Equal(sex == '1' ? 'F' : 'M', pin.Sex);
        }
    }

    private static void AssertSatisfiesEveryRule(Pin pin, string text)
    {
        var digits = text.Trim();
        Assert.Equal(digits, pin.Value);
        Assert.Equal(14, digits.Length);
        Assert.All(digits, c => Assert.InRange(c, '0', '9'));
        Assert.Contains(digits[0], "12");
        var date = DateOnly.ParseExact(digits[1..9], "ddMMyyyy", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(date, pin.BirthDate);
        Assert.InRange(date, new DateOnly(1900, 1, 1), Today);
    }
}
