using Enrollment.BuildingBlocks.Security;
using Enrollment.Notifications.Domain;
using Enrollment.Notifications.Features;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Notifications.Areas.Notifications.Pages;

/// <summary>The outbox: messages with status and kind filters (the ministry: all; a district officer: their district).</summary>
[Authorize(Roles = Roles.DistrictOfficer + "," + Roles.MinistryAdmin)]
internal sealed class IndexModel(IMediator mediator) : PageModel
{
    public const int PageSize = 50;

    public NotificationPage Messages { get; private set; } = new([], 0);
    public MessageStatus? Status { get; private set; }
    public NotificationKind? Kind { get; private set; }
    public Guid? ApplicationId { get; private set; }
    public int Skip { get; private set; }
    public HeldReceiptsView HeldReceipts { get; private set; } = new(0, 0, TimeSpan.Zero);

    public async Task OnGetAsync(MessageStatus? status, NotificationKind? kind, Guid? applicationId, int skip, CancellationToken ct)
    {
        Status = status;
        Kind = kind;
        ApplicationId = applicationId;
        Skip = Math.Max(0, skip);
        Messages = await mediator.Send(new SearchNotifications(status, kind, applicationId, Skip, PageSize), ct);
        HeldReceipts = await mediator.Send(new GetHeldReceipts(), ct);
    }
}
