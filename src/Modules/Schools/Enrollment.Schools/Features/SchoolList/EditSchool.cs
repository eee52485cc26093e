using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Schools.Contracts;
using Enrollment.Schools.Data;
using Enrollment.Schools.Domain;
using Enrollment.Schools.Features.Microdistricts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Schools.Features.SchoolList;

/// <summary>
/// Adds one school (<paramref name="Create"/>) or changes a known one (matched by <see cref="SchoolDraft.Code"/>).
/// District officers only within their own district (a school cannot be moved out of it); the ministry everywhere.
/// Refused with VALIDATION_FAILED listing every bad field, ACCESS_DENIED, NOT_FOUND or SCHOOL_EXISTS; the change is
/// recorded in the school's history (SchoolAdded / SchoolChanged) and revertible.
/// </summary>
internal sealed record SaveSchool(bool Create, SchoolDraft School) : ICommand<SchoolDto>;

internal sealed class SaveSchoolHandler(SchoolsDbContext db, ICurrentUser user, MicrodistrictEditor editor, IPublisher publisher)
    : ICommandHandler<SaveSchool, SchoolDto>
{
    public async ValueTask<SchoolDto> Handle(SaveSchool command, CancellationToken ct)
    {
        var draft = command.School with
        {
            Code = command.School.Code.Trim(), RegionCode = null, DistrictCode = command.School.DistrictCode.Trim(),
            SettlementCode = command.School.SettlementCode.Trim(), NameKy = command.School.NameKy.Trim(), NameRu = command.School.NameRu.Trim(),
            Address = command.School.Address.Trim(), Type = command.School.Type.Trim(),
            Languages = [.. command.School.Languages.Select(l => l.Trim().ToLowerInvariant()).Where(l => l.Length > 0).Distinct()],
            NonParticipationReason = string.IsNullOrWhiteSpace(command.School.NonParticipationReason) ? null : command.School.NonParticipationReason.Trim(),
        };
        if (!user.IsInRole(Roles.MinistryAdmin) && !user.IsInRole(Roles.DistrictOfficer))
        {
            throw new AccessDenied("Only the ministry and district officers edit schools.");
        }

        var existing = command.Create || draft.Code.Length is 0 or > 16 ? null : await db.Schools.FirstOrDefaultAsync(s => s.Code == draft.Code, ct);
        if (!command.Create && existing is null)
        {
            throw new NotFound("School", draft.Code);
        }

        if ((existing is not null && !DistrictScope.CanEdit(user, existing.DistrictCode)) || !DistrictScope.CanEdit(user, draft.DistrictCode))
        {
            throw new AccessDenied("District officers edit only the schools of their own district.");
        }

        var lookups = await SchoolLookups.LoadAsync(db, ct);
        var errors = new List<ValidationError>();
        SchoolRules.Check(draft, lookups, (field, code, message) => errors.Add(new ValidationError(field, code, message)));
        if (errors.Count > 0)
        {
            throw new ValidationFailed(errors);
        }

        School school;
        if (existing is null)
        {
            if (await db.Schools.AnyAsync(s => s.Code == draft.Code, ct))
            {
                throw new RuleViolation("SCHOOL_EXISTS", $"School {draft.Code} already exists.");
            }

            school = draft.ToSchool(lookups.RegionOf(draft.DistrictCode));
            db.Schools.Add(school);
            editor.Record(school, MicrodistrictChangeKinds.SchoolAdded, null, "", SchoolCsv.Json(school));
        }
        else
        {
            school = existing;
            var before = SchoolCsv.Json(school);
            draft.ApplyTo(school, lookups.RegionOf(draft.DistrictCode));
            var after = SchoolCsv.Json(school);
            if (before == after)
            {
                return school.ToDto();
            }

            editor.Record(school, MicrodistrictChangeKinds.SchoolChanged, null, before, after);
        }

        await editor.SaveAsync(ct);
        await publisher.Publish(new SchoolListChanged(await db.Schools.CountAsync(ct)), ct);
        return school.ToDto();
    }
}
