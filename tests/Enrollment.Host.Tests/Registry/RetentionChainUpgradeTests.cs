using Enrollment.BuildingBlocks.Audit;
using Enrollment.Host.Audit;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Features.Proofs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Registry;

public sealed class RetentionChainUpgradeFactory() : ApplicationsFactory(StageTwoNoon);

/// <summary>
/// A trail written before hash version 2 (version 1 hashes the snapshots) is re-sealed before its first redaction — but
/// only when it verifies; a failed erasure is not confirmed, the job run fails, and the next run publishes it again.
/// </summary>
public sealed class RetentionChainUpgradeTests(RetentionChainUpgradeFactory factory) : IClassFixture<RetentionChainUpgradeFactory>
{
    private async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> run)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await run(scope.ServiceProvider);
    }

    /// <summary>Rewrites the whole trail as version 1 entries, as a database from before this change holds them.</summary>
    private Task<int> DowngradeToVersion1Async() => WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<AuditDbContext>();
        string? previous = null;
        var entries = await db.Entries.OrderBy(e => e.Id).ToListAsync();
        foreach (var e in entries)
        {
            e.HashVersion = 1;
            (e.BeforeDigest, e.AfterDigest, e.PreviousHash) = (null, null, previous);
            e.Hash = AuditLog.HashV1(previous, new AuditEntryData(e.At, e.ActorId, e.ActorName, e.ActorRoles, e.DistrictCode, e.SchoolCode, e.RequestId,
                e.Module, e.Entity, e.EntityKey, e.Action, e.BeforeJson, e.AfterJson, e.Reason));
            previous = e.Hash;
        }

        await db.SaveChangesAsync();
        return entries.Count;
    });

    private Task<AuditChainReport> VerifyAsync() => WithScopeAsync(sp => sp.GetRequiredService<AuditVerifier>().VerifyAsync(CancellationToken.None));

    [Fact]
    public async Task Version_1_trail_is_resealed_before_redaction_and_a_broken_one_blocks_the_erasure_until_a_later_run()
    {
        var client = factory.CreateClient();
        var family = Families.Eligible[20];
        var program = (await client.ProgramsAsync([Tiny.Account("SchoolAdmin").SchoolCode!])).First();
        var token = await client.SignUpAsync(family);
        var (_, body) = await client.PostAsync(Families.Submit, Families.SubmitInput(family, [program]), token);
        Assert.True(body["errors"] is null, body.ToJsonString());
        var id = Guid.Parse(body["data"]!["submitApplication"]!["id"]!.GetValue<string>());

        var count = await DowngradeToVersion1Async();
        Assert.Equal(new AuditChainReport(true, count, null), await VerifyAsync());

        // Someone edits a version 1 entry: the chain is broken, so it is not re-sealed and nothing is redacted.
        var (tampered, original) = await WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AuditDbContext>();
            var entry = await db.Entries.OrderBy(e => e.Id).FirstAsync(e => e.AfterJson != null);
            var before = entry.AfterJson!;
            entry.AfterJson = before.Replace("}", ",\"Note\":\"edited\"}", StringComparison.Ordinal);
            await db.SaveChangesAsync();
            return (entry.Id, before);
        });
        var campaign = (await factory.SendAsync(new GetCurrentCampaign()))!;
        factory.Clock.Set(campaign.Calendar.LateEnrollmentEndsAt.AddDays(400));
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            WithScopeAsync(async sp => { await sp.GetRequiredService<RetentionJob>().RunAsync(CancellationToken.None); return 0; }));
        var application = await WithScopeAsync(sp => sp.GetRequiredService<RegistryDbContext>().Applications.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.NotNull(application.AnonymizedAt);
        Assert.Null(application.ErasureConfirmedAt);
        Assert.Equal(tampered, (await VerifyAsync()).FirstBrokenEntryId);
        Assert.True(await WithScopeAsync(sp => sp.GetRequiredService<AuditDbContext>().Entries.AnyAsync(e => e.AfterJson!.Contains(family.ChildPin))));

        // Repaired, the next run re-seals the trail as version 2, redacts, and confirms.
        await WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AuditDbContext>();
            (await db.Entries.SingleAsync(e => e.Id == tampered)).AfterJson = original;
            return await db.SaveChangesAsync();
        });
        var result = await WithScopeAsync(sp => sp.GetRequiredService<RetentionJob>().RunOnceAsync(CancellationToken.None));
        Assert.Equal((0, 1, 0), (result.Applications, result.ErasuresConfirmed, result.ErasuresPending));
        await WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AuditDbContext>();
            Assert.False(await db.Entries.AnyAsync(e => e.HashVersion != 2));
            Assert.True(await db.Entries.AnyAsync(e => e.Module == "audit" && e.Entity == "ChainResealed"));
            Assert.True(await db.Entries.AnyAsync(e => e.Module == "audit" && e.Entity == "Redaction"));
            Assert.False(await db.Entries.AnyAsync(e => e.BeforeJson!.Contains(family.ChildPin) || e.AfterJson!.Contains(family.ChildPin)));
            return 0;
        });
        Assert.True((await VerifyAsync()).Intact);
        Assert.Equal(0, await AuditVerifier.RunCommandAsync(factory.Services));
    }
}
