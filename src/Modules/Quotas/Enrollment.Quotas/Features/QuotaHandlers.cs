using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;
using Enrollment.Quotas.Data;
using Enrollment.Quotas.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Quotas.Features;

internal static class CampaignLookup
{
    public static async Task<Campaign> RequireAsync(this CurrentCampaign current, CancellationToken ct) =>
        await current.FindAsync(ct) ?? throw new RuleViolation("NO_CAMPAIGN", "No campaign exists yet.");

    public static bool InQuotaEntryWindow(this Campaign c, DateTimeOffset now) => c.QuotaEntryOpensAt <= now && now < c.QuotaEntryClosesAt;

    public static bool InChangeRequestPeriod(this Campaign c, DateTimeOffset now) => c.QuotaEntryClosesAt <= now && now < c.LateEnrollmentEndsAt;
}

internal sealed class SaveQuotaHandler(QuotasDbContext db, CurrentCampaign current, ISchoolDirectory schools, ICurrentUser user, IClock clock)
    : ICommandHandler<SaveQuota, QuotaDto>
{
    public async ValueTask<QuotaDto> Handle(SaveQuota command, CancellationToken ct)
    {
        Quota.CheckNumbers(command.Classes, command.Seats);
        if (command.Reason is { Length: > 1000 })
        {
            throw new ValidationFailed([new ValidationError("reason", "TOO_LONG", "At most 1000 characters.")]);
        }

        var campaign = await current.RequireAsync(ct);
        var school = await schools.SchoolAsync(command.SchoolCode, ct);
        user.RequireSchoolScope(school.Code, school.DistrictCode);
        RequireProgram(school, command.Language);
        var now = clock.UtcNow;
        var inWindow = campaign.InQuotaEntryWindow(now);
        if (!inWindow && !campaign.InChangeRequestPeriod(now))
        {
            throw new RuleViolation("QUOTA_WINDOW_CLOSED", "Quotas can be entered only in the quota entry window (and changed by request until the campaign closes).");
        }

        var quota = await db.Quotas.FirstOrDefaultAsync(
            q => q.CampaignId == campaign.Id && q.SchoolCode == school.Code && q.Language == command.Language && q.Grade == 1, ct);
        if (quota is null)
        {
            quota = new Quota
            {
                Id = Guid.NewGuid(), CampaignId = campaign.Id, SchoolCode = school.Code, DistrictCode = school.DistrictCode,
                RegionCode = school.RegionCode, Language = command.Language,
            };
            db.Quotas.Add(quota);
        }

        var change = inWindow
            ? quota.EditDraft(command.Classes, command.Seats, command.Reason, user.Name(), now)
            : quota.RequestChange(command.Classes, command.Seats, command.Reason, user.Name(), now);
        db.QuotaChanges.Add(change);
        await db.SaveChangesAsync(ct);
        return quota.ToDto(campaign.ClassSizeLimit);
    }

    public static void RequireProgram(Schools.Contracts.SchoolDto school, string language)
    {
        if (!school.ParticipatesInEnrollment)
        {
            throw new RuleViolation("SCHOOL_NOT_PARTICIPATING", $"School {school.Code} does not take part in the enrollment.");
        }

        if (!school.Languages.Contains(language, StringComparer.Ordinal))
        {
            throw new RuleViolation("LANGUAGE_NOT_OFFERED",
                $"School {school.Code} does not teach in '{language}' (it offers {string.Join(", ", school.Languages)}).");
        }
    }
}

internal sealed class SubmitQuotasHandler(QuotasDbContext db, CurrentCampaign current, ISchoolDirectory schools, ICurrentUser user, IClock clock)
    : ICommandHandler<SubmitQuotas, IReadOnlyList<QuotaDto>>
{
    public async ValueTask<IReadOnlyList<QuotaDto>> Handle(SubmitQuotas command, CancellationToken ct)
    {
        var campaign = await current.RequireAsync(ct);
        var school = await schools.SchoolAsync(command.SchoolCode, ct);
        user.RequireSchoolScope(school.Code, school.DistrictCode);
        var now = clock.UtcNow;
        if (!campaign.InQuotaEntryWindow(now))
        {
            throw new RuleViolation("QUOTA_WINDOW_CLOSED", "Quotas are submitted in the quota entry window; later changes are requests.");
        }

        var quotas = await db.Quotas
            .Where(q => q.CampaignId == campaign.Id && q.SchoolCode == school.Code
                        && (q.Status == QuotaStatus.Draft || q.Status == QuotaStatus.Returned))
            .ToListAsync(ct);
        if (quotas.Count == 0)
        {
            throw new RuleViolation("NOTHING_TO_SUBMIT", "The school has no draft or returned quotas to submit.");
        }

        foreach (var quota in quotas)
        {
            db.QuotaChanges.Add(quota.Submit(user.Name(), now));
        }

        await db.SaveChangesAsync(ct);
        return [.. quotas.OrderBy(q => q.Language, StringComparer.Ordinal).Select(q => q.ToDto(campaign.ClassSizeLimit))];
    }
}

internal sealed class ApproveQuotasHandler(QuotasDbContext db, ICurrentUser user, IClock clock, IPublisher publisher)
    : ICommandHandler<ApproveQuotas, IReadOnlyList<QuotaDto>>
{
    public async ValueTask<IReadOnlyList<QuotaDto>> Handle(ApproveQuotas command, CancellationToken ct)
    {
        var ids = command.QuotaIds.Distinct().ToList();
        if (ids.Count is 0 or > 5000)
        {
            throw new ValidationFailed([new ValidationError("quotaIds", "OUT_OF_RANGE", "Between 1 and 5000 quotas.")]);
        }

        var quotas = await db.Quotas.Where(q => ids.Contains(q.Id)).ToListAsync(ct);
        var missing = ids.Except(quotas.Select(q => q.Id)).FirstOrDefault();
        if (missing != Guid.Empty)
        {
            throw new NotFound("Quota", missing.ToString());
        }

        var limits = await db.Campaigns.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.ClassSizeLimit, ct);
        var now = clock.UtcNow;
        var changes = new List<(Quota Quota, QuotaChange Change)>(quotas.Count);
        foreach (var quota in quotas)
        {
            user.RequireDistrictScope(quota.DistrictCode);
            var change = quota.Approve(command.AcknowledgeClassSizeWarning, limits[quota.CampaignId], user.Name(), now);
            db.QuotaChanges.Add(change);
            changes.Add((quota, change));
        }

        await db.SaveChangesAsync(ct); // all or nothing: any refusal above threw before this line
        await QuotaEvents.PublishApprovedAsync(publisher, changes, ct);
        return [.. quotas.Select(q => q.ToDto(limits[q.CampaignId]))];
    }
}

internal sealed class ReturnQuotaHandler(QuotasDbContext db, ICurrentUser user, IClock clock) : ICommandHandler<ReturnQuota, QuotaDto>
{
    public async ValueTask<QuotaDto> Handle(ReturnQuota command, CancellationToken ct)
    {
        if (command.Comment is { Length: > 1000 })
        {
            throw new ValidationFailed([new ValidationError("comment", "TOO_LONG", "At most 1000 characters.")]);
        }

        var quota = await db.Quotas.FindAsync([command.QuotaId], ct) ?? throw new NotFound("Quota", command.QuotaId.ToString());
        user.RequireDistrictScope(quota.DistrictCode);
        var limit = await db.Campaigns.Where(c => c.Id == quota.CampaignId).Select(c => c.ClassSizeLimit).FirstAsync(ct);
        db.QuotaChanges.Add(quota.Return(command.Comment, user.Name(), clock.UtcNow));
        await db.SaveChangesAsync(ct);
        return quota.ToDto(limit);
    }
}

internal sealed class AddExtraSeatsHandler(
    QuotasDbContext db, CurrentCampaign current, ISchoolDirectory schools, ICurrentUser user, IClock clock, IPublisher publisher)
    : ICommandHandler<AddExtraSeats, QuotaDto>
{
    public async ValueTask<QuotaDto> Handle(AddExtraSeats command, CancellationToken ct)
    {
        user.RequireMinistry();
        if (string.IsNullOrWhiteSpace(command.Reason) || command.Reason.Length > 1000)
        {
            throw new ValidationFailed([new ValidationError("reason", "REQUIRED", "A reason of at most 1000 characters is required.")]);
        }

        var campaign = await current.RequireAsync(ct);
        var now = clock.UtcNow;
        var windows = await db.Switches.AsNoTracking()
            .Where(s => s.CampaignId == campaign.Id && s.Kind == SwitchKind.ExtraQuotaWindow).ToListAsync(ct);
        var open = windows.Where(w => w.IsActiveAt(now)).ToList();
        if (open.Count == 0)
        {
            throw new RuleViolation("EXTRA_QUOTA_WINDOW_CLOSED", "No extra-quota window is open now.");
        }

        if (!open.Any(w => w.Schools.Contains(command.SchoolCode, StringComparer.Ordinal)))
        {
            throw new RuleViolation("SCHOOL_NOT_IN_EXTRA_QUOTA_WINDOW", $"School {command.SchoolCode} is not named in the open extra-quota window.");
        }

        var school = await schools.SchoolAsync(command.SchoolCode, ct);
        SaveQuotaHandler.RequireProgram(school, command.Language);
        var quota = await db.Quotas.FirstOrDefaultAsync(
            q => q.CampaignId == campaign.Id && q.SchoolCode == school.Code && q.Language == command.Language && q.Grade == 1, ct);
        if (quota is null)
        {
            quota = new Quota
            {
                Id = Guid.NewGuid(), CampaignId = campaign.Id, SchoolCode = school.Code, DistrictCode = school.DistrictCode,
                RegionCode = school.RegionCode, Language = command.Language,
            };
            db.Quotas.Add(quota);
        }
        else if (quota.Status is QuotaStatus.Submitted or QuotaStatus.ChangeRequested)
        {
            throw new RuleViolation("QUOTA_CHANGE_PENDING", "The district has not yet decided on this quota; decide first.");
        }

        var change = quota.AddExtra(command.Classes, command.Seats, command.Reason, user.Name(), now);
        db.QuotaChanges.Add(change);
        await db.SaveChangesAsync(ct);
        await QuotaEvents.PublishApprovedAsync(publisher, [(quota, change)], ct);
        return quota.ToDto(campaign.ClassSizeLimit);
    }
}

internal static class QuotaEvents
{
    /// <summary>After the save: one <see cref="QuotaApproved"/> per quota whose approved numbers were set, in history order.</summary>
    public static async Task PublishApprovedAsync(IPublisher publisher, IEnumerable<(Quota Quota, QuotaChange Change)> changes, CancellationToken ct)
    {
        foreach (var (q, c) in changes.OrderBy(x => x.Change.Id))
        {
            await publisher.Publish(new QuotaApproved(c.Id, q.Id, q.CampaignId, q.SchoolCode, q.DistrictCode, q.RegionCode, q.Language, q.Grade,
                c.OldClasses, c.OldSeats, q.ApprovedClasses, q.ApprovedSeats, c.Action, c.ChangedBy, c.At), ct);
        }
    }
}

internal sealed class GetQuotasHandler(QuotasDbContext db, CurrentCampaign current, ICurrentUser user) : IQueryHandler<GetQuotas, IReadOnlyList<QuotaDto>>
{
    public async ValueTask<IReadOnlyList<QuotaDto>> Handle(GetQuotas query, CancellationToken ct)
    {
        var campaign = await current.FindAsync(ct);
        if (campaign is null)
        {
            return [];
        }

        var q = db.Quotas.AsNoTracking().Where(x => x.CampaignId == campaign.Id);
        if (!user.IsMinistry() && !user.IsInRole(Roles.Analyst))
        {
            if (user.IsInRole(Roles.DistrictOfficer))
            {
                var district = user.DistrictCode ?? "-";
                q = q.Where(x => x.DistrictCode == district);
            }
            else
            {
                var school = user.IsInRole(Roles.SchoolAdmin) ? user.SchoolCode ?? "-" : "-";
                q = q.Where(x => x.SchoolCode == school);
            }
        }

        if (!string.IsNullOrEmpty(query.SchoolCode))
        {
            q = q.Where(x => x.SchoolCode == query.SchoolCode);
        }

        if (!string.IsNullOrEmpty(query.DistrictCode))
        {
            q = q.Where(x => x.DistrictCode == query.DistrictCode);
        }

        if (query.Status is { } status)
        {
            q = q.Where(x => x.Status == status);
        }

        var rows = await q.OrderBy(x => x.SchoolCode).ThenBy(x => x.Language).Take(10_000).ToListAsync(ct);
        return [.. rows.Select(x => x.ToDto(campaign.ClassSizeLimit))];
    }
}

internal sealed class GetQuotaHistoryHandler(QuotasDbContext db, ICurrentUser user) : IQueryHandler<GetQuotaHistory, IReadOnlyList<QuotaChangeDto>>
{
    public async ValueTask<IReadOnlyList<QuotaChangeDto>> Handle(GetQuotaHistory query, CancellationToken ct) =>
        (await QuotaHistories.ReadAsync(db, user, [query.QuotaId], ct))[query.QuotaId];
}

/// <summary>The histories of several quotas at once (the admin pages show one per row); same scope rules as <see cref="GetQuotaHistory"/>.</summary>
internal sealed record GetQuotaHistories(IReadOnlyList<Guid> QuotaIds) : IQuery<IReadOnlyDictionary<Guid, IReadOnlyList<QuotaChangeDto>>>;

internal sealed class GetQuotaHistoriesHandler(QuotasDbContext db, ICurrentUser user)
    : IQueryHandler<GetQuotaHistories, IReadOnlyDictionary<Guid, IReadOnlyList<QuotaChangeDto>>>
{
    public async ValueTask<IReadOnlyDictionary<Guid, IReadOnlyList<QuotaChangeDto>>> Handle(GetQuotaHistories query, CancellationToken ct) =>
        await QuotaHistories.ReadAsync(db, user, query.QuotaIds, ct);
}

internal static class QuotaHistories
{
    public static async Task<IReadOnlyDictionary<Guid, IReadOnlyList<QuotaChangeDto>>> ReadAsync(
        QuotasDbContext db, ICurrentUser user, IReadOnlyList<Guid> quotaIds, CancellationToken ct)
    {
        var ids = quotaIds.Distinct().ToList();
        if (ids.Count > 5000)
        {
            throw new ValidationFailed([new ValidationError("quotaIds", "OUT_OF_RANGE", "At most 5000 quotas.")]);
        }

        var quotas = await db.Quotas.AsNoTracking().Where(q => ids.Contains(q.Id)).ToListAsync(ct);
        var missing = ids.Except(quotas.Select(q => q.Id)).FirstOrDefault();
        if (missing != Guid.Empty)
        {
            throw new NotFound("Quota", missing.ToString());
        }

        if (!user.IsInRole(Roles.Analyst))
        {
            foreach (var quota in quotas)
            {
                user.RequireSchoolScope(quota.SchoolCode, quota.DistrictCode);
            }
        }

        var rows = await db.QuotaChanges.AsNoTracking().Where(c => ids.Contains(c.QuotaId)).ToListAsync(ct);
        var byQuota = rows.OrderBy(c => c.Id).GroupBy(c => c.QuotaId).ToDictionary(g => g.Key, g => (IReadOnlyList<QuotaChangeDto>)[.. g.Select(c => c.ToDto())]);
        return ids.ToDictionary(id => id, id => byQuota.GetValueOrDefault(id) ?? []);
    }
}

internal sealed class GetProgramsHandler(QuotasDbContext db, CurrentCampaign current, ProgramsCopy copy) : IQueryHandler<GetPrograms, IReadOnlyList<ProgramDto>>
{
    public async ValueTask<IReadOnlyList<ProgramDto>> Handle(GetPrograms query, CancellationToken ct)
    {
        var campaignId = query.CampaignId ?? (await current.FindAsync(ct))?.Id;
        if (campaignId is null)
        {
            return [];
        }

        if (query.FromHostCopy && query.SchoolCodes is { } some)
        {
            return await copy.GetAsync(db, campaignId.Value, some, ct);
        }

        var codes = query.SchoolCodes?.Distinct(StringComparer.Ordinal).ToList();
        return await Programs.Of(db, campaignId.Value, codes).ToListAsync(ct);
    }
}

internal sealed class SeedQuotasHandler(QuotasDbContext db, IClock clock) : ICommandHandler<SeedQuotas, int>
{
    public async ValueTask<int> Handle(SeedQuotas command, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.StartYear == command.StartYear, ct)
            ?? throw new NotFound("Campaign", command.StartYear.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (await db.Quotas.AnyAsync(q => q.CampaignId == campaign.Id, ct))
        {
            throw new RuleViolation("QUOTAS_EXIST", "The campaign already has quotas.");
        }

        var at = campaign.QuotaEntryClosesAt < clock.UtcNow ? campaign.QuotaEntryClosesAt : clock.UtcNow;
        var quotas = command.Schools
            .Where(s => s.Seats > 0 && s.Languages.Count > 0)
            .SelectMany(s => Split(s.Languages, s.Seats).Select(p =>
            {
                Quota.CheckNumbers(p.Classes, p.Seats);
                return Quota.Seeded(campaign.Id, s.SchoolCode, s.DistrictCode, s.RegionCode, p.Language, p.Classes, p.Seats, at);
            }))
            .ToList();
        var changes = quotas.Select(q => new QuotaChange
        {
            QuotaId = q.Id, At = at, ChangedBy = "seed", Action = "Seed", OldStatus = null, NewStatus = QuotaStatus.Approved,
            NewClasses = q.ApprovedClasses, NewSeats = q.ApprovedSeats, Reason = "Demo data",
        });
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var n = await BulkInsert.InsertAsync(db, quotas, ct);
        await BulkInsert.InsertAsync(db, changes, ct);
        await tx.CommitAsync(ct);
        ProgramsCopy.Edited(); // bulk inserts bypass SaveChanges
        return n;
    }

    /// <summary>Classes of at most 30 (at least one per language); the first language weighs double; seats follow the classes.</summary>
    internal static IReadOnlyList<(string Language, int Classes, int Seats)> Split(IReadOnlyList<string> languages, int seats)
    {
        var n = languages.Count;
        var classes = Math.Max(n, (seats + 29) / 30);
        if (seats < classes)
        {
            n = 1; // too few seats for one class per language: the first language only
            classes = 1;
        }

        var weights = Enumerable.Range(0, n).Select(i => i == 0 ? 2 : 1).ToArray();
        var per = new int[n];
        var extra = classes - n;
        for (var i = 0; i < n; i++)
        {
            per[i] = 1 + (extra * weights[i] / weights.Sum());
        }

        per[0] += classes - per.Sum();
        var result = new List<(string, int, int)>(n);
        var left = seats;
        for (var i = 0; i < n; i++)
        {
            var s = i == n - 1 ? left : seats * per[i] / classes;
            left -= s;
            result.Add((languages[i], per[i], s));
        }

        return result;
    }
}

/// <summary>The module's own listener: logs each change of approved seats (Reporting adds its own).</summary>
internal sealed partial class LogQuotaApprovedHandler(Microsoft.Extensions.Logging.ILogger<LogQuotaApprovedHandler> logger) : INotificationHandler<QuotaApproved>
{
    public ValueTask Handle(QuotaApproved notification, CancellationToken cancellationToken)
    {
        Log(logger, notification.SchoolCode, notification.Language, notification.Action, notification.OldApprovedSeats, notification.ApprovedSeats);
        return ValueTask.CompletedTask;
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information,
        Message = "Quota {School}/{Language}: {Action}, approved seats {OldSeats} -> {NewSeats}")]
    private static partial void Log(Microsoft.Extensions.Logging.ILogger logger, string school, string language, string action, int oldSeats, int newSeats);
}
