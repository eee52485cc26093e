using System.Text.Json;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Features.Proofs;
using Enrollment.Reporting.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Registry;

public sealed class RetentionApplicationsFactory() : ApplicationsFactory(StageTwoNoon);

/// <summary>Data retention (issue #8): after Registry:RetentionDays past the campaign's Closed date, non-enrolled applications lose their personal data.</summary>
public sealed class RetentionTests(RetentionApplicationsFactory factory) : IClassFixture<RetentionApplicationsFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static readonly string School = Tiny.Account("SchoolAdmin").SchoolCode!;

    private async Task<RetentionResult> RunJobAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RetentionJob>().RunOnceAsync(CancellationToken.None);
    }

    private async Task<T> WithDbAsync<T>(Func<RegistryDbContext, Task<T>> read)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<RegistryDbContext>());
    }

    private async Task<string> SnapshotAsync() => await WithDbAsync(async db => JsonSerializer.Serialize(
        await db.Applications.AsNoTracking().Include(a => a.History).Include(a => a.Choices).OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.ChildPin, a.ApplicantPin, a.ChildLastName, a.Phone, a.Status, a.AnonymizedAt, History = a.History.OrderBy(h => h.Sequence).Select(h => h.Actor + "|" + h.Reason).ToList() })
            .ToListAsync()));

    private async Task<int> RetentionAuditCountAsync()
    {
        var ministry = await _client.LoginAsync("ministry", Tiny.Account("MinistryAdmin").Password);
        var (_, body) = await _client.PostAsync("{ auditEntries(module: \"registry\", entity: \"Retention\", first: 200) { action afterJson } }", bearer: ministry);
        Assert.True(body["errors"] is null, body.ToJsonString());
        return body["data"]!["auditEntries"]!.AsArray().Count;
    }

    [Fact]
    public async Task Retention_job_anonymizes_exactly_the_non_enrolled_applications_of_a_closed_campaign_after_the_period_and_keeps_counts()
    {
        var program = (await _client.ProgramsAsync([School])).First();
        var families = Families.Eligible.Take(3).ToList();
        var tokens = new List<string>();
        var ids = new List<Guid>();
        string? proofId = null;
        foreach (var family in families)
        {
            var token = await _client.SignUpAsync(family);
            tokens.Add(token);
            if (proofId is null)
            {
                proofId = (await _client.UploadAsync(token, ProofKit.Pdf())).Body["id"]!.GetValue<string>();
            }

            var (_, body) = await _client.PostAsync(ProofKit.SubmitWithProofFields,
                ProofKit.SubmitWithProofs(family, program, family == families[0] ? "Disability" : null, family == families[0] ? proofId : null), token);
            Assert.True(body["errors"] is null, body.ToJsonString());
            ids.Add(Guid.Parse(body["data"]!["submitApplication"]!["id"]!.GetValue<string>()));
        }

        var (_, cancelled) = await _client.PostAsync("mutation($id: ID!) { cancelApplication(applicationId: $id, reason: \"Moving to Osh with Aida\") { status } }",
            new { id = ids[1] }, tokens[1]);
        Assert.True(cancelled["errors"] is null, cancelled.ToJsonString());

        // The school enrolls the third child as a late arrival.
        factory.Clock.Set(ApplicationsFactory.LateEnrollment);
        var admin = await _client.LoginAsync("school", "Demo-School-2026!");
        var (_, enrolled) = await _client.PostAsync(
            "mutation($s: String!, $ids: [ID!]!) { enrollChildren(schoolCode: $s, orderNumber: \"9-k\", orderDate: \"2026-08-20\", applicationIds: $ids) { status } }",
            new { s = School, ids = new[] { ids[2] } }, admin);
        Assert.True(enrolled["errors"] is null, enrolled.ToJsonString());

        var proofFile = await WithDbAsync(db => db.ProofFiles.AsNoTracking().SingleAsync(p => p.Id == Guid.Parse(proofId!)));
        var proofPath = Path.Combine(factory.DataDirectory, "proofs", proofFile.StoredName);
        Assert.True(File.Exists(proofPath));
        var orphan = Path.Combine(factory.DataDirectory, "proofs", new string('a', 32));
        await File.WriteAllBytesAsync(orphan, ProofKit.Pdf(100));
        File.SetLastWriteTimeUtc(orphan, DateTime.UtcNow.AddDays(-2));

        var campaign = (await factory.SendAsync(new GetCurrentCampaign()))!;
        var closed = campaign.Calendar.LateEnrollmentEndsAt;

        // One day before the period ends nothing changes (the orphan file without a row is removed regardless).
        factory.Clock.Set(closed.AddDays(364));
        var before = await SnapshotAsync();
        var early = await RunJobAsync();
        Assert.Equal(0, early.Applications);
        Assert.Equal(before, await SnapshotAsync());
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(proofPath));

        factory.Clock.Set(closed.AddDays(366));
        var counts = JsonSerializer.Serialize(await factory.SendAsync(new GetOpenDataApplications(AreaLevel.National)));
        var facts = (await factory.SendAsync(new GetApplicationFacts(campaign.Id))).Count;
        var auditsBefore = await RetentionAuditCountAsync();
        var total = await WithDbAsync(db => db.Applications.CountAsync(a => a.CampaignId == campaign.Id));
        var nonEnrolled = await WithDbAsync(db => db.Applications.CountAsync(a => a.CampaignId == campaign.Id && a.Status != ApplicationStatus.Enrolled));

        var result = await RunJobAsync();

        Assert.Equal(nonEnrolled, result.Applications);
        Assert.True(result.ProofFiles >= 1);
        await WithDbAsync(async db =>
        {
            foreach (var id in ids.Take(2))
            {
                var a = await db.Applications.AsNoTracking().Include(x => x.History).SingleAsync(x => x.Id == id);
                Assert.Equal("", a.ChildPin);
                Assert.Equal("", a.ApplicantPin);
                Assert.Equal("", a.ChildLastName);
                Assert.Equal("", a.ApplicantName);
                Assert.Null(a.Phone);
                Assert.Null(a.Email);
                Assert.Null(a.PriorityProofId);
                Assert.NotNull(a.AnonymizedAt);
                Assert.Equal(1, a.ChildBirthDate.Day);
                Assert.NotEmpty(a.History);
                Assert.All(a.History, h => Assert.DoesNotContain(families.Select(f => f.ParentPin), p => h.Actor == p));
                Assert.All(a.History, h => Assert.DoesNotContain("Aida", h.Reason ?? "", StringComparison.Ordinal));
            }

            var kept = await db.Applications.AsNoTracking().SingleAsync(x => x.Id == ids[2]);
            Assert.Equal(families[2].ChildPin, kept.ChildPin);
            Assert.Equal("+996 555 123456", kept.Phone);
            Assert.Null(kept.AnonymizedAt);
            Assert.Equal(total, await db.Applications.CountAsync(a => a.CampaignId == campaign.Id));
            Assert.Equal(0, await db.Applications.CountAsync(a => a.CampaignId == campaign.Id && a.Status != ApplicationStatus.Enrolled && a.AnonymizedAt == null));
            Assert.False(await db.ProofFiles.AnyAsync(p => p.Id == proofFile.Id));
            return 0;
        });
        Assert.False(File.Exists(proofPath));
        Assert.Equal(counts, JsonSerializer.Serialize(await factory.SendAsync(new GetOpenDataApplications(AreaLevel.National))));
        Assert.Equal(facts, (await factory.SendAsync(new GetApplicationFacts(campaign.Id))).Count);
        Assert.Equal(auditsBefore + 1, await RetentionAuditCountAsync());

        // A second run changes nothing.
        var once = await SnapshotAsync();
        var again = await RunJobAsync();
        Assert.False(again.Changed);
        Assert.Equal(once, await SnapshotAsync());
        Assert.Equal(auditsBefore + 1, await RetentionAuditCountAsync());
    }
}
