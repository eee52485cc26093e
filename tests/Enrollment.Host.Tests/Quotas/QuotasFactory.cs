using Enrollment.BuildingBlocks.Time;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Quotas;

/// <summary>A seeded host whose clock the test moves (IClock overridden with a <see cref="FakeClock"/>).</summary>
public sealed class QuotasFactory : EnrollmentFactory
{
    public FakeClock Clock { get; } = new(new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // These tests sign in once and then travel weeks through the campaign on the fake clock, which also
        // governs token lifetimes: give their tokens a lifetime longer than the journey.
        builder.UseSetting("Auth:AccessTokenLifetime", "400.00:00:00");
        builder.ConfigureTestServices(s => s.AddSingleton<IClock>(Clock));
    }

    public const string CreateCampaign2027 = """
        mutation($s: CampaignSettingsInput!) { createCampaign(settings: $s) { id name calendar { stageOneOpensAt } } }
        """;

    public static object Settings2027(string stageTwo = "2027-06-01T10:00:00+06:00") => new
    {
        s = new
        {
            name = "2027/28", startYear = 2027,
            calendar = new
            {
                quotaEntryOpensAt = "2027-02-27T09:00:00+06:00", quotaEntryClosesAt = "2027-03-16T00:00:00+06:00",
                stageOneOpensAt = "2027-04-01T10:00:00+06:00", stageTwoOpensAt = stageTwo,
                mainClosesAt = "2027-08-16T00:00:00+06:00", lateEnrollmentEndsAt = "2027-10-01T00:00:00+06:00",
            },
            eligibleBirthFrom = "2020-01-01", eligibleBirthTo = "2021-12-31",
        },
    };
}
