using Enrollment.Reporting.Features.OpenData;
using Microsoft.Extensions.Options;

namespace Enrollment.Reporting.Tests;

/// <summary>ADR 0912: an open-data answer is computed once per query and kept for the maximum age or while the version holds.</summary>
public sealed class OpenDataAnswersTests
{
    private static OpenDataAnswers Answers(TimeSpan maxAge) => new(Options.Create(new OpenDataOptions { MaxAge = maxAge }));

    [Fact]
    public async Task Concurrent_requests_for_one_query_wait_for_one_computation()
    {
        var answers = Answers(TimeSpan.Zero);
        var gate = new TaskCompletionSource();
        var computations = 0;
        var requests = Enumerable.Range(0, 20).Select(_ => answers.GetAsync("national", () => Task.FromResult("v1"), async () =>
        {
            Interlocked.Increment(ref computations);
            await gate.Task;
            return (object)"answer";
        })).ToList();

        gate.SetResult();
        var results = await Task.WhenAll(requests);

        Assert.Equal(1, computations);
        Assert.All(results, r => Assert.Equal(("answer", "v1"), ((string)r.Value, r.Tag)));
    }

    [Fact]
    public async Task Within_the_maximum_age_the_kept_answer_is_served_without_asking_for_the_version()
    {
        var answers = Answers(TimeSpan.FromHours(1));
        var tags = 0;
        var first = await answers.GetAsync("q", () => { tags++; return Task.FromResult("v1"); }, () => Task.FromResult<object>("old"));
        var second = await answers.GetAsync("q", () => { tags++; return Task.FromResult("v2"); }, () => Task.FromResult<object>("new"));

        Assert.Equal(("old", "v1"), ((string)second.Value, second.Tag));
        Assert.Equal(first, second);
        Assert.Equal(1, tags);
        Assert.Equal(1, answers.Computed);
    }

    [Fact]
    public async Task With_maximum_age_zero_the_answer_is_kept_while_the_version_holds_and_recomputed_when_it_changes()
    {
        var answers = Answers(TimeSpan.Zero);
        await answers.GetAsync("q", () => Task.FromResult("v1"), () => Task.FromResult<object>("a"));
        var same = await answers.GetAsync("q", () => Task.FromResult("v1"), () => Task.FromResult<object>("b"));
        var changed = await answers.GetAsync("q", () => Task.FromResult("v2"), () => Task.FromResult<object>("c"));
        var other = await answers.GetAsync("other", () => Task.FromResult("v2"), () => Task.FromResult<object>("d"));

        Assert.Equal(("a", "v1"), ((string)same.Value, same.Tag));
        Assert.Equal(("c", "v2"), ((string)changed.Value, changed.Tag));
        Assert.Equal("d", other.Value);
        Assert.Equal(3, answers.Computed);
    }

    [Fact]
    public async Task A_failed_computation_is_not_kept_and_the_next_request_computes_again()
    {
        var answers = Answers(TimeSpan.FromHours(1));
        await Assert.ThrowsAsync<TimeoutException>(() => answers.GetAsync("q", () => Task.FromResult("v1"), () => throw new TimeoutException()));
        var next = await answers.GetAsync("q", () => Task.FromResult("v1"), () => Task.FromResult<object>("ok"));

        Assert.Equal("ok", next.Value);
    }
}
