using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Enrollment.LoadTest;

/// <summary>
/// What the opening cost, independent of how busy the machine is: CPU time (user + system) of the host process (from
/// /proc/&lt;pid&gt;/stat, when its pid is given) and of this generator, and the host's database counters from /healthz
/// (<c>db:statements</c>: commands, commits, connection opens) — each before and after the opening, divided by the
/// acknowledged submits (docs/benchmarks.md, "Cost per submit").
/// </summary>
public sealed partial record CostSample(TimeSpan Generator, TimeSpan? Host, long? Commands, long? Commits, long? Opens,
    IReadOnlyDictionary<string, long> ByModule)
{
    public static async Task<CostSample> TakeAsync(HttpClient http, int? hostPid, CancellationToken ct = default)
    {
        var generator = Process.GetCurrentProcess().TotalProcessorTime;
        TimeSpan? host = hostPid is { } pid ? ProcessCpu(pid) : null;
        long? commands = null, commits = null, opens = null;
        var byModule = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            var health = JsonNode.Parse(await http.GetStringAsync("/healthz", ct));
            var description = health?["checks"]?.AsArray()
                .FirstOrDefault(c => c?["name"]?.GetValue<string>() == "db:statements")?["description"]?.GetValue<string>();
            if (description is not null && Counters().Match(description) is { Success: true } m)
            {
                (commands, commits, opens) = (Long(m.Groups[1]), Long(m.Groups[2]), Long(m.Groups[3]));
                foreach (Match module in Modules().Matches(description))
                {
                    byModule[module.Groups[1].Value] = Long(module.Groups[2]);
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException)
        {
            // An older host without the counters: CPU only.
        }

        return new CostSample(generator, host, commands, commits, opens, byModule);
    }

    /// <summary>utime + stime of a process, in clock ticks of 10 ms (USER_HZ is 100 on Linux).</summary>
    public static TimeSpan? ProcessCpu(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The cost of what happened between <paramref name="before"/> and this sample, per submit.</summary>
    public string PerSubmit(CostSample before, int submits)
    {
        if (submits == 0)
        {
            return "cost: no submits";
        }

        static string Ms(TimeSpan t, int n) => (t.TotalMilliseconds / n).ToString("N2", CultureInfo.InvariantCulture);
        static string Per(long? a, long? b, int n) => a is { } x && b is { } y ? ((double)(x - y) / n).ToString("N1", CultureInfo.InvariantCulture) : "?";
        var generator = Generator - before.Generator;
        var line = $"cost per submit ({submits:N0} submits): generator {Ms(generator, submits)} CPU-ms";
        if (Host is { } h && before.Host is { } hb)
        {
            line += $", host {Ms(h - hb, submits)} CPU-ms, together {Ms(h - hb + generator, submits)} CPU-ms";
        }

        return line + $"; database: {Per(Commands, before.Commands, submits)} commands, {Per(Commits, before.Commits, submits)} commits, "
            + $"{Per(Opens, before.Opens, submits)} connection opens"
            + (ByModule.Count == 0 ? "" : "; commands by module: " + string.Join(", ", ByModule.OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => $"{m.Key} {Per(m.Value, before.ByModule.GetValueOrDefault(m.Key), submits)}")));
    }

    private static long Long(Group g) => long.Parse(g.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"commands (\d+); commits (\d+); opens (\d+)")]
    private static partial Regex Counters();

    [GeneratedRegex(@"([a-z]+)=(\d+)")]
    private static partial Regex Modules();
}
