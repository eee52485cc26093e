using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Registry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Races;

/// <summary>
/// The real host with every module (no fakes: offers live in Allocation), on a fake clock in Stage One after the
/// equal-footing window (4 April 2026, 12:00 Asia/Bishkek), for the host-level races.
/// </summary>
public class RaceSeasonFactory : EnrollmentFactory
{
    public static readonly DateTimeOffset AfterEqualFooting = new(2026, 4, 4, 6, 0, 0, TimeSpan.Zero);

    public FakeClock Clock { get; }

    public RaceSeasonFactory() : this(AfterEqualFooting)
    {
    }

    protected RaceSeasonFactory(DateTimeOffset start) => Clock = new FakeClock(start);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:AccessTokenLifetime", "400.00:00:00");
        builder.UseSetting("RateLimits:SignInPerIp", "10000");
        builder.ConfigureTestServices(s => s.AddSingleton<IClock>(Clock));
    }
}

/// <summary>GraphQL steps the races share: rounds from <c>RACE_ROUNDS</c>, applying, running, seats, the audit tail.</summary>
public static class RaceSeason
{
    /// <summary>Rounds of a race: <paramref name="fallback"/>, or the <c>RACE_ROUNDS</c> environment variable to run more locally.</summary>
    public static int Rounds(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("RACE_ROUNDS"), out var rounds) && rounds > 0 ? rounds : fallback;

    public const string Ministry = "ministry";

    /// <summary>Starts every request at the same instant (like <see cref="RaceKit.TogetherAsync"/> for two) and reads all answers.</summary>
    public static async Task<JsonNode[]> AllTogetherAsync(IEnumerable<Func<Task<JsonNode>>> actions)
    {
        var list = actions.ToList();
        using var start = new SemaphoreSlim(0, list.Count);
        var tasks = list.Select(action => Task.Run(async () =>
        {
            await start.WaitAsync();
            return await action();
        })).ToList();
        start.Release(list.Count);
        return await Task.WhenAll(tasks);
    }

    public static Task<string> MinistryAsync(this HttpClient client) => client.LoginAsync(Ministry, Tiny.Account("MinistryAdmin").Password);

    public static async Task<JsonNode> OkAsync(this HttpClient client, string token, string query, object? variables = null)
    {
        var (_, body) = await client.PostAsync(query, variables, token);
        Assert.True(body["errors"] is null, body.Pretty());
        return body["data"]!;
    }

    /// <summary>A new application of the family (a draft, then the submit) for <paramref name="program"/>; returns its id.</summary>
    public static async Task<string> ApplyAsync(this HttpClient client, string token, Family family, (string School, string Language) program)
    {
        await client.DraftAsync(token, family);
        var (_, body) = await client.PostAsync(Families.Submit, Families.SubmitInput(family, [program]), token);
        Assert.True(body["errors"] is null, body.Pretty());
        return body["data"]!["submitApplication"]!.Id();
    }

    /// <summary>The first program of the family's micro-district school(s) (Stage One).</summary>
    public static async Task<(string School, string Language)> ResidentProgramAsync(this HttpClient client, string token, Family family)
    {
        var draft = await client.DraftAsync(token, family);
        var resident = draft["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        return (await client.ProgramsAsync(resident)).First();
    }

    /// <summary>Signs every family up and finds the first program of its micro-district school(s).</summary>
    public static async Task<(Dictionary<Family, string> Tokens, Dictionary<Family, (string School, string Language)> Programs)> SignUpAllAsync(
        this HttpClient client, IEnumerable<Family> families)
    {
        var tokens = new Dictionary<Family, string>();
        var programs = new Dictionary<Family, (string School, string Language)>();
        foreach (var family in families)
        {
            tokens[family] = await client.SignUpAsync(family);
            programs[family] = await client.ResidentProgramAsync(tokens[family], family);
        }

        return (tokens, programs);
    }

    /// <summary>Applications in Offered or Confirmed over the whole campaign (each must hold exactly one offer).</summary>
    public static async Task<int> HoldingApplicationsAsync(this HttpClient client, string ministry)
    {
        var holding = 0;
        foreach (var status in new[] { "OFFERED", "CONFIRMED" })
        {
            holding += await client.ApplicationCountAsync(ministry, status);
        }

        return holding;
    }

    /// <summary>Applications in one status (the GraphQL enum name, e.g. SUBMITTED) over the whole campaign, as the ministry sees them.</summary>
    public static async Task<int> ApplicationCountAsync(this HttpClient client, string ministry, string status) =>
        (await client.OkAsync(ministry, "query($s: ApplicationStatus) { applications(status: $s, first: 1) { totalCount } }", new { s = status }))
            ["applications"]!["totalCount"]!.GetValue<int>();

    public const string Run = "mutation { runAllocation(dryRun: false) { run { id status offers } } }";

    /// <summary>Seats of every program (Quotas' approved seats, Allocation's held offers, Registry's enrolled) keyed "SCHOOL/lang".</summary>
    public static async Task<Dictionary<string, (int Approved, int Enrolled, int Held, int Free)>> SeatsAsync(this HttpClient client, IEnumerable<string>? schools = null)
    {
        var (_, body) = await client.PostAsync("query($s: [String!]) { programs(schoolCodes: $s) { schoolCode language approvedSeats enrolled heldOffers freeSeats } }",
            new { s = schools?.ToArray() });
        return body["data"]!["programs"]!.AsArray().ToDictionary(
            p => $"{p!["schoolCode"]!.GetValue<string>()}/{p["language"]!.GetValue<string>()}",
            p => (p!["approvedSeats"]!.GetValue<int>(), p["enrolled"]!.GetValue<int>(), p["heldOffers"]!.GetValue<int>(), p["freeSeats"]!.GetValue<int>()));
    }

    /// <summary>Reporting's open-data view of the same programs, keyed "SCHOOL/lang" (offers, enrolled, free).</summary>
    public static async Task<Dictionary<string, (int Offers, int Enrolled, int Free)>> OpenDataAsync(this HttpClient client, string school)
    {
        var (_, body) = await client.PostAsync("query($s: String) { openDataPrograms(schoolCode: $s) { schoolCode language offers enrolled freeSeats } }", new { s = school });
        return body["data"]!["openDataPrograms"]!.AsArray().ToDictionary(
            p => $"{p!["schoolCode"]!.GetValue<string>()}/{p["language"]!.GetValue<string>()}",
            p => (p!["offers"]!.GetValue<int>(), p["enrolled"]!.GetValue<int>(), p["freeSeats"]!.GetValue<int>()));
    }

    /// <summary>Id of the newest audit entry (0 when none).</summary>
    public static async Task<long> AuditMarkAsync(this HttpClient client, string ministry)
    {
        var entries = (await client.OkAsync(ministry, "{ auditEntries(first: 1) { id } }"))["auditEntries"]!.AsArray();
        return entries.Count == 0 ? 0 : long.Parse(entries[0]!["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Audit entries written after <paramref name="mark"/> (reads excluded), oldest first.</summary>
    public static async Task<List<JsonNode>> AuditSinceAsync(this HttpClient client, string ministry, long mark)
    {
        var entries = (await client.OkAsync(ministry, "{ auditEntries(first: 200) { id module entity entityKey action afterJson } }"))["auditEntries"]!.AsArray();
        return [.. entries.Select(e => e!)
            .Where(e => long.Parse(e["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > mark && e["module"]!.GetValue<string>() is not ("reads" or "auth"))
            .Reverse()];
    }
}
