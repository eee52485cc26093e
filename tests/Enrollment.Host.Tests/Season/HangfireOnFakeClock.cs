using Cronos;
using Enrollment.BuildingBlocks.Time;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Season;

/// <summary>
/// Plays Hangfire's schedulers on the fake clock, against the host's real job storage (the test host runs no Hangfire
/// server): <see cref="AdvanceToAsync"/> moves the clock forward and performs, in time order, every one-off job whose
/// enqueue time has come (Hangfire's delayed-jobs scheduler) and every registered recurring job with an occurrence of its
/// cron expression in its time zone since it last fired (Hangfire's recurring-job scheduler; several missed occurrences
/// fire once, as Hangfire does after downtime). A job is performed as Hangfire's activator would: an instance from a DI
/// scope, the stored method and arguments.
/// </summary>
public sealed class HangfireOnFakeClock(SeasonFactory factory)
{
    private readonly Dictionary<string, DateTimeOffset> _lastFired = new(StringComparer.Ordinal);
    private readonly HashSet<string> _performed = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _started = factory.Clock.UtcNow;

    private FakeClock Clock => factory.Clock;

    private JobStorage Storage => factory.Services.GetRequiredService<JobStorage>();

    /// <summary>One-off jobs waiting in the scheduled set: method name and enqueue time (UTC).</summary>
    public IReadOnlyList<(string Method, DateTimeOffset EnqueueAt)> Scheduled() =>
        [.. Storage.GetMonitoringApi().ScheduledJobs(0, 1000)
            .Where(j => !_performed.Contains(j.Key) && j.Value.Job is not null)
            .Select(j => (j.Value.Job.Method.Name, new DateTimeOffset(DateTime.SpecifyKind(j.Value.EnqueueAt, DateTimeKind.Utc))))];

    /// <summary>Moves the clock to <paramref name="to"/>, performing the jobs that come due on the way; returns them as "at id".</summary>
    public async Task<IReadOnlyList<string>> AdvanceToAsync(DateTimeOffset to)
    {
        Assert.True(to >= Clock.UtcNow, $"The clock only moves forward ({Clock.UtcNow:O} → {to:O}).");
        var performed = new List<string>();
        while (NextDue(to) is { } next)
        {
            if (next.At > Clock.UtcNow)
            {
                Clock.Set(next.At);
            }

            await PerformAsync(next.Job);
            if (next.Recurring)
            {
                _lastFired[next.Id] = next.At;
            }
            else
            {
                _performed.Add(next.Id);
            }

            performed.Add($"{next.At:O} {next.Id}");
        }

        Clock.Set(to);
        return performed;
    }

    private (DateTimeOffset At, string Id, Job Job, bool Recurring)? NextDue(DateTimeOffset to)
    {
        var due = new List<(DateTimeOffset At, string Id, Job Job, bool Recurring)>();
        using (var connection = Storage.GetConnection())
        {
            foreach (var recurring in connection.GetRecurringJobs())
            {
                Assert.True(recurring.Job is not null, $"{recurring.Id}: {recurring.LoadException}");
                var since = _lastFired.GetValueOrDefault(recurring.Id, _started);
                var zone = TimeZoneInfo.FindSystemTimeZoneById(recurring.TimeZoneId ?? "UTC");
                var last = CronExpression.Parse(recurring.Cron)
                    .GetOccurrences(since.UtcDateTime, to.UtcDateTime, zone, fromInclusive: false, toInclusive: true)
                    .Select(o => (DateTime?)o).LastOrDefault();
                if (last is { } at)
                {
                    due.Add((new DateTimeOffset(at, TimeSpan.Zero), recurring.Id, recurring.Job, true));
                }
            }
        }

        foreach (var (id, job) in Storage.GetMonitoringApi().ScheduledJobs(0, 1000))
        {
            var at = new DateTimeOffset(DateTime.SpecifyKind(job.EnqueueAt, DateTimeKind.Utc));
            if (!_performed.Contains(id) && job.Job is not null && at <= to)
            {
                // A job scheduled for a moment already past is enqueued at once.
                due.Add((at < Clock.UtcNow ? Clock.UtcNow : at, id, job.Job, false));
            }
        }

        return due.Count == 0 ? null : due.OrderBy(d => d.At).ThenBy(d => d.Recurring).ThenBy(d => d.Id, StringComparer.Ordinal).First();
    }

    private async Task PerformAsync(Job job)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var instance = ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, job.Type);
        var parameters = job.Method.GetParameters();
        var arguments = parameters.Select((p, i) => p.ParameterType == typeof(CancellationToken) ? CancellationToken.None : job.Args[i]).ToArray();
        if (job.Method.Invoke(instance, arguments) is Task task)
        {
            await task;
        }
    }
}
