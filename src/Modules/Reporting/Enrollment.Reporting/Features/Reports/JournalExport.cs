using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Reporting.Contracts;
using Enrollment.Reporting.Data;
using Enrollment.Reporting.Features.Export;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Reporting.Features.Reports;

internal sealed record JournalChild(string LastName, string FirstName, string? Patronymic, DateOnly BirthDate, string Sex, string? PriorityCategory,
    DateTimeOffset EnrolledAt, Guid ApplicationId);

/// <summary>One program (language × grade) of the school: its approved classes and seats and the children enrolled in it.</summary>
internal sealed record JournalProgram(string Language, int Grade, int Classes, int ApprovedSeats, int Enrolled, IReadOnlyList<JournalChild> Children);

/// <summary>
/// The Kundoluk e-journal export of one school: what the school needs to form its first-grade classes — per language and
/// grade, the approved classes and seats and the enrolled children (names, birth date, sex, priority category).
/// </summary>
internal sealed record JournalExport(string Format, Guid CampaignId, string SchoolCode, string SchoolNameKy, string SchoolNameRu, string DistrictCode,
    string RegionCode, DateTimeOffset GeneratedAt, IReadOnlyList<JournalProgram> Programs)
{
    public Table ToTable() => new(
        ["school_code", "language", "grade", "last_name", "first_name", "patronymic", "birth_date", "sex", "priority_category", "enrolled_at", "application_id"],
        [.. Programs.SelectMany(p => p.Children.Select(c => new object?[]
            { SchoolCode, p.Language, p.Grade, c.LastName, c.FirstName, c.Patronymic, c.BirthDate, c.Sex, c.PriorityCategory, c.EnrolledAt, c.ApplicationId }))]);
}

internal sealed record GetJournalExport(string SchoolCode) : IQuery<JournalExport>;

internal sealed class GetJournalExportHandler(ReportingDbContext db, IReportingSources sources, ICurrentUser user, Enrollment.BuildingBlocks.Time.IClock clock,
    Enrollment.BuildingBlocks.Audit.PersonalDataReads reads)
    : IQueryHandler<GetJournalExport, JournalExport>
{
    public async ValueTask<JournalExport> Handle(GetJournalExport query, CancellationToken ct)
    {
        var school = await sources.SchoolsAsync([query.SchoolCode], ct) is [var found, ..] ? found : throw new NotFound("School", query.SchoolCode);
        if (!(user.IsInRole(Roles.MinistryAdmin)
              || (user.IsInRole(Roles.DistrictOfficer) && user.DistrictCode == school.DistrictCode)
              || (user.IsInRole(Roles.SchoolAdmin) && user.SchoolCode == school.Code)))
        {
            throw new AccessDenied($"School {school.Code} is outside your school or district.");
        }

        var campaign = await sources.CurrentCampaignAsync(ct) ?? throw new NotFound("Campaign", "current");
        var programs = await db.ProgramFacts.AsNoTracking().Where(p => p.CampaignId == campaign.Id && p.SchoolCode == school.Code).ToListAsync(ct);
        var children = await sources.JournalChildrenAsync(campaign.Id, school.Code, ct);
        reads.Record("reporting", "Application", children.Select(c => c.ApplicationId.ToString()), $"Kundoluk journal export, school {school.Code}");
        var keys = programs.Select(p => (p.Language, p.Grade)).Concat(children.Select(c => (c.Language, c.Grade))).Distinct()
            .OrderBy(k => k.Grade).ThenBy(k => k.Language, StringComparer.Ordinal);
        var result = keys.Select(k =>
        {
            var program = programs.FirstOrDefault(p => p.Language == k.Language && p.Grade == k.Grade);
            var list = children.Where(c => c.Language == k.Language && c.Grade == k.Grade)
                .OrderBy(c => c.LastName, StringComparer.Ordinal).ThenBy(c => c.FirstName, StringComparer.Ordinal).ThenBy(c => c.ApplicationId)
                .Select(c => new JournalChild(c.LastName, c.FirstName, c.Patronymic, c.BirthDate, c.Sex.ToString(), c.PriorityCategory, c.EnrolledAt, c.ApplicationId))
                .ToList();
            return new JournalProgram(k.Language, k.Grade, program?.Classes ?? 0, program?.ApprovedSeats ?? 0, list.Count, list);
        }).ToList();
        return new JournalExport("kundoluk-enrollment-v1", campaign.Id, school.Code, school.NameKy, school.NameRu, school.DistrictCode, school.RegionCode,
            clock.UtcNow, result);
    }
}
