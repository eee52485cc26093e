using Enrollment.Allocation.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Reporting.Contracts;
using Hangfire;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Enrollment.Reporting.Features.ReadModel;

/// <summary>
/// An application changed status: copy its fact (idempotent — a replayed or older event changes nothing) and, when seats
/// may have moved, re-read the seats of the schools it names. Lag: the same request that changed the status.
/// </summary>
internal sealed class WhenApplicationStatusChanged(ReadModelWriter writer, ILogger<WhenApplicationStatusChanged> log)
    : INotificationHandler<ApplicationStatusChanged>
{
    public async ValueTask Handle(ApplicationStatusChanged notification, CancellationToken ct) =>
        await StatusChanges.ApplyAsync(writer, [notification], log, ct);
}

/// <summary>
/// A committed batch of status changes (Registry's submit queue): the same as each change delivered alone, in order, but
/// in one pass — one read of the facts, one school map, one save, one recount of the day cells, one version bump and at
/// most one program refresh per campaign (ADR 0601).
/// </summary>
internal sealed class WhenApplicationStatusesChanged(ReadModelWriter writer, ILogger<WhenApplicationStatusesChanged> log)
    : INotificationHandler<ApplicationStatusesChanged>
{
    public async ValueTask Handle(ApplicationStatusesChanged notification, CancellationToken ct) =>
        await StatusChanges.ApplyAsync(writer, notification.Changes, log, ct);
}

/// <summary>The one status-change path (a single event is a list of one).</summary>
internal static class StatusChanges
{
    private static readonly HashSet<ApplicationStatus> Holding = [ApplicationStatus.Offered, ApplicationStatus.Confirmed, ApplicationStatus.Enrolled];

    public static async Task ApplyAsync(ReadModelWriter writer, IReadOnlyList<ApplicationStatusChanged> changes, ILogger log, CancellationToken ct)
    {
        var applied = await writer.ApplyAsync(changes, ct);
        foreach (var campaign in applied.GroupBy(c => c.Application.CampaignId))
        {
            // An applied change re-reads the seats of the schools it names when seats may have moved, or when one of those
            // schools has no program rows yet (then all of that change's schools, as a single event always did).
            var refresh = new HashSet<string>(StringComparer.Ordinal);
            var others = new List<IReadOnlyList<string>>();
            foreach (var change in campaign)
            {
                var schools = Schools(change.Application);
                if (SeatsMoved(change))
                {
                    refresh.UnionWith(schools);
                }
                else
                {
                    others.Add(schools);
                }
            }

            var unknown = others.SelectMany(s => s).Where(s => !refresh.Contains(s)).Distinct(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                var without = (await writer.SchoolsWithoutProgramsAsync(campaign.Key, unknown, ct)).ToHashSet(StringComparer.Ordinal);
                foreach (var schools in others.Where(s => s.Any(without.Contains)))
                {
                    refresh.UnionWith(schools);
                }
            }

            if (refresh.Count > 0)
            {
                await ProgramRefresh.TryAsync(writer, campaign.Key, [.. refresh.Order(StringComparer.Ordinal)], log, ct);
            }
        }
    }

    private static bool SeatsMoved(ApplicationStatusChanged change) =>
        (change.From is { } from && Holding.Contains(from)) || Holding.Contains(change.To) || change.To == ApplicationStatus.Withdrawn;

    private static List<string> Schools(ApplicationFactDto fact) =>
        [.. fact.Choices.Select(c => c.SchoolCode).Concat(fact.EnrolledProgram is { } e ? [e.SchoolCode] : []).Distinct()];
}

/// <summary>Quotas are approved before a stage opens: re-read every program's seats when the stage changes.</summary>
internal sealed class WhenStageChanged(ReadModelWriter writer, ILogger<WhenStageChanged> log) : INotificationHandler<Enrollment.Quotas.Contracts.StageChanged>
{
    public async ValueTask Handle(Enrollment.Quotas.Contracts.StageChanged notification, CancellationToken ct) =>
        await ProgramRefresh.TryAsync(writer, notification.CampaignId, null, log, ct);
}

/// <summary>A run or an expiry batch changed offers: re-read the seats of the schools concerned (idempotent by nature).</summary>
internal sealed class WhenOffersChanged(ReadModelWriter writer, ILogger<WhenOffersChanged> log) : INotificationHandler<OffersChanged>
{
    public async ValueTask Handle(OffersChanged notification, CancellationToken ct)
    {
        IReadOnlyList<string>? schools = notification.Changes.Any(c => c.SchoolCode is null)
            ? null
            : [.. notification.Changes.Select(c => c.SchoolCode!).Distinct()];
        await ProgramRefresh.TryAsync(writer, notification.CampaignId, schools, log, ct);
    }
}

/// <summary>After a committed run every program's seats are re-read.</summary>
internal sealed class WhenAllocationRunCompleted(ReadModelWriter writer, ILogger<WhenAllocationRunCompleted> log) : INotificationHandler<AllocationRunCompleted>
{
    public async ValueTask Handle(AllocationRunCompleted notification, CancellationToken ct) =>
        await ProgramRefresh.TryAsync(writer, notification.CampaignId, null, log, ct);
}

internal static class ProgramRefresh
{
    /// <summary>
    /// A failure to read another module's seats must not fail that module's request (its change is committed): it is logged,
    /// and the hourly refresh and the nightly rebuild put the numbers right.
    /// </summary>
    public static async Task TryAsync(ReadModelWriter writer, Guid campaignId, IReadOnlyList<string>? schools, ILogger log, CancellationToken ct)
    {
        try
        {
            await writer.RefreshProgramsAsync(campaignId, schools, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Reporting could not refresh program seats of campaign {CampaignId}; the hourly refresh will retry", campaignId);
        }
    }
}

internal sealed class RebuildReadModelsHandler(ReadModelWriter writer) : ICommandHandler<RebuildReadModels, ReadModelsRebuiltDto>
{
    public async ValueTask<ReadModelsRebuiltDto> Handle(RebuildReadModels command, CancellationToken ct)
    {
        var r = await writer.RebuildAsync(ct);
        return new ReadModelsRebuiltDto(r.CampaignId, r.ApplicationFacts, r.ProgramFacts, r.Days);
    }
}

/// <summary>Re-reads every program's seats of the current campaign (the hourly safety net).</summary>
internal sealed record RefreshProgramFacts : ICommand<int>;

internal sealed class RefreshProgramFactsHandler(ReadModelWriter writer, IReportingSources sources) : ICommandHandler<RefreshProgramFacts, int>
{
    public async ValueTask<int> Handle(RefreshProgramFacts command, CancellationToken ct) =>
        await sources.CurrentCampaignAsync(ct) is { } campaign ? await writer.RefreshProgramsAsync(campaign.Id, null, ct) : 0;
}

/// <summary>Nightly full rebuild from the Contracts queries (job id <c>reporting:rebuild-read-models</c>); also started by the ministry.</summary>
[AutomaticRetry(Attempts = 2)]
internal sealed class RebuildReadModelsJob(IMediator mediator)
{
    public const string Id = "reporting:rebuild-read-models";

    public async Task RunAsync(CancellationToken cancellationToken) => await mediator.Send(new RebuildReadModels(), cancellationToken);
}
