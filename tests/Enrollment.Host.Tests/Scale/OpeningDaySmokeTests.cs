using System.Collections.Concurrent;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Registry;
using Enrollment.LoadTest;
using Enrollment.Notifications.Data;
using Enrollment.Notifications.Domain;
using Enrollment.Registry.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Enrollment.Host.Tests.Scale;

/// <summary>
/// The Tiny host in Stage One with 2,300 extra synthetic families in the population registry, cheap password hashing
/// (test speed only) and room for every sign-up from one address.
/// </summary>
public sealed class OpeningDayFactory : ApplicationsFactory
{
    internal SyntheticPopulation Population { get; } = new(2300);

    /// <summary>What the submit path logged about refusals and retries (printed by the tests, to explain a refused submit).</summary>
    internal ConcurrentQueue<string> SubmitLog { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:SignInPerIp", "1000000");
        builder.UseSetting("RateLimits:AnonymousGraphQLPerIp", "1000000");
        builder.UseSetting("Logging:LogLevel:Default", "Error");
        builder.UseSetting("Logging:LogLevel:" + typeof(Enrollment.Registry.RegistryModule).Namespace + ".Features.Applications", "Information");
        builder.ConfigureLogging(l => l.AddProvider(new Enrollment.Host.Tests.Quotas.LogCapture(SubmitLog, ".SubmitApplicationHandler", ".SubmitQueue", "Enrollment.GraphQL")));
        builder.ConfigureTestServices(s =>
        {
            s.Configure<PasswordHasherOptions>(o => o.IterationCount = 1000);
            s.WrapPopulationRegistry((_, inner) => new SyntheticPopulationRegistry(inner, Population));
        });
    }
}

/// <summary>
/// The opening-morning load generator (tools/Enrollment.LoadTest) at smoke size against the real host: the invariants,
/// not the timings (those are a command, docs/benchmarks.md).
/// </summary>
public sealed class OpeningDaySmokeTests(ITestOutputHelper output)
{
    private const int Submits = 2000;

    [Fact]
    public async Task Two_thousand_concurrent_submits_are_each_stored_exactly_once_and_counted_in_open_data()
    {
        using var factory = new OpeningDayFactory();
        var ministry = Tiny.Account("MinistryAdmin");
        var options = new LoadOptions
        {
            Concurrency = 16, DraftShare = 0.3, SignInShare = 0.02, OpenDataEvery = 25, AdminEvery = 200, Duration = TimeSpan.FromMinutes(5),
            AdminUser = ministry.UserName, AdminPassword = ministry.Password, Log = output.WriteLine,
        };
        var day = new OpeningDay(factory.CreateClient(),
            () => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }), options);

        var prepared = await day.PrepareAsync([.. factory.Population.Families.Take(Submits)]);
        Assert.Equal(Submits, prepared.Parents.Count);
        Assert.Equal(Submits, prepared.Parents.Sum(p => p.Submits.Count));
        Assert.True(prepared.Drafts > 0);

        var opening = await day.OpenAsync(prepared.Parents);
        output.WriteLine(opening.Stats.Table(opening.Elapsed));
        foreach (var line in factory.SubmitLog)
        {
            output.WriteLine(line);
        }

        Assert.Equal(0, opening.Stats.ServerErrors);
        Assert.Empty(opening.Stats.Errors);
        Assert.Equal(Submits, opening.Acknowledged.Count);
        Assert.Equal(Submits, opening.Acknowledged.Select(a => a.ApplicationId).Distinct().Count());
        Assert.True(opening.Stats.Count("openData.regions") + opening.Stats.Count("openData.applications") > 0);
        Assert.True(opening.Stats.Count("admin.applications") > 0);

        var verified = await day.VerifyAsync(opening.Acknowledged);
        Assert.True(verified.Ok, string.Join("; ", verified.Failures));
        Assert.Equal(Submits, verified.Listed);
        Assert.Equal(Submits, verified.OpenDataApplications);

        // The submit queue publishes one event per committed batch (ADR 0901): Notifications recorded every submit exactly once.
        var submitted = opening.Acknowledged.Where(a => a.Status == "SUBMITTED").Select(a => Guid.Parse(a.ApplicationId)).ToHashSet();
        Assert.NotEmpty(submitted);
        await using var scope = factory.Services.CreateAsyncScope();
        var events = await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Events.AsNoTracking()
            .Where(e => e.Kind == NotificationKind.Submitted).Select(e => e.ApplicationId).ToListAsync();
        Assert.Equal(events.Count, events.Distinct().Count());
        Assert.Subset(submitted, events.ToHashSet());
    }

    [Fact]
    public async Task Submits_one_after_another_each_go_through_the_submit_queue_although_their_contexts_are_pooled()
    {
        // A pooled context the writer had lent its connection came back with that connection open, and every later
        // submit on it was saved alone, outside the queue (ADR 0903): one transaction and one publication per submit.
        using var factory = new OpeningDayFactory();
        var client = factory.CreateClient();
        var families = factory.Population.Families.Skip(Submits + 150).Take(20).ToList();
        var programs = await client.ProgramsAsync(null);
        var first = new Family(families[0].ParentPin, families[0].ChildPins[0]);
        var firstToken = await client.SignUpAsync(first);
        var resident = (await client.DraftAsync(firstToken, first))["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        var program = programs.First(p => resident.Contains(p.School));
        var tokens = new Dictionary<string, string> { [first.ParentPin] = firstToken };
        foreach (var f in families.Skip(1))
        {
            tokens[f.ParentPin] = await client.SignUpAsync(new Family(f.ParentPin, f.ChildPins[0]));
        }

        var before = await QueuedAsync(client);
        foreach (var f in families)
        {
            var family = new Family(f.ParentPin, f.ChildPins[0]);
            var (_, body) = await client.PostAsync(Families.Submit, Families.SubmitInput(family, [program], key: "one-by-one-" + f.ParentPin), tokens[f.ParentPin]);
            Assert.NotNull(body["data"]?["submitApplication"]?["id"]);
        }

        Assert.Equal(before + families.Count, await QueuedAsync(client));
        // ADR 0908: on SQLite the writer keeps its own connection (and its page cache) from batch to batch.
        Assert.Contains(factory.PostgresConnectionString is null ? "writer connections opened 1" : "writer connections opened 0", await QueueHealthAsync(client));
    }

    [Fact]
    public async Task On_sqlite_the_outbox_and_the_read_models_written_by_submits_live_in_their_own_files_not_the_shared_one()
    {
        // ADR 0907: the writes of Notifications and Reporting beside every submit never take the shared file's write lock.
        using var factory = new OpeningDayFactory();
        if (factory.PostgresConnectionString is not null)
        {
            return; // PostgreSQL: one database, a schema per module (the setting only concerns SQLite files)
        }

        var client = factory.CreateClient();
        var families = factory.Population.Families.Skip(Submits + 400).Take(3).ToList();
        var programs = await client.ProgramsAsync(null);
        var submitted = new List<Guid>();
        foreach (var f in families)
        {
            var family = new Family(f.ParentPin, f.ChildPins[0]);
            var token = await client.SignUpAsync(family);
            var resident = (await client.DraftAsync(token, family))["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
            var (_, body) = await client.PostAsync(Families.Submit, Families.SubmitInput(family, [programs.First(p => resident.Contains(p.School))]), token);
            submitted.Add(Guid.Parse(body["data"]!["submitApplication"]!["id"]!.GetValue<string>()));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var shared = Path.Combine(factory.DataDirectory, "enrollment.db");
        Assert.DoesNotContain(SqliteRows(shared, "SELECT name FROM sqlite_master WHERE type = 'table'"),
            t => t.StartsWith("notifications_", StringComparison.Ordinal) || t.StartsWith("reporting_", StringComparison.Ordinal));
        var events = SqliteRows(Path.Combine(factory.DataDirectory, "notifications.db"), "SELECT application_id FROM notifications_events WHERE kind = 'Submitted'");
        var facts = SqliteRows(Path.Combine(factory.DataDirectory, "reporting.db"), "SELECT application_id FROM reporting_application_fact");
        Assert.All(submitted, id => Assert.Contains(id.ToString(), events, StringComparer.OrdinalIgnoreCase));
        Assert.All(submitted, id => Assert.Contains(id.ToString(), facts, StringComparer.OrdinalIgnoreCase));
        var health = await client.GetAsync("/healthz");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode); // db:notifications and db:reporting answer from their files
    }

    private static List<string> SqliteRows(string file, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetValue(0).ToString()!);
        }

        return rows;
    }

    /// <summary>Submits the queue has committed so far (<c>/healthz</c>, <c>registry:submit-queue</c>).</summary>
    private static async Task<long> QueuedAsync(HttpClient client)
    {
        var match = System.Text.RegularExpressions.Regex.Match(await QueueHealthAsync(client), @"; (\d+) submits in ");
        Assert.True(match.Success);
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The submit queue's line in <c>/healthz</c>.</summary>
    internal static async Task<string> QueueHealthAsync(HttpClient client)
    {
        var health = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/healthz"))!;
        return health["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "registry:submit-queue")!["description"]!.GetValue<string>();
    }

    [Fact]
    public async Task In_one_burst_retries_get_their_application_duplicates_are_refused_and_the_rest_still_commit()
    {
        using var factory = new OpeningDayFactory();
        var client = factory.CreateClient();
        var families = factory.Population.Families.Skip(Submits).Take(150).ToList();
        var tokens = new ConcurrentDictionary<string, string>();
        var programs = await client.ProgramsAsync(null);
        await Parallel.ForEachAsync(families, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (f, _) =>
            tokens[f.ParentPin] = await client.SignUpAsync(new Family(f.ParentPin, f.ChildPins[0])));
        var resident = (await client.DraftAsync(tokens[families[0].ParentPin], new Family(families[0].ParentPin, families[0].ChildPins[0])))["residentSchoolCodes"]!
            .AsArray().Select(s => s!.GetValue<string>()).ToList();
        var program = programs.First(p => resident.Contains(p.School));

        // The first 50 submit twice with the same key, the next 50 twice with different keys, the last 50 once — all at once.
        var calls = families.SelectMany((f, i) => (i / 50) switch
        {
            0 => new[] { (Family: f, Key: "same-" + f.ParentPin), (Family: f, Key: "same-" + f.ParentPin) },
            1 => [(f, "first-" + f.ParentPin), (f, "second-" + f.ParentPin)],
            _ => [(f, "once-" + f.ParentPin)],
        }).ToList();
        var answers = new ConcurrentBag<(LoadFamily Family, string Key, string? Id, string? Code)>();
        await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (call, _) =>
        {
            var family = new Family(call.Family.ParentPin, call.Family.ChildPins[0]);
            var (_, body) = await client.PostAsync(Families.Submit, Families.SubmitInput(family, [program], key: call.Key), tokens[family.ParentPin]);
            answers.Add((call.Family, call.Key, body["data"]?["submitApplication"]?["id"]?.GetValue<string>(), body.ErrorCode()));
        });

        foreach (var group in answers.GroupBy(a => a.Family.ParentPin))
        {
            var index = families.FindIndex(f => f.ParentPin == group.Key);
            var list = group.ToList();
            switch (index / 50)
            {
                case 0:
                    Assert.All(list, a => Assert.NotNull(a.Id));
                    Assert.Single(list.Select(a => a.Id).Distinct());
                    break;
                case 1:
                    Assert.Single(list, a => a.Id is not null);
                    Assert.Single(list, a => a.Code == "APPLICATION_EXISTS");
                    break;
                default:
                    // A refusal here was a rare flake (INTERNAL_ERROR on CI, 2026-11-29): name the code and what the submit path logged.
                    Assert.True(Assert.Single(list).Id is not null, $"{list[0].Code}; log:\n{string.Join("\n", factory.SubmitLog)}");
                    break;
            }
        }

        // The queue appends a batch's audit entries together (ADR 0904): still one "Added" entry per application, naming
        // the parent who submitted it, and an intact chain.
        await using (var audit = factory.Services.CreateAsyncScope())
        {
            var submittedBy = answers.Where(a => a.Id is not null).DistinctBy(a => a.Id).ToDictionary(a => a.Id!, a => a.Family.ParentPin);
            var keys = submittedBy.Keys.ToList();
            var added = await audit.ServiceProvider.GetRequiredService<Enrollment.Host.Audit.AuditDbContext>().Entries.AsNoTracking()
                .Where(e => e.Module == "registry" && e.Entity == "Application" && e.Action == "Added" && keys.Contains(e.EntityKey))
                .Select(e => new { e.EntityKey, e.ActorName }).ToListAsync();
            Assert.Equal(families.Count, added.Count);
            Assert.All(added, e => Assert.Equal(submittedBy[e.EntityKey], e.ActorName));
            Assert.True((await audit.ServiceProvider.GetRequiredService<Enrollment.Host.Audit.AuditVerifier>().VerifyAsync(CancellationToken.None)).Intact);
        }

        var health = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/healthz"))!;
        var queue = health["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "registry:submit-queue")!;
        Assert.Equal("Healthy", queue["status"]!.GetValue<string>());
        Assert.StartsWith("depth 0/", queue["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
