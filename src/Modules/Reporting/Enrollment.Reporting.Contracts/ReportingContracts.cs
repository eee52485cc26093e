using Mediator;

namespace Enrollment.Reporting.Contracts;

public static class ReportingContracts
{
    public const string Module = "reporting";
}

public sealed record RegionSummaryDto(string RegionCode, string NameKy, string NameRu, int Districts, int Schools, int ParticipatingSchools);

/// <summary>Open data: per region, the number of districts, schools and participating schools.</summary>
public sealed record GetRegionSummaries : IQuery<IReadOnlyList<RegionSummaryDto>>;

/// <summary>What a rebuild of the reporting read tables wrote (null campaign: there is no campaign yet).</summary>
public sealed record ReadModelsRebuiltDto(Guid? CampaignId, int ApplicationFacts, int ProgramFacts, int Days);

/// <summary>
/// Ministry (or the nightly job): recomputes every reporting read table of the current campaign from the other modules'
/// Contracts queries (Registry GetApplicationFacts, Quotas GetPrograms, Allocation GetProgramSeats, Schools GetSchoolsByCodes).
/// Gives the same tables as the incremental event handlers.
/// </summary>
public sealed record RebuildReadModels : ICommand<ReadModelsRebuiltDto>;

// ───────────────────────────── Open data (public, no personal data) ─────────────────────────────

/// <summary>The level an open-data row sums up: the whole country, a region, a district or a school.</summary>
public enum AreaLevel
{
    National,
    Region,
    District,
    School,
}

/// <summary>
/// Applications of the current campaign (drafts left out) counted at the school of their first choice, by language, grade,
/// the stage they were submitted in and their status; <paramref name="Privileged"/>: with a verified priority category.
/// </summary>
public sealed record OpenDataApplicationsRowDto(
    string AreaCode, string AreaNameKy, string AreaNameRu, string Language, int Grade, string Stage, string Status, int Applications, int Privileged);

/// <summary>Open data: applications by stage and status per area (optionally only inside a region or district).</summary>
public sealed record GetOpenDataApplications(AreaLevel Level, string? RegionCode = null, string? DistrictCode = null)
    : IQuery<IReadOnlyList<OpenDataApplicationsRowDto>>;

/// <summary>
/// Seats per area, language and grade: programs, approved seats, held offers, enrolled and free seats (Quotas + Allocation),
/// with the applications and privileged children whose first choice is there.
/// </summary>
public sealed record OpenDataSeatsRowDto(
    string AreaCode, string AreaNameKy, string AreaNameRu, string Language, int Grade, int Programs, int ApprovedSeats, int Offers,
    int Enrolled, int FreeSeats, int Applications, int Privileged);

public sealed record GetOpenDataSeats(AreaLevel Level, string? RegionCode = null, string? DistrictCode = null)
    : IQuery<IReadOnlyList<OpenDataSeatsRowDto>>;

/// <summary>One program (school × language × grade) with its seats.</summary>
public sealed record OpenDataProgramDto(
    string SchoolCode, string SchoolNameKy, string SchoolNameRu, string DistrictCode, string RegionCode, string Language, int Grade,
    int ApprovedSeats, int Offers, int Enrolled, int FreeSeats);

public sealed record GetOpenDataPrograms(
    string? RegionCode = null, string? DistrictCode = null, string? SchoolCode = null, string? Language = null, bool OnlyWithFreeSeats = false)
    : IQuery<IReadOnlyList<OpenDataProgramDto>>;

/// <summary>Applications submitted on one Asia/Bishkek day in one region (of the first choice).</summary>
public sealed record DailyApplicationsDto(DateOnly Day, string RegionCode, int Submitted);

/// <summary>Applications per day, per region or (no region) for all regions.</summary>
public sealed record GetOpenDataDaily(string? RegionCode = null) : IQuery<IReadOnlyList<DailyApplicationsDto>>;

public sealed record AreaNameDto(string Code, string ParentCode, string NameKy, string NameRu);

/// <summary>Regions and districts known to the reports (for filters).</summary>
public sealed record GetReportingAreas : IQuery<ReportingAreasDto>;

public sealed record ReportingAreasDto(IReadOnlyList<AreaNameDto> Regions, IReadOnlyList<AreaNameDto> Districts);

