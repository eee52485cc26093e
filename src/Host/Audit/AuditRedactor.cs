using System.Globalization;
using System.Linq.Expressions;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Enrollment.BuildingBlocks.Audit;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Registry.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Host.Audit;

/// <summary>
/// Data retention in the audit trail (docs/adr/0008-audit-redaction-digests.md): when Registry has anonymized
/// non-enrolled applications, the before → after snapshots of the audit entries about them lose their personal data,
/// while the hash chain stays verifiable. An entry is <em>about</em> an anonymized application when its key is the
/// application's id or a top-level field of a snapshot (<c>ApplicationId</c>, …) holds it, and, one step further, when a
/// field holds the key of such an entry (an appeal's messages, a notification event's messages). In those entries every
/// personal field (PINs, names, contacts, texts, notes) is replaced by null, the birth date keeps only its year, and any
/// other string that contains a 14-digit PIN or one of the personal values found is masked; non-personal fields (status,
/// ids, schools, dates) stay. Entries that merely mention the id (a read listing it) only get those values masked.
/// The digests stay, <c>redacted_at</c>/<c>redacted_by</c> are set, and one system entry per redaction (module
/// <c>audit</c>, entity <c>Redaction</c>, counts and a digest over the redacted snapshots — no personal data) is appended
/// in the same transaction. Idempotent: redacted entries are skipped and an unchanged snapshot is not marked.
/// Version 1 entries (which hash the snapshots themselves) are first re-sealed as version 2 after the whole chain verified.
/// </summary>
internal sealed partial class AuditRedactor(AuditDbContext db, AuditVerifier verifier, IClock clock) : INotificationHandler<ApplicationsAnonymized>
{
    public const string Module = "audit";
    public const string Entity = "Redaction";
    public const string Masked = "***";

    /// <summary>Fields that hold personal data, in any module's snapshot.</summary>
    private static readonly HashSet<string> PersonalFields = new(StringComparer.Ordinal)
    {
        "ChildPin", "ApplicantPin", "ParentPin", "OwnerPin", "Pin", "ActiveKey", "IdempotencyKey",
        "ChildLastName", "ChildFirstName", "ChildPatronymic", "ApplicantName", "LastName", "FirstName", "Patronymic",
        "Phone", "Email", "SecondaryEmail", "Recipient", "Subject", "Body", "Text", "PriorityNote", "Mismatches",
        "Street", "House", "Apartment", "Address", "FileName", "LastError",
    };

    /// <summary>The record a redaction entry keeps (its <c>after_json</c>).</summary>
    internal sealed record RedactionRecord(Guid RetentionRunId, Guid CampaignId, int Applications, int Entries, string ContentDigest);

    public async ValueTask Handle(ApplicationsAnonymized notification, CancellationToken cancellationToken) =>
        await RedactAsync(notification.CampaignId, notification.ApplicationIds, notification.RetentionRunId, cancellationToken);

    /// <summary>Redacts the entries about the applications; returns how many were redacted now.</summary>
    public async Task<int> RedactAsync(Guid campaignId, IReadOnlyList<Guid> applicationIds, Guid retentionRunId, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The appenders' lock: the chain does not move while it is re-sealed or a redaction is recorded.
        await AdvisoryLock.TakeAsync(db.Database, AdvisoryLock.AuditChain, null, ct);

        await ResealVersion1Async(ct);

        var ids = applicationIds.Select(id => id.ToString("D")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var mentioning = await FindMentioningAsync(ids, ct);
        var owned = mentioning.Values.Where(e => IsAbout(e, ids)).ToDictionary(e => e.Id);
        var ownedKeys = owned.Values.Select(e => e.EntityKey).Where(k => Guid.TryParse(k, out _) && !ids.Contains(k)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, entry) in await FindMentioningAsync(ownedKeys, ct))
        {
            mentioning.TryAdd(id, entry);
            if (IsAbout(entry, ownedKeys))
            {
                owned.TryAdd(id, entry);
            }
        }

        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in owned.Values)
        {
            CollectPersonalValues(e.BeforeJson, values);
            CollectPersonalValues(e.AfterJson, values);
        }

        var key = Guid.NewGuid().ToString("D");
        var now = clock.UtcNow;
        var redacted = new List<AuditEntry>();
        foreach (var e in mentioning.Values.Where(e => e.RedactedAt is null).OrderBy(e => e.Id))
        {
            var own = owned.ContainsKey(e.Id);
            var before = Redact(e.BeforeJson, own, values);
            var after = Redact(e.AfterJson, own, values);
            if (before == e.BeforeJson && after == e.AfterJson)
            {
                continue;
            }

            e.BeforeJson = before;
            e.AfterJson = after;
            e.RedactedAt = now;
            e.RedactedBy = key;
            redacted.Add(e);
        }

        if (redacted.Count > 0)
        {
            await db.SaveChangesAsync(ct);
            using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var e in redacted)
            {
                digest.AppendData(Encoding.UTF8.GetBytes(AuditVerifier.RedactionLine(e.Id, e.BeforeJson, e.AfterJson)));
            }

            var record = new RedactionRecord(retentionRunId, campaignId, applicationIds.Count, redacted.Count, Convert.ToHexString(digest.GetHashAndReset()));
            await AuditLog.AppendExplicitAsync(db, new AuditEntryData(now, "system", "system", "", null, null, null, Module, Entity, key,
                "Redact", null, JsonSerializer.Serialize(record), "RETENTION"), ct);
        }

        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return redacted.Count;
    }

    /// <summary>Tracked entries whose snapshots contain any of the strings (candidates; <see cref="IsAbout"/> decides).</summary>
    private async Task<Dictionary<long, AuditEntry>> FindMentioningAsync(IReadOnlyCollection<string> needles, CancellationToken ct)
    {
        var found = new Dictionary<long, AuditEntry>();
        var contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
        foreach (var chunk in needles.Chunk(50))
        {
            var e = Expression.Parameter(typeof(AuditEntry), "e");
            Expression? any = null;
            foreach (var needle in chunk)
            {
                var value = Expression.Constant(needle);
                var test = Expression.OrElse(
                    Expression.Call(Expression.Property(e, nameof(AuditEntry.BeforeJson)), contains, value),
                    Expression.Call(Expression.Property(e, nameof(AuditEntry.AfterJson)), contains, value));
                test = Expression.OrElse(Expression.Equal(Expression.Property(e, nameof(AuditEntry.EntityKey)), value), test);
                any = any is null ? test : Expression.OrElse(any, test);
            }

            foreach (var entry in await db.Entries.Where(Expression.Lambda<Func<AuditEntry, bool>>(any!, e)).ToListAsync(ct))
            {
                found.TryAdd(entry.Id, entry);
            }
        }

        return found;
    }

    /// <summary>The entry is about one of the keys: its own key, or a top-level snapshot field other than a campaign's or a school's.</summary>
    private static bool IsAbout(AuditEntry e, HashSet<string> keys)
    {
        if (keys.Contains(e.EntityKey))
        {
            return true;
        }

        return Fields(e.BeforeJson).Concat(Fields(e.AfterJson)).Any(f => f.Value is JsonValue v && v.TryGetValue<string>(out var s) && keys.Contains(s)
            && f.Key != "Id" && f.Key.EndsWith("Id", StringComparison.Ordinal));
    }

    private static IEnumerable<KeyValuePair<string, JsonNode?>> Fields(string? json) =>
        Parse(json) is JsonObject o ? o.ToList() : [];

    private static JsonNode? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void CollectPersonalValues(string? json, HashSet<string> values)
    {
        foreach (var (name, node) in Fields(json))
        {
            if (PersonalFields.Contains(name) && node is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim().Length >= 4)
            {
                values.Add(s.Trim());
            }
        }
    }

    /// <summary>The snapshot without personal data (the same string when there was nothing to redact).</summary>
    internal static string? Redact(string? json, bool owned, IReadOnlySet<string> values)
    {
        if (Parse(json) is not JsonObject o)
        {
            return json is null ? null : MaskText(json, values);
        }

        var changed = false;
        foreach (var name in o.Select(p => p.Key).ToList())
        {
            var node = o[name];
            if (owned && PersonalFields.Contains(name))
            {
                if (node is not null)
                {
                    o[name] = null;
                    changed = true;
                }

                continue;
            }

            if (owned && name == "ChildBirthDate" && node is JsonValue date && date.TryGetValue<string>(out var d)
                && DateOnly.TryParse(d, CultureInfo.InvariantCulture, out var birth) && (birth.Month, birth.Day) != (1, 1))
            {
                o[name] = new DateOnly(birth.Year, 1, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                changed = true;
                continue;
            }

            if (node is JsonValue text && text.TryGetValue<string>(out var s))
            {
                var masked = owned && name == "Reason" ? ReasonCode(s) : MaskText(s, values);
                if (masked != s)
                {
                    o[name] = masked;
                    changed = true;
                }
            }
            else if (node is JsonObject or JsonArray)
            {
                var raw = node.ToJsonString(AuditJson);
                var masked = MaskText(raw, values);
                if (masked != raw)
                {
                    o[name] = JsonNode.Parse(masked);
                    changed = true;
                }
            }
        }

        return changed ? o.ToJsonString(AuditJson) : json;
    }

    private static readonly JsonSerializerOptions AuditJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string MaskText(string text, IReadOnlySet<string> values)
    {
        var masked = Pin().Replace(text, Masked);
        foreach (var value in values)
        {
            masked = masked.Replace(value, Masked, StringComparison.Ordinal);
        }

        return masked;
    }

    /// <summary>"CANCELLED_BY_PARENT: free text" → "CANCELLED_BY_PARENT"; free text alone is dropped.</summary>
    private static string? ReasonCode(string reason)
    {
        var code = ReasonCodePattern().Match(reason);
        return code.Success ? code.Value : null;
    }

    /// <summary>
    /// Entries written before hash version 2 hash their snapshots, so they could not be redacted without breaking the
    /// chain. Once, when any exist, the whole chain is verified and — only if intact — every entry is re-hashed as
    /// version 2 (digests filled in), followed by an <c>audit</c>/<c>ChainResealed</c> entry that records the former head
    /// hash. A broken chain is not re-sealed: the redaction fails, Registry does not confirm, and verify-audit names the break.
    /// </summary>
    private async Task ResealVersion1Async(CancellationToken ct)
    {
        if (!await db.Entries.AnyAsync(e => e.HashVersion == 1, ct))
        {
            return;
        }

        var report = await verifier.VerifyAsync(ct);
        if (!report.Intact)
        {
            throw new InvalidOperationException($"The audit chain is broken at entry {report.FirstBrokenEntryId}: version 1 entries are not re-sealed and cannot be redacted.");
        }

        string? previous = null, formerHead = null;
        long last = 0;
        var count = 0;
        while (true)
        {
            var batch = await db.Entries.Where(e => e.Id > last).OrderBy(e => e.Id).Take(1000).ToListAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var e in batch)
            {
                formerHead = e.Hash;
                var data = new AuditEntryData(e.At, e.ActorId, e.ActorName, e.ActorRoles, e.DistrictCode, e.SchoolCode, e.RequestId,
                    e.Module, e.Entity, e.EntityKey, e.Action, e.BeforeJson, e.AfterJson, e.Reason);
                if (e.HashVersion == 1)
                {
                    (e.BeforeDigest, e.AfterDigest, e.HashVersion) = (AuditLog.Digest(e.BeforeJson), AuditLog.Digest(e.AfterJson), 2);
                }

                e.PreviousHash = previous;
                e.Hash = AuditLog.HashV2(previous, data, e.BeforeDigest, e.AfterDigest);
                previous = e.Hash;
                count++;
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            last = batch[^1].Id;
        }

        await AuditLog.AppendExplicitAsync(db, new AuditEntryData(clock.UtcNow, "system", "system", "", null, null, null, Module, "ChainResealed",
            formerHead ?? "", "Reseal", null, JsonSerializer.Serialize(new { Entries = count, FormerHead = formerHead }), "RETENTION"), ct);
    }

    [GeneratedRegex(@"(?<![0-9])[0-9]{14}(?![0-9])")]
    private static partial Regex Pin();

    [GeneratedRegex(@"^[A-Z][A-Z0-9_]+")]
    private static partial Regex ReasonCodePattern();
}
