using Enrollment.BuildingBlocks.Audit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Host.Audit;

internal sealed record AuditChainReport(bool Intact, int Entries, long? FirstBrokenEntryId);

/// <summary>Recomputes the hash chain over every audit entry in order; the first entry whose hash disagrees is reported.</summary>
internal sealed class AuditVerifier(AuditDbContext db)
{
    public async Task<AuditChainReport> VerifyAsync(CancellationToken cancellationToken)
    {
        string? previous = null;
        var count = 0;
        await foreach (var e in db.Entries.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            var data = new AuditEntryData(e.At, e.ActorId, e.ActorName, e.ActorRoles, e.DistrictCode, e.SchoolCode, e.RequestId,
                e.Module, e.Entity, e.EntityKey, e.Action, e.BeforeJson, e.AfterJson, e.Reason);
            if (e.PreviousHash != previous || AuditLog.Hash(previous, data) != e.Hash)
            {
                return new AuditChainReport(false, count, e.Id);
            }

            previous = e.Hash;
        }

        return new AuditChainReport(true, count, null);
    }

    /// <summary><c>dotnet run --project src/Host -- verify-audit</c>: exit 0 when intact, 3 when tampered.</summary>
    public static async Task<int> RunCommandAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync(CancellationToken.None);
        Console.WriteLine(report.Intact
            ? $"audit chain intact: {report.Entries} entries"
            : $"audit chain BROKEN at entry {report.FirstBrokenEntryId} (checked {report.Entries} entries)");
        return report.Intact ? 0 : 3;
    }
}
