using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Season;

namespace Enrollment.Host.Tests.Security;

/// <summary>
/// The log scan over a full end-to-end run: the whole season of <see cref="SeasonTests"/> (sign-up, drafts, submissions,
/// allocation runs, confirmation, enrollment order, offer expiry, cancellation, Stage Two, notification delivery,
/// read-model rebuild) on a host that captures every log line at Information and above — then no PIN, name, phone or
/// e-mail of the demo population (nor the contacts the parents typed in) may appear in any line.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class SeasonLogScanTests
{
    [Fact]
    public async Task A_whole_season_logs_no_demo_pin_name_phone_or_email()
    {
        using var factory = new SeasonFactory();
        await new SeasonTests(factory).Stage_one_to_stage_two_season_through_the_api();

        var lines = factory.Logs.Lines.ToList();
        Assert.NotEmpty(lines);
        var secrets = Tiny.Data.Persons
            .SelectMany(p => new[] { p.Pin, p.Phone, p.Email, p.LastName + " " + p.FirstName, p.FirstName + " " + p.LastName })
            .Append("+996 555 123456") // the contacts every test submission types in (Families.SubmitInput)
            .Append("parent@example.kg")
            .Where(s => !string.IsNullOrEmpty(s))
            .Select(s => s!)
            .ToHashSet(StringComparer.Ordinal);
        var leaks = lines.SelectMany(line => secrets.Where(s => line.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{s} in: {line}")).Take(5).ToList();
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }
}
