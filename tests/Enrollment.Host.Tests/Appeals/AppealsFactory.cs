using System.Collections.Concurrent;
using Enrollment.Appeals.Features;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Notifications.Features;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Appeals;

/// <summary>
/// The real host (job server on, clock in Stage Two of the seeded 2026/27 campaign) whose Appeals and Notifications read
/// applications from <see cref="Applications"/> instead of Registry (which has no applications in this branch yet): only
/// the two modules' seams to <c>GetApplicationScope</c> and <c>GetNotificationRecipient</c> are swapped; the campaign and
/// school names come from the real Quotas and Schools modules.
/// </summary>
public sealed class AppealsFactory : EnrollmentFactory
{
    public FakeClock Clock { get; } = new(new DateTimeOffset(2026, 6, 10, 6, 0, 0, TimeSpan.Zero));

    public ConcurrentDictionary<Guid, (ApplicationScopeDto Scope, NotificationRecipientDto Recipient)> Applications { get; } = new();

    protected override bool RunJobServer => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<IClock>(Clock);
            s.AddScoped<IAppealsDirectory>(sp => new Directory(this, sp.GetRequiredService<ISender>()));
            s.AddScoped<INotificationDirectory>(sp => new Directory(this, sp.GetRequiredService<ISender>()));
        });
    }

    /// <summary>An application of <paramref name="pin"/>'s family to <paramref name="schoolCode"/> in the current campaign.</summary>
    public Guid AddApplication(Guid campaignId, string pin, string schoolCode, string districtCode, string email)
    {
        var id = Guid.NewGuid();
        Applications[id] = (new ApplicationScopeDto(id, campaignId, pin, [schoolCode], [districtCode]),
            new NotificationRecipientDto(id, "ru", email, null, "+996700000001", "Нурай", "Test Parent"));
        return id;
    }

    private sealed class Directory(AppealsFactory factory, ISender sender) : IAppealsDirectory, INotificationDirectory
    {
        private readonly MediatorNotificationDirectory _notifications = new(sender);
        private readonly MediatorAppealsDirectory _appeals = new(sender);

        public Task<ApplicationScopeDto?> ApplicationScopeAsync(Guid applicationId, CancellationToken ct) => ScopeAsync(applicationId, ct);

        public Task<CampaignDto?> CurrentCampaignAsync(CancellationToken ct) => _appeals.CurrentCampaignAsync(ct);

        // These applications exist only here: each was just rejected (so a rejection appeal fits), and an upheld remedy is accepted.
        public Task<AppealGroundsDto?> GroundsAsync(Guid applicationId, CancellationToken ct) =>
            Task.FromResult(factory.Applications.TryGetValue(applicationId, out var a)
                ? new AppealGroundsDto(applicationId, ApplicationStatus.Rejected, factory.Clock.UtcNow, "DOCUMENTS_NOT_CONFIRMED", null, null, [])
                : null);

        public Task ApplyRemedyAsync(ApplyAppealRemedy remedy, CancellationToken ct) => Task.CompletedTask;

        public Task<IReadOnlyList<NotificationRecipientDto>> RecipientsAsync(IReadOnlyList<Guid> applicationIds, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<NotificationRecipientDto>>([.. applicationIds.Distinct()
                .Select(id => factory.Applications.TryGetValue(id, out var a) ? a.Recipient : null).OfType<NotificationRecipientDto>()]);

        public Task<IReadOnlyList<ApplicationScopeDto>> ScopesAsync(IReadOnlyList<Guid> applicationIds, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<ApplicationScopeDto>>([.. applicationIds.Distinct()
                .Select(id => factory.Applications.TryGetValue(id, out var a) ? a.Scope : null).OfType<ApplicationScopeDto>()]);

        public Task<ApplicationScopeDto?> ScopeAsync(Guid applicationId, CancellationToken ct) =>
            Task.FromResult(factory.Applications.TryGetValue(applicationId, out var a) ? a.Scope : null);

        public Task<IReadOnlyList<SchoolDto>> SchoolsAsync(IReadOnlyList<string> codes, CancellationToken ct) => _notifications.SchoolsAsync(codes, ct);

        public Task<int?> CorrectionDaysAsync(Guid campaignId, CancellationToken ct) => _notifications.CorrectionDaysAsync(campaignId, ct);
    }
}
