using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Notifications.Features.Delivery;
using Enrollment.Notifications.Features;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Enrollment.Notifications.Areas.Notifications.Pages;

/// <summary>One message as sent (or to be sent), its attempts and last error; a failed one can be requeued.</summary>
[Authorize(Roles = Roles.DistrictOfficer + "," + Roles.MinistryAdmin)]
internal sealed class MessageModel(IMediator mediator, IOptions<NotificationsOptions> options) : PageModel
{
    public NotificationView? Message { get; private set; }
    public string? Done { get; private set; }

    /// <summary>Where the embedded file transport wrote it (null when the channel goes to SMTP or a gateway).</summary>
    public string? FilePath { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct);

    public async Task<IActionResult> OnPostRequeueAsync(Guid id, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new RequeueNotification(id), ct);
            Done = "Requeued";
        }
        catch (RuleViolation e) when (e is not Enrollment.BuildingBlocks.Errors.NotFound)
        {
            ModelState.AddModelError("", $"{e.Code}: {e.Message}");
        }

        return await LoadAsync(id, ct);
    }

    private async Task<IActionResult> LoadAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Message = await mediator.Send(new GetNotification(id), ct);
        }
        catch (NotFound)
        {
            return NotFound();
        }

        var o = options.Value;
        var file = Message.Channel == Domain.NotificationChannel.Sms ? o.Sms == SmsTransportMode.File : o.Email == EmailTransportMode.File;
        FilePath = file && Message.SentAt is not null
            ? Path.Combine(o.OutboxDirectory ?? "", FileTransport.FileName(new Domain.OutboxMessage { Id = Message.Id, Channel = Message.Channel }))
            : null;
        return Page();
    }
}
