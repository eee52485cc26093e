using Enrollment.Allocation.Domain;
using Enrollment.Allocation.Features;
using Enrollment.Allocation.Jobs;
using Enrollment.Quotas.Contracts;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Mediator;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enrollment.Allocation.Tests.Runs;

/// <summary>When scheduled runs happen: the first run of a stage at the end of its equal-footing window, then nightly while it is open.</summary>
public sealed class ScheduleTests : IDisposable
{
    private readonly RunHarness _h = new();

    public void Dispose() => _h.Dispose();

    private async Task<RunOutcome?> Scheduled(string trigger = RunTriggers.Nightly)
    {
        await using var db = _h.Db();
        var handler = new RunScheduledAllocationHandler(_h.Sources, _h.Clock, new RunSender(_h), db, NullLogger<RunScheduledAllocationHandler>.Instance);
        return await handler.Handle(new RunScheduledAllocation(trigger), default);
    }

    [Fact]
    public async Task Nightly_run_waits_for_the_end_of_the_stage_equal_footing_window()
    {
        _h.Program("S1", "ky", 1);
        _h.Apply(RunHarness.StageOneOpens.AddHours(1), ("S1:ky", 2));

        _h.Clock.Set(RunHarness.StageOneOpens.AddHours(71));
        Assert.Null(await Scheduled());

        _h.Clock.Set(RunHarness.StageOneOpens.AddHours(72));
        Assert.Equal(1, (await Scheduled())!.Offers);
    }

    [Fact]
    public async Task A_stage_opening_run_delivered_twice_runs_once_and_a_nightly_run_still_follows()
    {
        _h.Program("S1", "ky", 1);
        _h.Apply(RunHarness.StageOneOpens.AddHours(1), ("S1:ky", 2));
        _h.Clock.Set(RunHarness.StageOneOpens.AddHours(72));

        Assert.Equal(1, (await Scheduled(RunTriggers.StageOpening))!.Offers);
        Assert.Null(await Scheduled(RunTriggers.StageOpening));
        Assert.NotNull(await Scheduled(RunTriggers.Nightly));

        await using var db = _h.Db();
        Assert.Equal(1, db.Runs.Count(r => r.Trigger == RunTriggers.StageOpening));
    }

    [Theory]
    [InlineData(nameof(Stage.BetweenQuotaEntryAndStageOne))]
    [InlineData(nameof(Stage.LateEnrollment))]
    [InlineData(nameof(Stage.Closed))]
    public async Task Nightly_run_is_skipped_outside_Stage_One_and_Stage_Two(string stage)
    {
        _h.Program("S1", "ky", 1);
        _h.Apply(RunHarness.StageOneOpens.AddHours(1), ("S1:ky", 2));
        _h.Stage = Enum.Parse<Stage>(stage);
        _h.Clock.Set(RunHarness.StageTwoOpens.AddDays(30));

        Assert.Null(await Scheduled());
    }

    [Fact]
    public async Task Stage_Two_opening_schedules_its_first_run_at_the_end_of_the_window()
    {
        var jobs = new RecordingJobClient();
        var handler = new WhenStageChangedScheduleFirstRun(_h.Sources, jobs);

        await handler.Handle(new StageChanged(_h.Campaign.Id, _h.Campaign.Name, Stage.StageOne, Stage.StageTwo, RunHarness.StageTwoOpens), default);
        await handler.Handle(new StageChanged(_h.Campaign.Id, _h.Campaign.Name, Stage.StageTwo, Stage.LateEnrollment, RunHarness.StageTwoOpens.AddDays(70)), default);

        var (job, state) = Assert.Single(jobs.Created);
        Assert.Equal((typeof(AllocationJobs), nameof(AllocationJobs.StageOpeningAsync)), (job.Type, job.Method.Name));
        Assert.Equal(RunHarness.StageTwoOpens.AddHours(72).UtcDateTime, Assert.IsType<ScheduledState>(state).EnqueueAt);
    }

    private sealed class RecordingJobClient : IBackgroundJobClient
    {
        public List<(Job Job, IState State)> Created { get; } = [];

        public string Create(Job job, IState state)
        {
            Created.Add((job, state));
            return Created.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }

    /// <summary>Sends RunAllocation to the real handler on the harness' database.</summary>
    private sealed class RunSender(RunHarness harness) : ISender
    {
        public async ValueTask<TResponse> Send<TResponse>(ICommand<TResponse> command, CancellationToken cancellationToken = default) =>
            command is RunAllocation run ? (TResponse)(object)await harness.Run(run.DryRun, run.Wait, trigger: run.Trigger) : throw new NotSupportedException();

        public ValueTask<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<TResponse> Send<TResponse>(IQuery<TResponse> query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<object?> Send(object message, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamQuery<TResponse> query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamRequest<TResponse> request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamCommand<TResponse> command, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<object?> CreateStream(object message, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
