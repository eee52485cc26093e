using Enrollment.Appeals.Data;
using Enrollment.Appeals.Domain;
using Enrollment.Registry.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Enrollment.Appeals.Features;

/// <summary>
/// Data retention (docs/security.md "Data retention"): when Registry has anonymized non-enrolled applications, their
/// appeals lose the personal data — the filing parent's PIN, the appeal's text and the text of every message of its
/// thread (the parent's words and the officer's answer, which names the child). Appeals have no attachments. What stays:
/// ids, campaign, districts, kind, school, status, decision, the dates and the officer who answered (a staff account),
/// so the appeal statistics keep counting. Rows are updated, never deleted (the context refuses deletions). Idempotent: a
/// rerun finds nothing left to erase. Exceptions propagate, so Registry does not confirm and publishes again next run.
/// </summary>
internal sealed partial class AppealsRetention(AppealsDbContext db, ILogger<AppealsRetention> logger) : INotificationHandler<ApplicationsAnonymized>
{
    public async ValueTask Handle(ApplicationsAnonymized notification, CancellationToken cancellationToken)
    {
        var (appeals, messages) = await EraseAsync(notification.ApplicationIds, cancellationToken);
        if (appeals + messages > 0)
        {
            LogErased(logger, appeals, messages, notification.RetentionRunId);
        }
    }

    public async Task<(int Appeals, int Messages)> EraseAsync(IReadOnlyList<Guid> applicationIds, CancellationToken ct)
    {
        int appeals = 0, messages = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var chunk in applicationIds.Chunk(500))
        {
            var ids = await db.Appeals.Where(a => chunk.Contains(a.ApplicationId)).Select(a => a.Id).ToListAsync(ct);
            messages += await db.Messages.Where(m => ids.Contains(m.AppealId) && m.Text != "")
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Text, ""), ct);
            appeals += await db.Appeals.Where(a => ids.Contains(a.Id) && (a.ApplicantPin != "" || a.Text != ""))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ApplicantPin, "").SetProperty(a => a.Text, ""), ct);
        }

        await transaction.CommitAsync(ct);
        return (appeals, messages);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Appeals: retention run {RunId} erased the personal data of {Appeals} appeal(s) and {Messages} message(s)")]
    private static partial void LogErased(ILogger logger, int appeals, int messages, Guid runId);
}
