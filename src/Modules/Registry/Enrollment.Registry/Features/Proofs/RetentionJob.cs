using System.Text.Json;
using System.Text.RegularExpressions;
using Enrollment.BuildingBlocks.Audit;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Enrollment.Registry.Features.Proofs;

/// <summary>What one retention run changed.</summary>
internal sealed record RetentionResult(int Applications, int ProofFiles, int OrphanFiles, int Campaigns, int ErasuresConfirmed = 0, int ErasuresPending = 0)
{
    public bool Changed => Applications + ProofFiles + OrphanFiles + ErasuresConfirmed > 0;
}

/// <summary>
/// Data retention (issue #8, docs/security.md): <c>Registry:RetentionDays</c> (default 365) after a campaign's Closed date
/// (the end of late enrollment), the personal data of its applications that did not end Enrolled is replaced — PINs, names,
/// contacts, free-text reasons, parent actors in the history, the proof files — while ids, statuses, choices, stages, the
/// birth year and sex stay, so the history still reads as a sequence of steps. After the commit it publishes
/// <see cref="ApplicationsAnonymized"/> for every anonymized application whose erasure elsewhere (Notifications, Appeals,
/// the audit snapshots) is not yet confirmed — this run's and any earlier run's whose publish failed — and confirms
/// them (<c>ErasureConfirmedAt</c>) only when every handler succeeded; otherwise the Hangfire run fails and the next run
/// publishes them again. Reporting does not handle the event (it keys its facts by the pseudonymous child key), so
/// every count stays. Proof rows no application references are deleted after the
/// same period, and proof files without a row (an upload that failed between file and row) after one day. Idempotent;
/// one system audit entry per run that changed something.
/// </summary>
internal sealed partial class RetentionJob(
    RegistryDbContext db, ProofStore store, ISender sender, IPublisher publisher, IClock clock, IConfiguration configuration,
    Microsoft.Extensions.Logging.ILogger<RetentionJob> logger)
{
    public const string Id = "registry:retention";

    public const string Anonymized = "";

    public int RetentionDays => Math.Max(0, configuration.GetValue("Registry:RetentionDays", 365));

    /// <summary>The Hangfire entry: a run that could not confirm every erasure fails (and is retried; the next run publishes again).</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var result = await RunOnceAsync(ct);
        if (result.ErasuresPending > 0)
        {
            throw new InvalidOperationException(
                $"Retention: the erasure of {result.ErasuresPending} anonymized application(s) in other modules is not confirmed; the next run publishes them again.");
        }
    }

    public async Task<RetentionResult> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var cutoff = now.AddDays(-RetentionDays);
        var campaigns = (await sender.Send(new GetClosedCampaigns(cutoff), ct)).Select(c => c.Id).ToList();
        var filesToDelete = new List<string>();
        int applications = 0, proofs = 0;

        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var targets = await db.Applications.AsNoTracking()
                .Where(a => campaigns.Contains(a.CampaignId) && a.AnonymizedAt == null && a.Status != ApplicationStatus.Enrolled)
                .Select(a => new { a.Id, a.ChildPin, a.ApplicantPin, a.CampaignId, a.PriorityProofId, a.RepresentativeProofId })
                .ToListAsync(ct);
            var ids = targets.Select(t => t.Id).ToList();
            applications = targets.Count;

            foreach (var chunk in ids.Chunk(500))
            {
                await db.Applications.Where(a => chunk.Contains(a.Id)).ExecuteUpdateAsync(s => s
                    .SetProperty(a => a.ChildPin, Anonymized)
                    .SetProperty(a => a.ApplicantPin, Anonymized)
                    .SetProperty(a => a.ActiveKey, (string?)null)
                    .SetProperty(a => a.IdempotencyKey, (string?)null)
                    .SetProperty(a => a.ChildLastName, Anonymized)
                    .SetProperty(a => a.ChildFirstName, Anonymized)
                    .SetProperty(a => a.ApplicantName, Anonymized)
                    .SetProperty(a => a.Phone, (string?)null)
                    .SetProperty(a => a.Email, (string?)null)
                    .SetProperty(a => a.SecondaryEmail, (string?)null)
                    .SetProperty(a => a.PriorityNote, (string?)null)
                    .SetProperty(a => a.Mismatches, (string?)null)
                    .SetProperty(a => a.PriorityProofId, (Guid?)null)
                    .SetProperty(a => a.RepresentativeProofId, (Guid?)null)
                    .SetProperty(a => a.AnonymizedAt, now), ct);
                // The birth date becomes 1 January of its year (reports count by birth year).
                foreach (var a in await db.Applications.AsNoTracking().Where(a => chunk.Contains(a.Id)).Select(a => new { a.Id, a.ChildBirthDate }).ToListAsync(ct))
                {
                    var year = new DateOnly(a.ChildBirthDate.Year, 1, 1);
                    await db.Applications.Where(x => x.Id == a.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.ChildBirthDate, year), ct);
                }
            }

            var pinsByApplication = targets.ToDictionary(t => t.Id, t => (t.ChildPin, t.ApplicantPin));
            foreach (var chunk in ids.Chunk(500))
            {
                var history = await db.ApplicationHistory.AsNoTracking().Where(h => chunk.Contains(h.ApplicationId))
                    .Select(h => new { h.Id, h.ApplicationId, h.Actor, h.Reason }).ToListAsync(ct);
                foreach (var h in history)
                {
                    var (child, applicant) = pinsByApplication[h.ApplicationId];
                    var actor = h.Actor == applicant || h.Actor == child || PinLike().IsMatch(h.Actor) ? "parent" : h.Actor;
                    var reason = ReasonCode(h.Reason);
                    if (actor != h.Actor || reason != h.Reason)
                    {
                        await db.ApplicationHistory.Where(x => x.Id == h.Id)
                            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Actor, actor).SetProperty(x => x.Reason, reason), ct);
                    }
                }
            }

            // Cancellation counters and grants of the children whose applications were anonymized (an enrolled sibling
            // application of the same child in the same campaign keeps them).
            foreach (var group in targets.GroupBy(t => t.CampaignId))
            {
                var children = group.Select(t => t.ChildPin).Where(p => p.Length > 0).Distinct().ToList();
                var kept = await db.Applications.Where(a => a.CampaignId == group.Key && children.Contains(a.ChildPin)).Select(a => a.ChildPin).ToListAsync(ct);
                var gone = children.Except(kept).ToList();
                await db.CancellationAllowances.Where(x => x.CampaignId == group.Key && gone.Contains(x.ChildPin)).ExecuteDeleteAsync(ct);
                await db.CancellationGrants.Where(x => x.CampaignId == group.Key && gone.Contains(x.ChildPin))
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.ChildPin, Anonymized).SetProperty(x => x.Reason, "RETAINED_ANONYMIZED"), ct);
            }

            // Proofs: those the anonymized applications referenced (unless a kept application still does), and those no
            // application references that are older than the retention period.
            var referenced = targets.SelectMany(t => new[] { t.PriorityProofId, t.RepresentativeProofId }).OfType<Guid>().Distinct().ToList();
            var stillUsed = await db.Applications.Where(a => a.PriorityProofId != null || a.RepresentativeProofId != null)
                .Select(a => new { a.PriorityProofId, a.RepresentativeProofId }).ToListAsync(ct);
            var used = stillUsed.SelectMany(a => new[] { a.PriorityProofId, a.RepresentativeProofId }).OfType<Guid>().ToHashSet();
            var candidates = await db.ProofFiles.AsNoTracking().Select(p => new { p.Id, p.StoredName, p.UploadedAt }).ToListAsync(ct);
            var doomed = candidates.Where(p => !used.Contains(p.Id) && (referenced.Contains(p.Id) || p.UploadedAt <= cutoff)).ToList();
            foreach (var chunk in doomed.Chunk(500))
            {
                var doomedIds = chunk.Select(p => p.Id).ToList();
                await db.ProofFiles.Where(p => doomedIds.Contains(p.Id)).ExecuteDeleteAsync(ct);
            }

            proofs = doomed.Count;
            filesToDelete.AddRange(doomed.Select(p => p.StoredName));
            if (applications + proofs > 0)
            {
                await AuditAsync(new RetentionResult(applications, proofs, 0, campaigns.Count), now, ct);
            }

            await transaction.CommitAsync(ct);
        }

        foreach (var name in filesToDelete)
        {
            store.Delete(name);
        }

        var orphans = await DeleteOrphanFilesAsync(now, ct);
        if (orphans > 0)
        {
            await AuditAsync(new RetentionResult(0, 0, orphans, campaigns.Count), now, ct);
        }

        var (confirmed, pending) = await PublishErasuresAsync(now, ct);
        return new RetentionResult(applications, proofs, orphans, campaigns.Count, confirmed, pending);
    }

    /// <summary>
    /// Publishes <see cref="ApplicationsAnonymized"/> for every anonymized application not yet confirmed, per campaign in
    /// chunks, and marks a chunk confirmed only when its publish returned (every handler succeeded). A failed chunk stays
    /// unconfirmed — so nothing can be missed silently: it is published again by the next run.
    /// </summary>
    private async Task<(int Confirmed, int Pending)> PublishErasuresAsync(DateTimeOffset now, CancellationToken ct)
    {
        var unconfirmed = await db.Applications.AsNoTracking()
            .Where(a => a.AnonymizedAt != null && a.ErasureConfirmedAt == null)
            .Select(a => new { a.Id, a.CampaignId }).ToListAsync(ct);
        var runId = Guid.NewGuid();
        int confirmed = 0, pending = 0;
        foreach (var campaign in unconfirmed.GroupBy(a => a.CampaignId))
        {
            foreach (var chunk in campaign.Select(a => a.Id).Order().Chunk(500))
            {
                try
                {
                    await publisher.Publish(new ApplicationsAnonymized(campaign.Key, chunk, runId), ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogErasureFailed(logger, e, chunk.Length, campaign.Key);
                    pending += chunk.Length;
                    continue;
                }

                await db.Applications.Where(a => chunk.Contains(a.Id)).ExecuteUpdateAsync(s => s.SetProperty(a => a.ErasureConfirmedAt, now), ct);
                confirmed += chunk.Length;
            }
        }

        return (confirmed, pending);
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Error,
        Message = "Retention: erasing {Count} anonymized applications of campaign {CampaignId} in other modules failed; the next run retries")]
    private static partial void LogErasureFailed(Microsoft.Extensions.Logging.ILogger logger, Exception exception, int count, Guid campaignId);

    private async Task<int> DeleteOrphanFilesAsync(DateTimeOffset now, CancellationToken ct)
    {
        var known = (await db.ProofFiles.AsNoTracking().Select(p => p.StoredName).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var count = 0;
        foreach (var (name, written) in store.List().ToList())
        {
            if (!known.Contains(name) && new DateTimeOffset(written, TimeSpan.Zero) < now.AddDays(-1))
            {
                store.Delete(name);
                count++;
            }
        }

        return count;
    }

    private async Task AuditAsync(RetentionResult result, DateTimeOffset now, CancellationToken ct) =>
        await AuditLog.AppendExplicitAsync(db, new AuditEntryData(now, "system", "system", "", null, null, null, RegistryContracts.Module,
            "Retention", now.ToString("O", System.Globalization.CultureInfo.InvariantCulture), "Anonymize", null,
            JsonSerializer.Serialize(new { result.Applications, result.ProofFiles, result.OrphanFiles, RetentionDays }), "RETENTION"), ct);

    /// <summary>The stable code of a history reason ("CANCELLED_BY_PARENT: free text" → "CANCELLED_BY_PARENT"); free text alone is dropped.</summary>
    public static string? ReasonCode(string? reason)
    {
        if (reason is null)
        {
            return null;
        }

        var code = ReasonCodePattern().Match(reason);
        return code.Success ? code.Value : null;
    }

    [GeneratedRegex(@"^[A-Z][A-Z0-9_]+")]
    private static partial Regex ReasonCodePattern();

    [GeneratedRegex(@"^[0-9]{14}$")]
    private static partial Regex PinLike();
}
