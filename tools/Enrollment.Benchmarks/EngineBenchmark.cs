using System.Diagnostics;
using System.Globalization;
using Enrollment.Allocation.Engine;

namespace Enrollment.Benchmarks;

/// <summary>
/// The allocation engine alone (no I/O) on generated national-like instances: 10k / 100k / 300k applications with
/// 1–5 ranked choices, ~1 program per 60 applications (300k → 5,000 programs ≈ 2,300 schools × ky/ru/uz), holds.
/// Each size: one warm-up, then <c>runs</c> timed runs on one thread; prints median/min/max and the allocated bytes.
/// </summary>
internal static class EngineBenchmark
{
    public static int Run(int runs)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var students in new[] { 10_000, 100_000, 300_000 })
        {
            var instance = InstanceGenerator.Generate(students, InstanceGenerator.DefaultProgramCount(students), "benchmark-2026");
            var first = DeferredAcceptance.Run(instance); // warm-up (JIT) and the answer to compare against
            var times = new List<double>();
            long bytes = 0;
            for (var i = 0; i < runs; i++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var sw = Stopwatch.StartNew();
                var result = DeferredAcceptance.Run(instance);
                sw.Stop();
                bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                times.Add(sw.Elapsed.TotalMilliseconds);
                if (result.Assignments.Count != first.Assignments.Count)
                {
                    Console.Error.WriteLine("Engine gave a different result on a re-run.");
                    return 1;
                }
            }

            times.Sort();
            var assigned = first.Assignments.Count(a => a.Value is not null);
            Console.WriteLine(string.Create(inv,
                $"engine {students,7:N0} applications, {instance.Programs.Count,5:N0} programs: median {times[times.Count / 2],7:0.0} ms (min {times[0]:0.0}, max {times[^1]:0.0}) over {runs} runs; allocated {bytes / 1024.0 / 1024.0:0.0} MiB; {assigned:N0} assigned"));
        }

        return 0;
    }
}
