using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;
using Enrollment.Quotas.Data;
using Enrollment.Quotas.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Quotas.Features;

internal sealed class AnnounceSwitchHandler(QuotasDbContext db, CurrentCampaign current, ISchoolDirectory schools, ICurrentUser user, IClock clock)
    : ICommandHandler<AnnounceSwitch, CampaignSwitchDto>
{
    public async ValueTask<CampaignSwitchDto> Handle(AnnounceSwitch command, CancellationToken ct)
    {
        user.RequireMinistry();
        if (command.Note is { Length: > 1000 })
        {
            throw new ValidationFailed([new ValidationError("note", "TOO_LONG", "At most 1000 characters.")]);
        }

        var campaign = await current.RequireAsync(ct);
        var now = clock.UtcNow;
        if (command.StartsAt < now || command.EndsAt <= command.StartsAt)
        {
            throw new RuleViolation("SWITCH_PERIOD_INVALID", "A switch is announced ahead: it must start now or later and end after it starts.");
        }

        var codes = command.SchoolCodes.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (command.Kind == SwitchKind.ExtraQuotaWindow)
        {
            if (codes.Count is 0 or > 200)
            {
                throw new RuleViolation("SCHOOLS_REQUIRED", "An extra-quota window names between 1 and 200 schools.");
            }

            var found = await schools.FindAsync(codes, ct);
            var unknown = codes.Except(found.Select(s => s.Code), StringComparer.Ordinal).FirstOrDefault();
            if (unknown is not null)
            {
                throw new NotFound("School", unknown);
            }
        }
        else
        {
            codes = [];
        }

        var row = new CampaignSwitch
        {
            Id = Guid.NewGuid(), CampaignId = campaign.Id, Kind = command.Kind, StartsAt = command.StartsAt.ToUniversalTime(),
            EndsAt = command.EndsAt.ToUniversalTime(), SchoolCodes = string.Join(',', codes), Note = command.Note?.Trim(),
            AnnouncedAt = now, AnnouncedBy = user.Name(),
        };
        db.Switches.Add(row);
        await db.SaveChangesAsync(ct);
        return row.ToDto();
    }
}

internal sealed class GetAllowedNowHandler(QuotasDbContext db, CampaignCalendar calendar, IClock clock) : IQueryHandler<GetAllowedNow, AllowedNowDto?>
{
    public async ValueTask<AllowedNowDto?> Handle(GetAllowedNow query, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var calendarNow = await calendar.GetAsync(db, ct);
        var campaign = calendarNow.Current(now);
        if (campaign is null)
        {
            return null;
        }

        var stage = campaign.StageAt(now).Stage;
        var switches = calendarNow.SwitchesOf(campaign.Id).Where(s => s.EndsAt > now).OrderBy(s => s.StartsAt).ToList();
        var cancellationDisabled = switches.Any(s => s.Kind == SwitchKind.CancellationDisabled && s.IsActiveAt(now));
        return new AllowedNowDto(
            DraftsAllowed: now >= campaign.QuotaEntryOpensAt && now < campaign.MainClosesAt,
            SubmissionAllowed: stage is Stage.StageOne or Stage.StageTwo,
            CancellationAllowed: (stage is Stage.StageOne or Stage.StageTwo or Stage.LateEnrollment) && !cancellationDisabled,
            QuotaEntryOpen: stage == Stage.QuotaEntry,
            ExtraQuotaWindowOpen: switches.Any(s => s.Kind == SwitchKind.ExtraQuotaWindow && s.IsActiveAt(now)),
            Switches: [.. switches.Select(s => s.ToDto())]);
    }
}

internal sealed class GetSwitchesHandler(QuotasDbContext db, CurrentCampaign current) : IQueryHandler<GetSwitches, IReadOnlyList<CampaignSwitchDto>>
{
    public async ValueTask<IReadOnlyList<CampaignSwitchDto>> Handle(GetSwitches query, CancellationToken ct)
    {
        var campaign = await current.FindAsync(ct);
        if (campaign is null)
        {
            return [];
        }

        var rows = await db.Switches.AsNoTracking().Where(s => s.CampaignId == campaign.Id).ToListAsync(ct);
        return [.. rows.OrderBy(s => s.StartsAt).ThenBy(s => s.AnnouncedAt).Select(s => s.ToDto())];
    }
}
