using Enrollment.Quotas.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Quotas.Areas.Quotas.Pages;

internal sealed class IndexModel(IMediator mediator) : PageModel
{
    public CampaignDto? Campaign { get; private set; }
    public StageInfoDto? Stage { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Campaign = await mediator.Send(new GetCurrentCampaign(), ct);
        Stage = await mediator.Send(new GetCurrentStage(), ct);
    }
}
