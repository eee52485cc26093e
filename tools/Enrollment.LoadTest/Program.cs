using System.Globalization;
using Enrollment.DemoData;
using Enrollment.LoadTest;

// dotnet run -c Release --project tools/Enrollment.LoadTest -- --url http://127.0.0.1:5080 [--profile National] [--parents N]
//   [--concurrency 32] [--draft-share 0.3] [--signin-share 0] [--duration 600] [--max-requests N] [--open-data-every 20]
//   [--admin-every 100] [--seed 2026] [--key-prefix lt-] [--phase all|prepare|opening --state prepared.json] [--host-pid PID]
// --host-pid: also print the host's CPU-ms per submit (/proc/PID/stat); the generator's own and the host's database counters
// (/healthz db:statements) are always printed.
// The host must be seeded with the same demo profile and seed, be in Stage One (Clock:Now, docs/benchmarks.md), and allow
// the sign-ups from one address (RateLimits) and day-long sessions (Auth:AccessTokenLifetime).
var arguments = Args.Parse(args);
var url = arguments.Get("url", "http://127.0.0.1:5080");
var profile = Enum.Parse<DemoProfile>(arguments.Get("profile", "National"), ignoreCase: true);
var options = new LoadOptions
{
    Concurrency = arguments.Int("concurrency", 32),
    DraftShare = arguments.Double("draft-share", 0.3),
    SignInShare = arguments.Double("signin-share", 0),
    Duration = TimeSpan.FromSeconds(arguments.Double("duration", 600)),
    MaxRequests = arguments.Long("max-requests", long.MaxValue),
    OpenDataEvery = arguments.Int("open-data-every", 20),
    AdminEvery = arguments.Int("admin-every", 100),
    KeyPrefix = arguments.Get("key-prefix", "lt-"),
    Log = Console.WriteLine,
};

var phase = arguments.Get("phase", "all");
var statePath = arguments.Get("state", "");
IReadOnlyList<LoadFamily> families = [];
if (phase != "opening")
{
    var started = DateTimeOffset.UtcNow;
    var data = DemoDataGenerator.Generate(profile, arguments.Int("seed", 2026));
    families = DemoFamilies.Eligible(data, new DateOnly(2019, 1, 1), new DateOnly(2020, 12, 31));
    families = [.. families.Take(arguments.Int("parents", families.Count))];
    Console.WriteLine($"{profile} demo data: {families.Count:N0} parents with {families.Sum(f => f.ChildPins.Count):N0} eligible children "
        + $"(generated in {(DateTimeOffset.UtcNow - started).TotalSeconds:N1} s)");
}

Console.WriteLine($"target {url}, {options.Concurrency} concurrent clients");

var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency + 4, PooledConnectionLifetime = TimeSpan.FromMinutes(30) };
using var http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
HttpClient NewCookieClient() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(url) };
var day = new OpeningDay(http, NewCookieClient, options);

IReadOnlyList<PreparedParent> parents;
if (phase is "all" or "prepare")
{
    Console.WriteLine($"== The day before: sign-up of every parent, drafts for {options.DraftShare:P0}, micro-district school of the rest");
    var prepared = await day.PrepareAsync(families);
    Console.WriteLine($"prepared {prepared.Parents.Count:N0} parents ({prepared.Drafts:N0} drafts, {prepared.WithoutChoice:N0} children without a "
        + $"micro-district program) in {prepared.Elapsed.TotalSeconds:N1} s");
    Console.Write(prepared.Stats.Table(prepared.Elapsed));
    parents = prepared.Parents;
    if (statePath.Length > 0)
    {
        await PreparedState.SaveAsync(statePath, parents);
        Console.WriteLine($"saved the prepared parents to {statePath}");
    }

    if (phase == "prepare")
    {
        return 0;
    }
}
else
{
    parents = await PreparedState.LoadAsync(statePath);
    Console.WriteLine($"loaded {parents.Count:N0} prepared parents from {statePath}");
}

var submits = parents.Sum(p => p.Submits.Count);
Console.WriteLine($"== Opening: {submits:N0} submits, open data every {options.OpenDataEvery}, admin list page every {options.AdminEvery}, "
    + $"at most {options.Duration.TotalSeconds:N0} s / {(options.MaxRequests == long.MaxValue ? "unbounded" : options.MaxRequests.ToString("N0", CultureInfo.InvariantCulture))} requests");
int? hostPid = arguments.Get("host-pid", "") is { Length: > 0 } pidText ? int.Parse(pidText, CultureInfo.InvariantCulture) : null;
var costBefore = await CostSample.TakeAsync(http, hostPid);
var opening = await day.OpenAsync(parents);
var costAfter = await CostSample.TakeAsync(http, hostPid);
var ok = opening.Acknowledged.Count;
Console.WriteLine($"acknowledged {ok:N0} submits, refused {opening.Refused:N0}, {opening.Requests:N0} requests in {opening.Elapsed.TotalSeconds:N1} s "
    + $"= {ok / opening.Elapsed.TotalSeconds:N1} submits/s");
Console.Write(opening.Stats.Table(opening.Elapsed));
var p99 = opening.Stats.Percentile("submit", 0.99);
Console.WriteLine($"submit p99 {p99:N1} ms; 5xx/transport errors {opening.Stats.ServerErrors}");
Console.WriteLine(costAfter.PerSubmit(costBefore, ok));

Console.WriteLine("== Verification through the API");
var verified = await day.VerifyAsync(opening.Acknowledged);
Console.WriteLine($"listed {verified.Listed:N0} applications, open data counts {verified.OpenDataApplications:N0}, acknowledged {ok:N0}");
foreach (var failure in verified.Failures)
{
    Console.WriteLine("INVARIANT FAILED: " + failure);
}

Console.WriteLine(verified.Ok ? "invariants hold" : "invariants FAILED");
return verified.Ok ? 0 : 1;

/// <summary>--name value pairs.</summary>
internal sealed class Args(Dictionary<string, string> values)
{
    public static Args Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        return new Args(values);
    }

    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public long Long(string name, long fallback) => values.TryGetValue(name, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
