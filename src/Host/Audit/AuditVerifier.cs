using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Audit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Host.Audit;

internal sealed record AuditChainReport(bool Intact, int Entries, long? FirstBrokenEntryId);

/// <summary>
/// Recomputes the hash chain over every audit entry in order; the first entry whose hash disagrees is reported
/// (docs/adr/0008-audit-redaction-digests.md). Version 1 entries hash their snapshots; version 2 entries hash the
/// snapshots' digests, and a snapshot that was not redacted must still match its digest. A redacted snapshot cannot match
/// its digest, so the redaction entry that redacted it (<c>audit</c>/<c>Redaction</c>, itself in the chain) records a
/// digest over the redacted entries' ids and new snapshots: a redacted entry changed afterwards, one marked redacted
/// without a redaction, or a redaction entry that does not match is reported as broken too.
/// </summary>
internal sealed class AuditVerifier(AuditDbContext db)
{
    public async Task<AuditChainReport> VerifyAsync(CancellationToken cancellationToken)
    {
        string? previous = null;
        var count = 0;
        var redacted = new Dictionary<string, (long FirstId, IncrementalHash Digest)>(StringComparer.Ordinal);
        var recorded = new Dictionary<string, (long EntryId, string? Digest)>(StringComparer.Ordinal);
        try
        {
            await foreach (var e in db.Entries.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                count++;
                if (e.PreviousHash != previous || !EntryHolds(e, previous))
                {
                    return new AuditChainReport(false, count, e.Id);
                }

                if (e.RedactedBy is not null)
                {
                    if (!redacted.TryGetValue(e.RedactedBy, out var group))
                    {
                        group = (e.Id, IncrementalHash.CreateHash(HashAlgorithmName.SHA256));
                        redacted[e.RedactedBy] = group;
                    }

                    group.Digest.AppendData(Encoding.UTF8.GetBytes(RedactionLine(e.Id, e.BeforeJson, e.AfterJson)));
                }

                if (e.Module == AuditRedactor.Module && e.Entity == AuditRedactor.Entity)
                {
                    recorded[e.EntityKey] = (e.Id, RecordedDigest(e.AfterJson));
                }

                previous = e.Hash;
            }

            // Every redaction group must be the one its redaction entry recorded.
            foreach (var (key, group) in redacted.OrderBy(g => g.Value.FirstId))
            {
                var actual = Convert.ToHexString(group.Digest.GetHashAndReset());
                if (!recorded.TryGetValue(key, out var entry) || entry.Digest != actual)
                {
                    return new AuditChainReport(false, count, group.FirstId);
                }
            }

            foreach (var (key, entry) in recorded.OrderBy(r => r.Value.EntryId))
            {
                if (!redacted.ContainsKey(key) && entry.Digest != EmptyDigest)
                {
                    return new AuditChainReport(false, count, entry.EntryId); // it redacted entries that are no longer marked
                }
            }

            return new AuditChainReport(true, count, null);
        }
        finally
        {
            foreach (var group in redacted.Values)
            {
                group.Digest.Dispose();
            }
        }
    }

    /// <summary>The digest a redaction entry records when it redacted nothing.</summary>
    public static readonly string EmptyDigest = Convert.ToHexString(SHA256.HashData([]));

    /// <summary>One redacted entry's share of its redaction's digest (ids in ascending order).</summary>
    public static string RedactionLine(long id, string? before, string? after) =>
        id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n" + AuditLog.Digest(before) + "\n" + AuditLog.Digest(after) + "\n";

    private static bool EntryHolds(AuditEntry e, string? previous)
    {
        var data = new AuditEntryData(e.At, e.ActorId, e.ActorName, e.ActorRoles, e.DistrictCode, e.SchoolCode, e.RequestId,
            e.Module, e.Entity, e.EntityKey, e.Action, e.BeforeJson, e.AfterJson, e.Reason);
        return e.HashVersion switch
        {
            // Version 1 hashes the snapshots themselves: it can never be redacted.
            1 => e.RedactedAt is null && e.RedactedBy is null && AuditLog.HashV1(previous, data) == e.Hash,
            2 => AuditLog.HashV2(previous, data, e.BeforeDigest, e.AfterDigest) == e.Hash
                && (e.RedactedAt is null) == (e.RedactedBy is null)
                && (e.RedactedAt is not null || (AuditLog.Digest(e.BeforeJson) == e.BeforeDigest && AuditLog.Digest(e.AfterJson) == e.AfterDigest)),
            _ => false,
        };
    }

    private static string? RecordedDigest(string? afterJson)
    {
        try
        {
            return afterJson is null ? null : JsonNode.Parse(afterJson)?[nameof(AuditRedactor.RedactionRecord.ContentDigest)]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
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
