using Enrollment.Allocation.Contracts;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Reporting.Contracts;
using Enrollment.Schools.Contracts;
using Mediator;

namespace Enrollment.Reporting.Features;

/// <summary>
/// Everything Reporting reads from the other modules, through their Contracts (a seam: handler tests plug in a fake, the
/// host uses <see cref="MediatorSources"/>). The rebuild and the "numbers agree" checks use exactly these queries.
/// </summary>
internal interface IReportingSources
{
    Task<CampaignDto?> CurrentCampaignAsync(CancellationToken ct);

    Task<IReadOnlyList<ApplicationFactDto>> ApplicationFactsAsync(Guid campaignId, CancellationToken ct);

    Task<IReadOnlyList<ProgramDto>> ProgramsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct);

    Task<IReadOnlyList<ProgramSeatsDto>> ProgramSeatsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct);

    Task<IReadOnlyList<SchoolDto>> SchoolsAsync(IReadOnlyList<string> codes, CancellationToken ct);

    /// <summary>Enrolled children with names, for the Kundoluk export (Registry; see <see cref="GetEnrolledChildrenForJournal"/>).</summary>
    Task<IReadOnlyList<JournalChildDto>> JournalChildrenAsync(Guid campaignId, string schoolCode, CancellationToken ct);

    /// <summary>Approved seats and eligible children per language of the current campaign (Quotas; district officers get their district).</summary>
    Task<IReadOnlyList<QuotaRollupRowDto>> SeatsVsEligibleByLanguageAsync(CancellationToken ct);
}

internal sealed class MediatorSources(ISender sender) : IReportingSources
{
    public async Task<CampaignDto?> CurrentCampaignAsync(CancellationToken ct) => await sender.Send(new GetCurrentCampaign(), ct);

    public async Task<IReadOnlyList<ApplicationFactDto>> ApplicationFactsAsync(Guid campaignId, CancellationToken ct) =>
        await sender.Send(new GetApplicationFacts(campaignId), ct);

    public async Task<IReadOnlyList<ProgramDto>> ProgramsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct) =>
        await sender.Send(new GetPrograms(schoolCodes, campaignId), ct);

    public async Task<IReadOnlyList<ProgramSeatsDto>> ProgramSeatsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct) =>
        await sender.Send(new GetProgramSeats(campaignId, schoolCodes), ct);

    public async Task<IReadOnlyList<SchoolDto>> SchoolsAsync(IReadOnlyList<string> codes, CancellationToken ct) =>
        codes.Count == 0 ? [] : await sender.Send(new GetSchoolsByCodes(codes), ct);

    public async Task<IReadOnlyList<JournalChildDto>> JournalChildrenAsync(Guid campaignId, string schoolCode, CancellationToken ct) =>
        await sender.Send(new GetEnrolledChildrenForJournal(campaignId, schoolCode), ct);

    public async Task<IReadOnlyList<QuotaRollupRowDto>> SeatsVsEligibleByLanguageAsync(CancellationToken ct) =>
        await sender.Send(new GetQuotaRollup(RollupLevel.Language, DistrictCode: null), ct);
}
