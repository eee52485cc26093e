using Enrollment.Appeals.Domain;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Mediator;

namespace Enrollment.Appeals.Features;

/// <summary>
/// What this module reads from other modules, through their Contracts (a seam so handler tests need neither Registry nor
/// Quotas): who an application belongs to and where, the current campaign's <c>AppealDays</c>, what the application's
/// state allows to appeal, and the change an upheld appeal makes (Registry's <c>ApplyAppealRemedy</c>).
/// </summary>
internal interface IAppealsDirectory
{
    Task<ApplicationScopeDto?> ApplicationScopeAsync(Guid applicationId, CancellationToken ct);

    Task<CampaignDto?> CurrentCampaignAsync(CancellationToken ct);

    Task<AppealGroundsDto?> GroundsAsync(Guid applicationId, CancellationToken ct);

    Task ApplyRemedyAsync(ApplyAppealRemedy remedy, CancellationToken ct);
}

internal sealed class MediatorAppealsDirectory(ISender sender) : IAppealsDirectory
{
    public async Task<ApplicationScopeDto?> ApplicationScopeAsync(Guid applicationId, CancellationToken ct) =>
        await sender.Send(new GetApplicationScope(applicationId), ct);

    public async Task<CampaignDto?> CurrentCampaignAsync(CancellationToken ct) => await sender.Send(new GetCurrentCampaign(), ct);

    public async Task<AppealGroundsDto?> GroundsAsync(Guid applicationId, CancellationToken ct) => await sender.Send(new GetAppealGrounds(applicationId), ct);

    public async Task ApplyRemedyAsync(ApplyAppealRemedy remedy, CancellationToken ct) => await sender.Send(remedy, ct);
}

/// <summary>Who may see and do what with an appeal.</summary>
internal static class AppealAccess
{
    public static readonly string[] StaffRoles = [Roles.DistrictOfficer, Roles.MinistryAdmin];

    public static bool IsParentOf(this ICurrentUser user, Appeal appeal) =>
        user.IsInRole(Roles.Parent) && user.Pin is { Length: > 0 } pin && pin == appeal.ApplicantPin;

    /// <summary>The ministry: every appeal; a district officer: appeals on applications to a school of their district.</summary>
    public static bool IsOfficerOf(this ICurrentUser user, Appeal appeal) =>
        user.IsInRole(Roles.MinistryAdmin)
        || (user.IsInRole(Roles.DistrictOfficer) && user.DistrictCode is { Length: > 0 } district
            && appeal.DistrictCodes.Contains(Appeal.DistrictKey(district), StringComparison.Ordinal));

    public static string Name(this ICurrentUser user) => user.UserName ?? user.UserId ?? "system";

    /// <summary>The appeal, if the caller is its parent or one of its officers; otherwise it does not exist for them.</summary>
    public static Appeal Visible(this Appeal? appeal, ICurrentUser user, Guid id) =>
        appeal is not null && (user.IsParentOf(appeal) || user.IsOfficerOf(appeal))
            ? appeal
            : throw new NotFound("Appeal", id.ToString());
}
