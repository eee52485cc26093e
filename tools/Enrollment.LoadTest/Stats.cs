using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Enrollment.LoadTest;

/// <summary>Latencies per operation and errors by kind (HTTP status or GraphQL extensions.code), thread-safe.</summary>
public sealed class Stats
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _latencies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _errors = new(StringComparer.Ordinal);

    public void Record(string operation, double milliseconds) => _latencies.GetOrAdd(operation, _ => []).Add(milliseconds);

    public void Error(string operation, string kind) => _errors.AddOrUpdate(operation + " " + kind, 1, (_, n) => n + 1);

    public IReadOnlyDictionary<string, int> Errors => _errors;

    public int Count(string operation) => _latencies.TryGetValue(operation, out var bag) ? bag.Count : 0;

    /// <summary>Errors whose kind is an HTTP 5xx or a transport failure.</summary>
    public int ServerErrors => _errors.Where(e => e.Key.Contains(" HTTP 5", StringComparison.Ordinal) || e.Key.Contains(" TRANSPORT", StringComparison.Ordinal))
        .Sum(e => e.Value);

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public double Percentile(string operation, double p) =>
        _latencies.TryGetValue(operation, out var bag) ? Percentile([.. bag.Order()], p) : 0;

    public string Table(TimeSpan elapsed)
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.AppendLine(c, $"{"operation",-22} {"count",9} {"per s",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}");
        foreach (var (op, bag) in _latencies.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            var sorted = bag.Order().ToList();
            s.AppendLine(c, $"{op,-22} {sorted.Count,9:N0} {sorted.Count / Math.Max(elapsed.TotalSeconds, 0.001),8:N1} {Percentile(sorted, 0.50),8:N1} "
                + $"{Percentile(sorted, 0.95),8:N1} {Percentile(sorted, 0.99),8:N1} {(sorted.Count == 0 ? 0 : sorted[^1]),8:N1}");
        }

        if (_errors.IsEmpty)
        {
            s.AppendLine("errors: none");
        }
        else
        {
            s.AppendLine("errors (operation kind: count):");
            foreach (var (kind, n) in _errors.OrderBy(x => x.Key, StringComparer.Ordinal))
            {
                s.AppendLine(c, $"  {kind}: {n:N0}");
            }
        }

        return s.ToString();
    }
}
