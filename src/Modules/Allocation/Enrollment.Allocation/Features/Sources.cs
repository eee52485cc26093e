using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Mediator;

namespace Enrollment.Allocation.Features;

/// <summary>
/// What this module reads from other modules, through their Contracts (a seam so handler tests run on real SQLite with
/// programs and applications supplied by the test, without the Quotas and Registry modules).
/// </summary>
internal interface IAllocationSources
{
    Task<CampaignDto?> CurrentCampaignAsync(CancellationToken ct);

    Task<StageInfoDto?> CurrentStageAsync(CancellationToken ct);

    /// <summary>Programs with approved seats of the campaign.</summary>
    Task<IReadOnlyList<ProgramDto>> ProgramsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct);

    /// <summary>Applications that take part in allocation (Registry's snapshot).</summary>
    Task<IReadOnlyList<AllocationApplicationDto>> ApplicationsAsync(Guid campaignId, CancellationToken ct);

    Task<IReadOnlyList<EnrolledCountDto>> EnrolledCountsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct);

    Task<ApplicationScopeDto?> ApplicationScopeAsync(Guid applicationId, CancellationToken ct);
}

internal sealed class MediatorAllocationSources(ISender sender) : IAllocationSources
{
    public async Task<CampaignDto?> CurrentCampaignAsync(CancellationToken ct) => await sender.Send(new GetCurrentCampaign(), ct);

    public async Task<StageInfoDto?> CurrentStageAsync(CancellationToken ct) => await sender.Send(new GetCurrentStage(), ct);

    public async Task<IReadOnlyList<ProgramDto>> ProgramsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct) =>
        await sender.Send(new GetPrograms(schoolCodes, campaignId), ct);

    public async Task<IReadOnlyList<AllocationApplicationDto>> ApplicationsAsync(Guid campaignId, CancellationToken ct) =>
        await sender.Send(new GetAllocationInputs(campaignId), ct);

    public async Task<IReadOnlyList<EnrolledCountDto>> EnrolledCountsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct) =>
        await sender.Send(new GetEnrolledCounts(campaignId, schoolCodes), ct);

    public async Task<ApplicationScopeDto?> ApplicationScopeAsync(Guid applicationId, CancellationToken ct) =>
        await sender.Send(new GetApplicationScope(applicationId), ct);
}
