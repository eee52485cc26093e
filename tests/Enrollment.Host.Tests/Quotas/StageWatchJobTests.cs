using System.Collections.Concurrent;
using Enrollment.BuildingBlocks.Time;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Enrollment.Host.Tests.Quotas;

/// <summary>A host with a running Hangfire server, a fake clock and a log that records the module's stage-change listener.</summary>
public sealed class StageWatchFactory : EnrollmentFactory
{
    public FakeClock Clock { get; } = new(new DateTimeOffset(2026, 4, 1, 3, 59, 0, TimeSpan.Zero));

    public ConcurrentQueue<string> StageLog { get; } = new();

    protected override bool RunJobServer => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<IClock>(Clock);
            s.AddLogging(b => b.AddProvider(new LogCapture(StageLog, "LogStageChangedHandler"))
                .AddFilter<LogCapture>("Enrollment.Quotas.Features.LogStageChangedHandler", LogLevel.Information));
        });
    }
}

[Collection(HostCollection.Name)]
public sealed class StageWatchJobTests : IClassFixture<StageWatchFactory>
{
    private readonly StageWatchFactory _factory;

    public StageWatchJobTests(StageWatchFactory factory)
    {
        _factory = factory;
        _ = factory.Services; // start the host and its job server
    }

    [Fact]
    public async Task The_stage_watch_job_publishes_Stage_One_once_when_triggered_through_Hangfire_at_10_00_Bishkek()
    {
        var jobs = _factory.Services.GetRequiredService<IRecurringJobManager>();
        await RunAsync(jobs, expectedLines: 1); // 03:59 UTC: the first observation publishes the stage before Stage One
        Assert.Contains("BetweenQuotaEntryAndStageOne", _factory.StageLog.Last(), StringComparison.Ordinal);

        await RunAsync(jobs, expectedLines: 1); // same stage: nothing new
        _factory.Clock.Set(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero));
        await RunAsync(jobs, expectedLines: 2);
        Assert.Contains("BetweenQuotaEntryAndStageOne -> StageOne", _factory.StageLog.Last(), StringComparison.Ordinal);
        await RunAsync(jobs, expectedLines: 2);
    }

    private async Task RunAsync(IRecurringJobManager jobs, int expectedLines)
    {
        var monitoring = _factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var before = monitoring.SucceededListCount();
        jobs.Trigger("quotas:stage-watch");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        // The recurring schedule may also fire on its own; wait for a success after the trigger and for the expected line.
        while ((monitoring.SucceededListCount() <= before || _factory.StageLog.Count < expectedLines) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.True(monitoring.SucceededListCount() > before, "the stage watch did not run");
        Assert.Equal(expectedLines, _factory.StageLog.Count);
    }
}
