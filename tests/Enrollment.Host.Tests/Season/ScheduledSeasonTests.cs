extern alias allocate;

using System.Text;
using System.Text.Json.Nodes;
using allocate::Enrollment.Allocate;
using Enrollment.Allocation.Contracts;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Host.Tests.Registry;
using Enrollment.Quotas.Contracts;

namespace Enrollment.Host.Tests.Season;

/// <summary>
/// A Stage One → Stage Two season driven by the scheduled jobs on the fake clock (no manual runs): the stage watch notices
/// each stage opening and schedules its first run for the end of the equal-footing window; the first run fires exactly
/// then, later runs nightly at 02:00 Asia/Bishkek, the expiry job expires unconfirmed offers. With two choices per child and
/// one seat per program, a child waitlisted at the first choice and holding the second moves up when the first choice's
/// seat is freed, and the seat it gives up goes to the next child in the same run. After every step, for every program,
/// enrolled + held offers ≤ approved seats; the moved-up run, exported, gives the same result bytes through the CLI.
/// </summary>
public sealed class ScheduledSeasonTests : IClassFixture<SeasonFactory>
{
    private readonly SeasonFactory _factory;
    private readonly HttpClient _client;
    private readonly HangfireOnFakeClock _jobs;

    public ScheduledSeasonTests(SeasonFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
        _jobs = new HangfireOnFakeClock(factory);
    }

    private const string RunFields = "id trigger startedAt status offers movedUp waitlisted";

    private async Task<JsonNode> AsAsync(string token, string query, object? variables = null)
    {
        var (_, body) = await _client.PostAsync(query, variables, token);
        Assert.True(body["errors"] is null, body.Pretty());
        return body["data"]!;
    }

    private async Task<JsonNode> ApplicationAsync(string token, string id) =>
        (await AsAsync(token, $"query($id: ID!) {{ application(id: $id) {{ {Families.Fields} }} }}", new { id }))["application"]!;

    private async Task<List<JsonNode>> RunsAsync(string ministry) =>
        [.. (await AsAsync(ministry, $"{{ allocationRuns {{ {RunFields} }} }}"))["allocationRuns"]!.AsArray().Select(r => r!)
            .OrderBy(r => r["startedAt"]!.GetValue<DateTimeOffset>())];

    /// <summary>For every program: enrolled + held offers ≤ approved seats, as the public list and Allocation's Contracts count them.</summary>
    private async Task AssertNothingOverbookedAsync(string step)
    {
        var programs = (await AsAsync(await MinistryAsync(), "{ programs { schoolCode language approvedSeats enrolled heldOffers freeSeats } }"))["programs"]!.AsArray();
        Assert.NotEmpty(programs);
        foreach (var p in programs)
        {
            var (approved, enrolled, held) = (p!["approvedSeats"]!.GetValue<int>(), p["enrolled"]!.GetValue<int>(), p["heldOffers"]!.GetValue<int>());
            Assert.True(enrolled + held <= approved, $"{step}: {p.ToJsonString()}");
            Assert.Equal(approved - enrolled - held, p["freeSeats"]!.GetValue<int>());
        }

        foreach (var seats in await _factory.AskAsync(new GetProgramSeats()))
        {
            Assert.True(seats.Enrolled + seats.HeldOffers <= seats.ApprovedSeats, $"{step}: {seats}");
        }
    }

    /// <summary>The one element that matches, or a failure that shows them all.</summary>
    private static T One<T>(IEnumerable<T> source, Func<T, bool> match, string context = "")
    {
        var all = source.ToList();
        var found = all.Where(match).ToList();
        Assert.True(found.Count == 1, $"{found.Count} of {all.Count} match: {string.Join(" | ", all.Select(x => x is JsonNode n ? n.ToJsonString() : x?.ToString()))} {context}");
        return found[0];
    }

    private async Task<string> MinistryAsync() => await _client.LoginAsync("ministry", "Demo-Ministry-2026!");

    private static DateTimeOffset NextBishkekTwoAm(DateTimeOffset after)
    {
        var local = Bishkek.ToLocal(after);
        var day = local.TimeOfDay < TimeSpan.FromHours(2) ? local.Date : local.Date.AddDays(1);
        return Bishkek.ToUtc(day.AddHours(2));
    }

    [Fact]
    public async Task Scheduled_runs_move_a_waitlisted_child_up_and_reuse_the_released_seat_without_overbooking()
    {
        var ministry = await MinistryAsync();

        // Stage One is open (day 2): the stage watch notices and schedules the stage's first run for the end of equal footing.
        await _jobs.AdvanceToAsync(_factory.Clock.UtcNow.AddMinutes(1));
        var schedule = (await _factory.AskAsync(new GetAllocationSchedule()))!;
        Assert.Equal(Bishkek.ToUtc(new DateTime(2026, 4, 4, 10, 0, 0)), schedule.StageOneFirstRunAt);
        Assert.Contains(_jobs.Scheduled(), j => j.Method == "StageOpeningAsync" && j.EnqueueAt == schedule.StageOneFirstRunAt);

        // The ministry allows two choices per child (settings are locked from Stage One on: an audited override).
        var campaign = (await _factory.AskAsync(new GetCurrentCampaign()))!;
        var settings = new
        {
            name = campaign.Name, startYear = campaign.StartYear, calendar = campaign.Calendar, maxChoices = 2, tieBreak = campaign.TieBreak,
            lotterySeed = campaign.LotterySeed, equalFootingHours = campaign.EqualFootingHours, offerConfirmDays = campaign.OfferConfirmDays,
            cancellationLimit = campaign.CancellationLimit, correctionDays = campaign.CorrectionDays, appealDays = campaign.AppealDays,
            classSizeLimit = campaign.ClassSizeLimit, eligibleBirthFrom = campaign.EligibleBirthFrom, eligibleBirthTo = campaign.EligibleBirthTo,
            ageLimitYears = campaign.AgeLimitYears,
        };
        var updated = await AsAsync(ministry, "mutation($id: ID!, $s: CampaignSettingsInput!) { updateCampaign(campaignId: $id, settings: $s, overrideReason: \"Two choices per child\") { maxChoices } }",
            new { id = campaign.Id, s = settings });
        Assert.Equal(2, updated["updateCampaign"]!["maxChoices"]!.GetValue<int>());

        // Stage One: two parents apply at their micro-district school; the second claims a priority category, which is verified.
        var families = Families.Eligible.Take(5).ToList();
        Assert.Equal(5, families.Count);
        var stageOne = new List<(Family Family, string Token, string Id)>();
        foreach (var family in families.Take(2))
        {
            var (token, application) = await _client.SubmitAsync(family, priority: stageOne.Count == 1 ? "Disability" : null);
            stageOne.Add((family, token, application.Id()));
        }

        var verified = await AsAsync(ministry, "mutation($id: ID!) { verifyPriority(applicationId: $id, verified: true) { priorityStatus } }", new { id = stageOne[1].Id });
        Assert.Equal("VERIFIED", verified["verifyPriority"]!["priorityStatus"]!.GetValue<string>());

        // One minute before the end of equal footing nothing has run (nightly runs before it are skipped); then the first run fires.
        await _jobs.AdvanceToAsync(schedule.StageOneFirstRunAt.AddMinutes(-1));
        Assert.Empty(await RunsAsync(ministry));
        await _jobs.AdvanceToAsync(schedule.StageOneFirstRunAt);
        var first = Assert.Single(await RunsAsync(ministry));
        Assert.Equal(("StageOpening", "Completed", 2), (first["trigger"]!.GetValue<string>(), first["status"]!.GetValue<string>(), first["offers"]!.GetValue<int>()));
        Assert.Equal(schedule.StageOneFirstRunAt, first["startedAt"]!.GetValue<DateTimeOffset>());
        await AssertNothingOverbookedAsync("first run");

        // The first parent confirms and the school enrolls; the second lets the offer lapse.
        var (confirmer, lapser) = (stageOne[0], stageOne[1]);
        var confirmed = (await AsAsync(confirmer.Token, $"mutation($id: ID!) {{ confirmOffer(applicationId: $id) {{ {Families.Fields} }} }}", new { id = confirmer.Id }))["confirmOffer"]!;
        Assert.Equal("CONFIRMED", confirmed.Status());
        var enrolled = (await AsAsync(ministry,
            "mutation($s: String!, $ids: [ID!]!) { enrollChildren(schoolCode: $s, orderNumber: \"7-к\", orderDate: \"2026-04-04\", applicationIds: $ids) { status } }",
            new { s = confirmed["offerSchoolCode"]!.GetValue<string>(), ids = new[] { confirmer.Id } }))["enrollChildren"]!.AsArray();
        Assert.Equal("ENROLLED", Assert.Single(enrolled)!["status"]!.GetValue<string>());
        await AssertNothingOverbookedAsync("enrollment");

        // The nightly run: not at 01:59 Asia/Bishkek, at 02:00.
        var nightly = NextBishkekTwoAm(schedule.StageOneFirstRunAt);
        Assert.Equal(new DateTimeOffset(2026, 4, 4, 20, 0, 0, TimeSpan.Zero), nightly);
        await _jobs.AdvanceToAsync(nightly.AddMinutes(-1));
        Assert.Single(await RunsAsync(ministry));
        await _jobs.AdvanceToAsync(nightly);
        var second = (await RunsAsync(ministry))[^1];
        Assert.Equal(("Nightly", 0), (second["trigger"]!.GetValue<string>(), second["offers"]!.GetValue<int>()));
        Assert.Equal(nightly, second["startedAt"]!.GetValue<DateTimeOffset>());
        await AssertNothingOverbookedAsync("nightly run");

        // The expiry job (every 15 minutes) expires the lapsed offer once its deadline has passed, not before.
        var confirmBy = (await _factory.AskAsync(new GetOffers([Guid.Parse(lapser.Id)]))).Single().ConfirmBy;
        await _jobs.AdvanceToAsync(confirmBy.AddMinutes(-1));
        Assert.Equal("OFFERED", (await ApplicationAsync(lapser.Token, lapser.Id)).Status());
        await _jobs.AdvanceToAsync(confirmBy.AddMinutes(15));
        var lapsed = await ApplicationAsync(lapser.Token, lapser.Id);
        Assert.Equal("EXPIRED", lapsed.Status());
        Assert.Equal("system:allocation", lapsed["history"]!.AsArray()[^1]!["actor"]!.GetValue<string>());
        await AssertNothingOverbookedAsync("expiry");

        // Stage Two opens: the stage watch schedules its first run.
        await _jobs.AdvanceToAsync(campaign.Calendar.StageTwoOpensAt.AddMinutes(1));
        Assert.Contains(_jobs.Scheduled(), j => j.Method == "StageOpeningAsync" && j.EnqueueAt == schedule.StageTwoFirstRunAt);
        var runsBeforeStageTwo = (await RunsAsync(ministry)).Count;

        // Three parents apply for the same two programs, elsewhere than where any of them lives; each program gets one seat.
        var rivals = new List<(Family Family, string Token, string Id)>();
        var tokens = new List<(Family Family, string Token, HashSet<string> Resident)>();
        foreach (var family in families.Skip(2))
        {
            var token = await _client.SignUpAsync(family);
            var draft = await _client.DraftAsync(token, family);
            tokens.Add((family, token, draft["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()).ToHashSet()));
        }

        var busy = tokens.SelectMany(t => t.Resident).Append(confirmed["offerSchoolCode"]!.GetValue<string>()).ToHashSet();
        var elsewhere = (await _client.ProgramsAsync(null)).Where(p => !busy.Contains(p.School)).ToList();
        var a = elsewhere[0];
        var b = elsewhere.First(p => p.School != a.School); // two schools: an offer is told apart by its school
        List<(string School, string Language)> programs = [a, b];
        foreach (var (school, language) in programs)
        {
            var quota = (await AsAsync(ministry, "mutation($s: String!, $l: String!) { saveQuota(schoolCode: $s, language: $l, classes: 1, seats: 1, reason: \"Scheduled season test\") { id status } }",
                new { s = school, l = language }))["saveQuota"]!;
            Assert.Equal("CHANGE_REQUESTED", quota["status"]!.GetValue<string>());
            await AsAsync(ministry, "mutation($ids: [ID!]!) { approveQuotas(quotaIds: $ids) { id } }", new { ids = new[] { quota["id"]!.GetValue<string>() } });
        }

        var seats = await _factory.AskAsync(new GetProgramSeats(SchoolCodes: [a.School, b.School]));
        Assert.All(programs, p => Assert.Equal(1, One(seats, s => s.SchoolCode == p.School && s.Language == p.Language).ApprovedSeats));
        foreach (var (family, token, _) in tokens)
        {
            var (_, body) = await _client.PostAsync(Families.Submit, Families.SubmitInput(family, [a, b]), token);
            Assert.True(body["errors"] is null, body.Pretty());
            rivals.Add((family, token, body["data"]!["submitApplication"]!.Id()));
        }

        // Stage Two's first run fires at the end of its equal-footing window, not before: one child gets A, one B, one waits.
        await _jobs.AdvanceToAsync(schedule.StageTwoFirstRunAt.AddMinutes(-1));
        Assert.Equal(runsBeforeStageTwo, (await RunsAsync(ministry)).Count);
        await _jobs.AdvanceToAsync(schedule.StageTwoFirstRunAt);
        var stageTwoRun = (await RunsAsync(ministry))[^1];
        Assert.Equal(("StageOpening", 2), (stageTwoRun["trigger"]!.GetValue<string>(), stageTwoRun["offers"]!.GetValue<int>()));
        Assert.Equal(schedule.StageTwoFirstRunAt, stageTwoRun["startedAt"]!.GetValue<DateTimeOffset>());
        await AssertNothingOverbookedAsync("stage two first run");

        var states = new Dictionary<string, JsonNode>();
        foreach (var rival in rivals)
        {
            states[rival.Id] = await ApplicationAsync(rival.Token, rival.Id);
        }

        string? Offer(JsonNode application) => application["offerSchoolCode"]?.GetValue<string>();
        var summary = $"A={a} B={b}: " + string.Join("; ", rivals.Select(r => $"{r.Id} {states[r.Id].Status()} {Offer(states[r.Id])}"));
        var winner = One(rivals, r => states[r.Id].Status() == "OFFERED" && Offer(states[r.Id]) == a.School, summary);
        var second2 = One(rivals, r => states[r.Id].Status() == "OFFERED" && Offer(states[r.Id]) == b.School, summary);
        var waiting = One(rivals, r => r != winner && r != second2);
        Assert.Equal("WAITLISTED", states[waiting.Id].Status());

        // The child holding B was not admitted at A (full, first on its waitlist).
        var explanation = (await AsAsync(second2.Token,
            "query($id: ID!) { explanation(applicationId: $id) { assigned { schoolCode } choices { rank outcome waitlistPosition } } }",
            new { id = second2.Id }))["explanation"]!;
        Assert.Equal(b.School, explanation["assigned"]!["schoolCode"]!.GetValue<string>());
        var atA = One(explanation["choices"]!.AsArray(), c => c!["rank"]!.GetValue<int>() == 1)!;
        Assert.Equal(("NotAdmitted", 1), (atA["outcome"]!.GetValue<string>(), atA["waitlistPosition"]!.GetValue<int>()));

        // The child holding A cancels; at 02:00 the nightly run moves the child up from B to A and gives B to the waiting child.
        var cancelled = (await AsAsync(winner.Token, $"mutation($id: ID!) {{ cancelApplication(applicationId: $id) {{ {Families.Fields} }} }}", new { id = winner.Id }))["cancelApplication"]!;
        Assert.Equal("CANCELLED", cancelled.Status());
        await AssertNothingOverbookedAsync("cancellation");
        var stageTwoNightly = NextBishkekTwoAm(schedule.StageTwoFirstRunAt);
        await _jobs.AdvanceToAsync(stageTwoNightly);
        var moveRun = (await RunsAsync(ministry))[^1];
        Assert.Equal(("Nightly", 2, 1), (moveRun["trigger"]!.GetValue<string>(), moveRun["offers"]!.GetValue<int>(), moveRun["movedUp"]!.GetValue<int>()));
        Assert.Equal(stageTwoNightly, moveRun["startedAt"]!.GetValue<DateTimeOffset>());
        await AssertNothingOverbookedAsync("move-up run");

        var movedUp = await ApplicationAsync(second2.Token, second2.Id);
        Assert.Equal(("OFFERED", a.School), (movedUp.Status(), Offer(movedUp)));
        Assert.StartsWith("OFFER_MOVED_UP", movedUp["history"]!.AsArray()[^1]!["reason"]!.GetValue<string>());
        var filled = await ApplicationAsync(waiting.Token, waiting.Id);
        Assert.Equal(("OFFERED", b.School), (filled.Status(), Offer(filled)));
        var moveRunId = Guid.Parse(moveRun["id"]!.GetValue<string>());
        var offers = await _factory.AskAsync(new GetOffers([Guid.Parse(second2.Id), Guid.Parse(waiting.Id)]));
        Assert.All(offers, o => Assert.Equal((moveRunId, OfferStatus.Offered), (o.RunId, o.Status)));

        // OffersChanged reached the notifications: the moved-up parent is told.
        var kinds = (await AsAsync(second2.Token, "query($id: ID!) { notifications(applicationId: $id) { kind } }", new { id = second2.Id }))["notifications"]!
            .AsArray().Select(n => n!["kind"]!.GetValue<string>()).ToHashSet();
        Assert.Contains("OFFER_MOVED_UP", kinds);

        // An auditor re-runs the moved-up run from its export with the command-line tool: the same result, byte for byte.
        var export = await AsAsync(ministry, "query($id: ID!) { i: allocationRunExport(id: $id, kind: INSTANCE) r: allocationRunExport(id: $id, kind: RESULT) }",
            new { id = moveRunId });
        var directory = Directory.CreateTempSubdirectory("season-cli-").FullName;
        try
        {
            var instance = Path.Combine(directory, "instance.json");
            var result = Path.Combine(directory, "result.json");
            await File.WriteAllTextAsync(instance, export["i"]!.GetValue<string>());
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Assert.Equal(0, AllocateCommand.Run([instance, result], stdout, stderr));
            Assert.Equal("", stdout.ToString());
            Assert.Equal(Encoding.UTF8.GetBytes(export["r"]!.GetValue<string>()), await File.ReadAllBytesAsync(result));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        // Reporting agrees with the owning modules after this season too (waitlisted, moved-up, expired, cancelled), before and after a rebuild.
        var reports = new ReportingAgreement(_factory);
        var before = await reports.AssertAgreesAsync(minimumApplications: 5, privileged: 1);
        await _factory.RunJobAsync(new Enrollment.Reporting.Contracts.RebuildReadModels());
        Assert.Equal(before, await reports.AssertAgreesAsync(minimumApplications: 5, privileged: 1));
    }
}
