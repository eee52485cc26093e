using System.Net;
using Enrollment.Host.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Audit;

[Collection(HostCollection.Name)]
public sealed class AuditTrailTests(EnrollmentFactory factory)
{
    [Fact]
    public async Task Module_writes_are_audited_with_actor_entity_and_after_state()
    {
        var client = factory.CreateClient();
        var token = await client.LoginAsync("ministry", "Demo-Ministry-2026!");
        var (status, body) = await client.PostAsync(
            "{ auditEntries(module: \"quotas\", entity: \"Campaign\") { actorName action entityKey afterJson hash } }", bearer: token);

        Assert.Equal(HttpStatusCode.OK, status);
        var entry = Assert.Single(body["data"]!["auditEntries"]!.AsArray());
        Assert.Equal("system", entry!["actorName"]!.GetValue<string>()); // the demo seed runs as the system
        Assert.Equal("Added", entry["action"]!.GetValue<string>());
        Assert.Contains("\"Name\":\"2026/27\"", entry["afterJson"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(64, entry["hash"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task Audit_is_for_the_ministry_only()
    {
        var client = factory.CreateClient();
        var token = await client.LoginAsync("district", "Demo-District-2026!");
        var (status, body) = await client.PostAsync("{ auditChain { intact } }", bearer: token);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("ACCESS_DENIED", body.ErrorCode());
    }

    [Fact]
    public async Task Untouched_chain_verifies()
    {
        var client = factory.CreateClient();
        var token = await client.LoginAsync("ministry", "Demo-Ministry-2026!");
        var (_, body) = await client.PostAsync("{ auditChain { intact entries firstBrokenEntryId } }", bearer: token);
        Assert.True(body["data"]!["auditChain"]!["intact"]!.GetValue<bool>(), body.Pretty());
        Assert.True(body["data"]!["auditChain"]!["entries"]!.GetValue<int>() >= 1);
    }
}

[Collection(HostCollection.Name)]
public sealed class AuditTamperingTests
{
    [Fact]
    public async Task A_row_changed_directly_in_the_database_breaks_the_chain()
    {
        using var factory = new EnrollmentFactory();
        _ = factory.Services;
        long tamperedId;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AuditDbContext>();
            var entry = await db.Entries.SingleAsync(e => e.Module == "quotas" && e.Entity == "Campaign");
            tamperedId = entry.Id;
            entry.AfterJson = entry.AfterJson!.Replace("2026/27", "2025/26", StringComparison.Ordinal);
            Assert.Equal(1, await db.SaveChangesAsync()); // the audit context itself is not audited: this is a raw change to the row
            Assert.Contains("2025/26", (await db.Entries.AsNoTracking().SingleAsync(e => e.Id == tamperedId)).AfterJson, StringComparison.Ordinal);
        }

        Assert.Equal(3, await AuditVerifier.RunCommandAsync(factory.Services));
        using var check = factory.Services.CreateScope();
        var report = await check.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync(CancellationToken.None);
        Assert.False(report.Intact);
        Assert.Equal(tamperedId, report.FirstBrokenEntryId);
    }

    [Fact]
    public async Task Verification_command_accepts_an_intact_chain()
    {
        using var factory = new EnrollmentFactory();
        _ = factory.Services;
        Assert.Equal(0, await AuditVerifier.RunCommandAsync(factory.Services));
    }
}
