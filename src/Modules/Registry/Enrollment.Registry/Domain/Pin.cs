using System.Diagnostics.CodeAnalysis;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Time;

namespace Enrollment.Registry.Domain;

/// <summary>
/// A personal identification number (ПИН): 14 ASCII digits — digit 1 the sex (1 female, 2 male), digits 2–9 the
/// birth date <c>DDMMYYYY</c>, digits 10–14 a serial. Only a well-formed PIN can be constructed; parse it with
/// <see cref="TryParse"/> (never throws) or <see cref="Parse"/> (throws only <see cref="InvalidPin"/>).
/// </summary>
internal readonly record struct Pin
{
    public const int Length = 14;

    /// <summary>The earliest accepted birth year.</summary>
    public const int MinBirthYear = 1900;

    private readonly string? _value;

    private Pin(string value, char sex, DateOnly birthDate)
    {
        _value = value;
        Sex = sex;
        BirthDate = birthDate;
    }

    /// <summary>The 14 digits.</summary>
    public string Value => _value ?? throw new InvalidOperationException("An uninitialized PIN has no value.");

    /// <summary><c>F</c> (first digit 1) or <c>M</c> (first digit 2), as the registry spells it.</summary>
    public char Sex { get; }

    /// <summary>The birth date encoded in digits 2–9.</summary>
    public DateOnly BirthDate { get; }

    public override string ToString() => _value ?? "";

    /// <summary>
    /// Checks <paramref name="text"/> (surrounding whitespace ignored) against today's date in Asia/Bishkek.
    /// Never throws. On failure <paramref name="error"/> holds the first rule broken, checked in this order:
    /// <see cref="PinErrors.Required"/>, <see cref="PinErrors.Not14Digits"/>, <see cref="PinErrors.BadSexDigit"/>,
    /// <see cref="PinErrors.BadBirthDate"/>.
    /// </summary>
    public static bool TryParse(string? text, DateOnly today, out Pin pin, [NotNullWhen(false)] out PinError? error)
    {
        pin = default;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            error = PinErrors.Required;
            return false;
        }

        if (trimmed.Length != Length || !trimmed.All(char.IsAsciiDigit))
        {
            error = PinErrors.Not14Digits;
            return false;
        }

        var sex = trimmed[0] switch
        {
            '1' => 'F',
            '2' => 'M',
            _ => '\0',
        };
        if (sex == '\0')
        {
            error = PinErrors.BadSexDigit;
            return false;
        }

        var day = Number(trimmed, 1, 2);
        var month = Number(trimmed, 3, 2);
        var year = Number(trimmed, 5, 4);
        if (year < MinBirthYear || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            error = PinErrors.BadBirthDate;
            return false;
        }

        var birthDate = new DateOnly(year, month, day);
        if (birthDate > today)
        {
            error = PinErrors.BadBirthDate;
            return false;
        }

        pin = new Pin(trimmed, sex, birthDate);
        error = null;
        return true;
    }

    /// <inheritdoc cref="TryParse(string?, DateOnly, out Pin, out PinError?)"/>
    public static bool TryParse(string? text, IClock clock, out Pin pin, [NotNullWhen(false)] out PinError? error) =>
        TryParse(text, Today(clock), out pin, out error);

    /// <summary>Parses a PIN or throws <see cref="InvalidPin"/> (a <see cref="RuleViolation"/>) with the rule's code.</summary>
    public static Pin Parse(string? text, IClock clock) =>
        TryParse(text, clock, out var pin, out var error) ? pin : throw new InvalidPin(error);

    /// <summary>The registry's birth date of this person must be the one the PIN encodes; throws <c>PIN_BIRTH_DATE_MISMATCH</c> otherwise.</summary>
    public void EnsureBirthDateMatches(DateOnly registryBirthDate)
    {
        if (registryBirthDate != BirthDate)
        {
            throw new InvalidPin(PinErrors.BirthDateMismatch);
        }
    }

    private static DateOnly Today(IClock clock) => DateOnly.FromDateTime(Bishkek.ToLocal(clock.UtcNow).DateTime);

    private static int Number(string digits, int start, int length)
    {
        var n = 0;
        for (var i = start; i < start + length; i++)
        {
            n = (n * 10) + (digits[i] - '0');
        }

        return n;
    }
}

/// <summary>Why a text is not a PIN: a stable code (reaches clients as <c>extensions.code</c>) and a message.</summary>
internal sealed record PinError(string Code, string Message);

internal static class PinErrors
{
    public static readonly PinError Required = new("PIN_REQUIRED", "Enter the 14-digit personal identification number (PIN).");

    public static readonly PinError Not14Digits = new("PIN_NOT_14_DIGITS", "A PIN has exactly 14 digits and nothing else.");

    public static readonly PinError BadSexDigit = new("PIN_BAD_SEX_DIGIT", "The first digit of a PIN is 1 (female) or 2 (male).");

    public static readonly PinError BadBirthDate = new("PIN_BAD_BIRTH_DATE",
        "Digits 2–9 of a PIN are the birth date DDMMYYYY: a real date, not in the future and not before 1900.");

    public static readonly PinError BirthDateMismatch = new("PIN_BIRTH_DATE_MISMATCH",
        "The birth date in the PIN differs from the birth date in the population registry; check the PIN or contact the registry office.");

    public static IReadOnlyList<PinError> All { get; } = [Required, Not14Digits, BadSexDigit, BadBirthDate, BirthDateMismatch];
}

/// <summary>A PIN broke one of its rules; <see cref="RuleViolation.Code"/> says which.</summary>
internal sealed class InvalidPin(PinError error) : RuleViolation(error.Code, error.Message)
{
    public PinError Error { get; } = error;
}
