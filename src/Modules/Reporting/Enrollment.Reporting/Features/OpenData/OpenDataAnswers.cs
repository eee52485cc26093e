using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Enrollment.Reporting.Features.OpenData;

/// <summary>Section <c>Reporting:OpenData</c>.</summary>
internal sealed class OpenDataOptions
{
    public const string Section = "Reporting:OpenData";

    /// <summary>
    /// How long an open-data answer is served without asking whether the read model changed (default 15 s; the CSV
    /// downloads tell clients 60 s anyway). 0: every request compares the read model's version and recomputes on a change.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// The open-data answers of this host (ADR 0912). An aggregate over every application fact costs time proportional to
/// the campaign's size — at national scale ≈ 0.9 s at the median on the opening morning, asked several times a second by the
/// public. Each distinct query (its record is the key) is computed once: for <see cref="OpenDataOptions.MaxAge"/> it is
/// served as is; after that, the read model's version tag is read and the answer is kept if the version is the same, or
/// computed again. Requests for the same query that arrive meanwhile wait for that one computation. The tag is read
/// before the computation, so an answer is never labelled older than its data.
/// </summary>
internal sealed class OpenDataAnswers(IOptions<OpenDataOptions> options)
{
    /// <summary>Distinct queries kept (areas × levels, program filters); beyond this all are forgotten at once.</summary>
    internal const int MaxAnswers = 2_000;

    private readonly ConcurrentDictionary<object, Answer> _answers = new();
    private readonly ConcurrentDictionary<object, Lazy<Task<Answer>>> _computing = new();

    /// <summary>Computations made (for tests and diagnostics).</summary>
    public long Computed => Interlocked.Read(ref _computed);

    private long _computed;

    public async Task<(object Value, string Tag)> GetAsync(object query, Func<Task<string>> currentTag, Func<Task<object>> compute)
    {
        if (_answers.TryGetValue(query, out var known) && Environment.TickCount64 - known.At < options.Value.MaxAge.TotalMilliseconds)
        {
            return (known.Value, known.Tag);
        }

        var computing = _computing.GetOrAdd(query, q => new Lazy<Task<Answer>>(() => RefreshAsync(q, currentTag, compute)));
        try
        {
            var answer = await computing.Value;
            return (answer.Value, answer.Tag);
        }
        finally
        {
            _computing.TryRemove(new KeyValuePair<object, Lazy<Task<Answer>>>(query, computing));
        }
    }

    private async Task<Answer> RefreshAsync(object query, Func<Task<string>> currentTag, Func<Task<object>> compute)
    {
        var tag = await currentTag();
        Answer answer;
        if (_answers.TryGetValue(query, out var known) && known.Tag == tag)
        {
            answer = known with { At = Environment.TickCount64 };
        }
        else
        {
            answer = new Answer(tag, Environment.TickCount64, await compute());
            Interlocked.Increment(ref _computed);
        }

        if (_answers.Count >= MaxAnswers)
        {
            _answers.Clear();
        }

        _answers[query] = answer;
        return answer;
    }

    private sealed record Answer(string Tag, long At, object Value);
}
