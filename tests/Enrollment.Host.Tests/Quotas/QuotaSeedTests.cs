using System.Net;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Quotas;

/// <summary>The seeded 2026/27 campaign, on a host of its own (the other Quotas tests create a later campaign).</summary>
[Collection(HostCollection.Name)]
public sealed class QuotaSeedTests(QuotasFactory factory) : IClassFixture<QuotasFactory>
{
    [Fact]
    public async Task Demo_seed_gives_every_participating_school_approved_programs_in_its_languages()
    {
        factory.Clock.Set(new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero));
        var client = factory.CreateClient();
        var (status, body) = await client.PostAsync("{ programs { schoolCode language approvedSeats classes } }");
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        var programs = body["data"]!["programs"]!.AsArray();
        var participating = Tiny.Data.Schools.Where(s => s.ParticipatesInEnrollment && s.ExpectedFirstGradeSeats > 0).ToList();
        Assert.Equal(participating.Sum(s => s.ExpectedFirstGradeSeats), programs.Sum(p => p!["approvedSeats"]!.GetValue<int>()));
        Assert.All(programs, p =>
        {
            var school = participating.Single(s => s.Code == p!["schoolCode"]!.GetValue<string>());
            Assert.Contains(p!["language"]!.GetValue<string>(), school.Languages);
        });
    }
}
