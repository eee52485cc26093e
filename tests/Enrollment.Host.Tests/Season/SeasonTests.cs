using System.Text.Json.Nodes;
using Enrollment.Allocation.Contracts;
using Enrollment.Allocation.Engine;
using Enrollment.Allocation.Features;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Registry;
using Enrollment.Notifications.Features.Delivery;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Reporting.Contracts;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Season;

/// <summary>The real host with every module (no fakes), on a fake clock that starts on the second day of Stage One.</summary>
public sealed class SeasonFactory : EnrollmentFactory
{
    public FakeClock Clock { get; } = new(ApplicationsFactory.StageOneNoon);

    /// <summary>Every log line at Information and above (Security's end-to-end log scan reads it).</summary>
    public Enrollment.Host.Tests.Security.LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:AccessTokenLifetime", "400.00:00:00");
        builder.UseSetting("RateLimits:SignInPerIp", "1000");
        builder.UseSetting("Logging:LogLevel:Default", "Information");
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<IClock>(Clock);
            s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
        });
    }

    public async Task<T> AskAsync<T>(IQuery<T> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query);
    }

    /// <summary>Runs a job's command the way its Hangfire job does (jobs are thin wrappers over these commands).</summary>
    public async Task<T> RunJobAsync<T>(ICommand<T> command)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command);
    }
}

/// <summary>
/// A whole season through GraphQL over HTTP, every module real: parents sign in, see their children and apply in Stage
/// One; the allocation run (after the equal-footing window) makes offers with explanations; one parent confirms and the
/// school enrolls the child, one lets the offer expire, one cancels; in Stage Two a parent applies outside the
/// micro-district and gets a seat; free seats stay consistent and nothing is overbooked; the parent sees the whole
/// history and the notifications were written to the outbox folder.
/// </summary>
public sealed class SeasonTests : IClassFixture<SeasonFactory>
{
    private readonly SeasonFactory _factory;
    private readonly HttpClient _client;

    public SeasonTests(SeasonFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    private static readonly DateTimeOffset AfterEqualFooting = new(2026, 4, 4, 6, 0, 0, TimeSpan.Zero); // 4 Apr 12:00 Bishkek
    private static readonly DateTimeOffset AfterDeadline = new(2026, 4, 11, 6, 0, 0, TimeSpan.Zero);

    private async Task<JsonNode> AsAsync(string token, string query, object? variables = null)
    {
        var (_, body) = await _client.PostAsync(query, variables, token);
        Assert.True(body["errors"] is null, body.Pretty());
        return body["data"]!;
    }

    private async Task<string> MinistryAsync() => await _client.LoginAsync("ministry", "Demo-Ministry-2026!");

    private async Task<JsonNode> ApplicationAsync(string token, string id) =>
        (await AsAsync(token, $"query($id: ID!) {{ application(id: $id) {{ {Families.Fields} }} }}", new { id }))["application"]!;

    private async Task<JsonNode> RunAsync(string ministry) =>
        (await AsAsync(ministry, "mutation { runAllocation(dryRun: false) { run { id status offers applications waitlisted } programs { programId approved enrolled heldAfter } } }"))["runAllocation"]!;

    private async Task AssertNothingOverbookedAsync()
    {
        var programs = (await AsAsync(await MinistryAsync(), "{ programs { schoolCode language approvedSeats enrolled heldOffers freeSeats } }"))["programs"]!.AsArray();
        Assert.NotEmpty(programs);
        foreach (var p in programs)
        {
            var approved = p!["approvedSeats"]!.GetValue<int>();
            var enrolled = p["enrolled"]!.GetValue<int>();
            var held = p["heldOffers"]!.GetValue<int>();
            Assert.True(enrolled + held <= approved, p.ToJsonString());
            Assert.Equal(approved - enrolled - held, p["freeSeats"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Stage_one_to_stage_two_season_through_the_api()
    {
        var families = Families.Eligible.Take(4).ToList();
        Assert.Equal(4, families.Count);
        var (confirmer, expirer, canceller, stageTwo) = (families[0], families[1], families[2], families[3]);

        // Stage One, day 2: three parents see their child and apply for a program of their micro-district school.
        var tokens = new Dictionary<Family, string>();
        var ids = new Dictionary<Family, string>();
        foreach (var family in new[] { confirmer, expirer, canceller })
        {
            var (token, application) = await _client.SubmitAsync(family);
            var children = (await AsAsync(token, "{ myChildren { pin } }"))["myChildren"]!.AsArray().Select(c => c!["pin"]!.GetValue<string>());
            Assert.Contains(family.ChildPin, children);
            Assert.Equal("SUBMITTED", application.Status());
            tokens[family] = token;
            ids[family] = application.Id();
        }

        // After the equal-footing window: the ministry's run makes an offer to each (the demo schools have room).
        _factory.Clock.Set(AfterEqualFooting);
        var ministry = await MinistryAsync();
        var run = await RunAsync(ministry);
        Assert.Equal("Completed", run["run"]!["status"]!.GetValue<string>());
        Assert.Equal(3, run["run"]!["offers"]!.GetValue<int>());
        foreach (var family in new[] { confirmer, expirer, canceller })
        {
            var application = await ApplicationAsync(tokens[family], ids[family]);
            Assert.Equal("OFFERED", application.Status());
            var explanation = (await AsAsync(tokens[family],
                "query($id: ID!) { explanation(applicationId: $id) { assigned { schoolCode language } choices { rank outcome priorityClass admittedRank } } }",
                new { id = ids[family] }))["explanation"]!;
            Assert.Equal(application["offerSchoolCode"]!.GetValue<string>(), explanation["assigned"]!["schoolCode"]!.GetValue<string>());
            var first = explanation["choices"]!.AsArray()[0]!;
            Assert.Equal("Admitted", first["outcome"]!.GetValue<string>());
            Assert.Equal(1, first["priorityClass"]!.GetValue<int>()); // resident of the school's micro-district
        }

        // Another family cannot read these applications or their explanations.
        var (_, foreign) = await _client.PostAsync("query($id: ID!) { explanation(applicationId: $id) { runId } }", new { id = ids[confirmer] }, tokens[expirer]);
        Assert.NotNull(foreign["errors"]);
        Assert.Null(foreign["data"]?["explanation"]);

        await AssertNothingOverbookedAsync();

        // The confirmer confirms; the canceller cancels (the seat is released); the expirer does nothing.
        var confirmed = (await AsAsync(tokens[confirmer], $"mutation($id: ID!) {{ confirmOffer(applicationId: $id) {{ {Families.Fields} }} }}", new { id = ids[confirmer] }))["confirmOffer"]!;
        Assert.Equal("CONFIRMED", confirmed.Status());
        var cancelled = (await AsAsync(tokens[canceller], $"mutation($id: ID!) {{ cancelApplication(applicationId: $id) {{ {Families.Fields} }} }}", new { id = ids[canceller] }))["cancelApplication"]!;
        Assert.Equal("CANCELLED", cancelled.Status());

        // The school enrolls the confirmed child by its enrollment order.
        var school = confirmed["offerSchoolCode"]!.GetValue<string>();
        var enrolled = (await AsAsync(ministry,
            "mutation($s: String!, $ids: [ID!]!) { enrollChildren(schoolCode: $s, orderNumber: \"12-к\", orderDate: \"2026-04-06\", applicationIds: $ids) { id status } }",
            new { s = school, ids = new[] { ids[confirmer] } }))["enrollChildren"]!.AsArray();
        Assert.Equal("ENROLLED", Assert.Single(enrolled)!["status"]!.GetValue<string>());

        // Past the confirmation deadline the expiry job expires the unconfirmed offer.
        _factory.Clock.Set(AfterDeadline);
        Assert.Equal(1, await _factory.RunJobAsync(new ExpireOffers()));
        Assert.Equal("EXPIRED", (await ApplicationAsync(tokens[expirer], ids[expirer])).Status());
        await AssertNothingOverbookedAsync();

        // Stage Two: a parent applies to a program outside the micro-district and gets a seat in the next run.
        _factory.Clock.Set(ApplicationsFactory.StageTwoNoon);
        var token2 = await _client.SignUpAsync(stageTwo);
        var draft = await _client.DraftAsync(token2, stageTwo);
        var resident = draft["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()).ToHashSet();
        var elsewhere = (await _client.ProgramsAsync(null)).First(p => !resident.Contains(p.School));
        var (_, submitted) = await _client.PostAsync(Families.Submit, Families.SubmitInput(stageTwo, [elsewhere]), token2);
        Assert.True(submitted["errors"] is null, submitted.Pretty());
        var stageTwoId = submitted["data"]!["submitApplication"]!.Id();
        _factory.Clock.Set(ApplicationsFactory.StageTwoNoon.AddDays(4));
        var run2 = await RunAsync(ministry);
        Assert.Equal("Completed", run2["run"]!["status"]!.GetValue<string>());
        var offered = await ApplicationAsync(token2, stageTwoId);
        Assert.Equal("OFFERED", offered.Status());
        Assert.Equal(elsewhere.School, offered["offerSchoolCode"]!.GetValue<string>());
        await AssertNothingOverbookedAsync();

        // An auditor re-runs the published Stage Two run from its exported instance and gets the same result, byte for byte.
        var runId = run2["run"]!["id"]!.GetValue<string>();
        var export = await AsAsync(ministry, "query($id: ID!) { i: allocationRunExport(id: $id, kind: INSTANCE) r: allocationRunExport(id: $id, kind: RESULT) }", new { id = runId });
        var instance = AllocationJson.ReadInstance(export["i"]!.GetValue<string>());
        Assert.Equal(export["r"]!.GetValue<string>(), System.Text.Encoding.UTF8.GetString(AllocationJson.ResultToUtf8(DeferredAcceptance.Run(instance))));

        // The enrolled child's parent sees the whole history, in order.
        var history = (await ApplicationAsync(tokens[confirmer], ids[confirmer]))["history"]!.AsArray()
            .Select(h => h!["to"]!.GetValue<string>()).ToList();
        Assert.Equal(["DRAFT", "SUBMITTED", "OFFERED", "CONFIRMED", "ENROLLED"], history.SkipWhile(s => s != "DRAFT").ToList());

        // The outbox job delivers the notifications; the files exist and the parent can list them.
        await _factory.RunJobAsync(new DeliverNotifications());
        var kinds = (await AsAsync(tokens[confirmer], "query($id: ID!) { notifications(applicationId: $id) { kind status } }", new { id = ids[confirmer] }))["notifications"]!
            .AsArray().Where(n => n!["status"]!.GetValue<string>() == "SENT").Select(n => n!["kind"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "SUBMITTED", "OFFER_MADE", "ENROLLED" }, kinds);
        var expiredKinds = (await AsAsync(tokens[expirer], "query($id: ID!) { notifications(applicationId: $id) { kind } }", new { id = ids[expirer] }))["notifications"]!
            .AsArray().Select(n => n!["kind"]!.GetValue<string>()).ToHashSet();
        Assert.Contains("EXPIRED", expiredKinds);
        var files = Directory.GetFiles(Path.Combine(_factory.DataDirectory, "outbox"));
        Assert.True(files.Length >= 8, $"{files.Length} outbox files");

        // Reporting's numbers agree with the modules that own them, and a rebuild from their Contracts changes nothing.
        // Every open-data table and progress report agrees with counts from the owning modules' Contracts; the rebuild
        // from those Contracts leaves every table identical.
        var reports = new ReportingAgreement(_factory);
        var before = await reports.AssertAgreesAsync(minimumApplications: 4);
        await AssertReportingAgreesAsync(enrolledApplicationId: ids[confirmer], enrolledSchool: school);
        await _factory.RunJobAsync(new RebuildReadModels());
        Assert.Equal(before, await reports.AssertAgreesAsync(minimumApplications: 4));
        await AssertReportingAgreesAsync(enrolledApplicationId: ids[confirmer], enrolledSchool: school);
    }

    private async Task AssertReportingAgreesAsync(string enrolledApplicationId, string enrolledSchool)
    {
        var campaign = (await _factory.AskAsync(new GetCurrentCampaign()))!;
        var seats = await _factory.AskAsync(new GetProgramSeats(campaign.Id));
        var national = await _factory.AskAsync(new GetOpenDataSeats(AreaLevel.National));
        Assert.Equal(seats.Sum(s => s.ApprovedSeats), national.Sum(r => r.ApprovedSeats));
        Assert.Equal(seats.Sum(s => s.HeldOffers), national.Sum(r => r.Offers));
        Assert.Equal(seats.Sum(s => s.Enrolled), national.Sum(r => r.Enrolled));
        Assert.Equal(seats.Sum(s => s.FreeSeats), national.Sum(r => r.FreeSeats));
        Assert.Equal((await _factory.AskAsync(new GetEnrolledCounts(campaign.Id))).Sum(e => e.Enrolled), national.Sum(r => r.Enrolled));
        Assert.Equal(1, national.Sum(r => r.Enrolled));

        var facts = (await _factory.AskAsync(new GetApplicationFacts(campaign.Id))).Where(f => f.Status != ApplicationStatus.Draft).ToList();
        var open = await _factory.AskAsync(new GetOpenDataApplications(AreaLevel.National));
        Assert.Equal(facts.Count, open.Sum(r => r.Applications));
        var expected = string.Join(", ", facts.GroupBy(f => f.Status.ToString()).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"));
        var actual = string.Join(", ", open.GroupBy(r => r.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Sum(r => r.Applications)}"));
        Assert.Equal(expected, actual);

        var journal = await _factory.AskAsync(new GetEnrolledChildrenForJournal(campaign.Id, enrolledSchool));
        Assert.Equal(enrolledApplicationId, Assert.Single(journal).ApplicationId.ToString());
    }
}
