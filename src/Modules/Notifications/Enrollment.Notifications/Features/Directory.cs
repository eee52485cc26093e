using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Schools.Contracts;
using Mediator;

namespace Enrollment.Notifications.Features;

/// <summary>
/// What this module reads from other modules, through their Contracts (a seam so tests need no Registry, Schools or
/// Quotas): the recipients of applications, who they belong to and where, school names, and the correction period.
/// The delivery job reads a whole batch of events' recipients and scopes at once (two reads per batch, not two per event).
/// </summary>
internal interface INotificationDirectory
{
    /// <summary>The recipients of those of <paramref name="applicationIds"/> that Registry knows (any order).</summary>
    Task<IReadOnlyList<NotificationRecipientDto>> RecipientsAsync(IReadOnlyList<Guid> applicationIds, CancellationToken ct);

    /// <summary>The scopes of those of <paramref name="applicationIds"/> that Registry knows (any order).</summary>
    Task<IReadOnlyList<ApplicationScopeDto>> ScopesAsync(IReadOnlyList<Guid> applicationIds, CancellationToken ct);

    Task<ApplicationScopeDto?> ScopeAsync(Guid applicationId, CancellationToken ct);

    Task<IReadOnlyList<SchoolDto>> SchoolsAsync(IReadOnlyList<string> codes, CancellationToken ct);

    /// <summary>The campaign's <c>CorrectionDays</c> when <paramref name="campaignId"/> is the current campaign; otherwise null.</summary>
    Task<int?> CorrectionDaysAsync(Guid campaignId, CancellationToken ct);
}

internal sealed class MediatorNotificationDirectory(ISender sender) : INotificationDirectory
{
    public async Task<IReadOnlyList<NotificationRecipientDto>> RecipientsAsync(IReadOnlyList<Guid> applicationIds, CancellationToken ct) =>
        applicationIds.Count == 0 ? [] : await sender.Send(new GetNotificationRecipients(applicationIds), ct);

    public async Task<IReadOnlyList<ApplicationScopeDto>> ScopesAsync(IReadOnlyList<Guid> applicationIds, CancellationToken ct) =>
        applicationIds.Count == 0 ? [] : await sender.Send(new GetApplicationScopes(applicationIds), ct);

    public async Task<ApplicationScopeDto?> ScopeAsync(Guid applicationId, CancellationToken ct) =>
        await sender.Send(new GetApplicationScope(applicationId), ct);

    public async Task<IReadOnlyList<SchoolDto>> SchoolsAsync(IReadOnlyList<string> codes, CancellationToken ct) =>
        codes.Count == 0 ? [] : await sender.Send(new GetSchoolsByCodes(codes), ct);

    public async Task<int?> CorrectionDaysAsync(Guid campaignId, CancellationToken ct) =>
        await sender.Send(new GetCurrentCampaign(), ct) is { } campaign && campaign.Id == campaignId ? campaign.CorrectionDays : null;
}
