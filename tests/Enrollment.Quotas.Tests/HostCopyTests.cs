using Enrollment.Quotas.Features;

namespace Enrollment.Quotas.Tests;

public sealed class HostCopyTests
{
    private sealed record Rows(int Version);

    private sealed record OtherRows(int Version);

    [Fact]
    public async Task Callers_finding_the_copy_out_of_date_at_once_share_one_read_instead_of_each_reading_the_rows()
    {
        var copy = new HostCopy<Rows>(3600);
        var gate = new TaskCompletionSource<Rows>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loads = 0;

        var callers = Enumerable.Range(0, 20).Select(_ => copy.GetAsync(_ => true, () =>
        {
            Interlocked.Increment(ref loads);
            return gate.Task;
        })).ToList();
        gate.SetResult(new Rows(1));
        var snapshots = await Task.WhenAll(callers);

        Assert.Equal(1, loads);
        Assert.Equal(1, copy.Reads);
        Assert.All(snapshots, s => Assert.Same(snapshots[0], s));
    }

    [Fact]
    public async Task When_the_shared_read_fails_each_waiting_caller_reads_for_itself()
    {
        var copy = new HostCopy<OtherRows>(3600);
        var failing = new TaskCompletionSource<OtherRows>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = copy.GetAsync(_ => true, () => failing.Task);
        var second = copy.GetAsync(_ => true, () => Task.FromResult(new OtherRows(2)));

        failing.SetException(new OperationCanceledException("the first request was cancelled"));

        await Assert.ThrowsAsync<OperationCanceledException>(() => first);
        Assert.Equal(new OtherRows(2), await second);
        Assert.Equal(2, copy.Reads);
    }
}
