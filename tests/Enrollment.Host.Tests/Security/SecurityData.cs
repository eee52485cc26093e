using Enrollment.DemoData;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Security;

/// <summary>People of the Tiny dataset in the situations the sign-up rules are about.</summary>
internal static class SecurityData
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static HashSet<string> AccountPins => [.. Tiny.Data.Accounts.Where(a => a.Pin is not null).Select(a => a.Pin!)];

    private static bool IsAdult(DemoPerson p) => p.BirthDate.AddYears(19) <= Today;

    /// <summary>Adults with a linked child and no account yet: each may sign up once.</summary>
    public static IReadOnlyList<DemoPerson> ParentsWithoutAccount =>
    [
        .. Tiny.Data.Persons.Where(p => IsAdult(p) && !AccountPins.Contains(p.Pin) && Tiny.Data.ParentLinks.Any(l => l.ParentPin == p.Pin)),
    ];

    public static DemoPerson Child => Tiny.Data.Persons.First(p => Tiny.Data.ParentLinks.Any(l => l.ChildPin == p.Pin));

    /// <summary>A well-formed PIN (born 15 March 1985) that the population registry does not hold.</summary>
    public static string UnknownPin => Enumerable.Range(1, 99999)
        .Select(n => "215031985" + n.ToString("D5", System.Globalization.CultureInfo.InvariantCulture))
        .First(pin => Tiny.Data.Persons.All(p => p.Pin != pin));

    public const string StrongPassword = "Strong-Passw0rd-2026!";
}
