using Hangfire;
using Mediator;

namespace Enrollment.Reporting.Features;

/// <summary>Hourly safety net behind the event-driven refresh (job id <c>reporting:refresh-open-data</c>).</summary>
[AutomaticRetry(Attempts = 3)]
internal sealed class RefreshOpenDataJob(IMediator mediator)
{
    public const string Id = "reporting:refresh-open-data";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await mediator.Send(new RefreshOpenData(), cancellationToken);
        await mediator.Send(new ReadModel.RefreshProgramFacts(), cancellationToken);
    }
}
