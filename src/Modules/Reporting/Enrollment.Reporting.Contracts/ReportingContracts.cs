using Mediator;

namespace Enrollment.Reporting.Contracts;

public static class ReportingContracts
{
    public const string Module = "reporting";
}

public sealed record RegionSummaryDto(string RegionCode, string NameKy, string NameRu, int Districts, int Schools, int ParticipatingSchools);

/// <summary>Open data: per region, the number of districts, schools and participating schools.</summary>
public sealed record GetRegionSummaries : IQuery<IReadOnlyList<RegionSummaryDto>>;
