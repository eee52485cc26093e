using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Enrollment.Host.Tests.GraphQL;

/// <summary>Each module's root fields answer with the tiny demo seed (expected values come from the generator).</summary>
[Collection(HostCollection.Name)]
public sealed class ModuleFieldsTests(EnrollmentFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<JsonNode> DataAsync(string query, object? variables = null, string? bearer = null)
    {
        var reply = await _client.QueryAsync(query, variables, bearer);
        Assert.True(reply.Status == HttpStatusCode.OK && reply.Json["errors"] is null, reply.Text);
        return reply.Json["data"]!;
    }

    private static string[] Strings(JsonNode? array, string member) =>
        [.. array!.AsArray().Select(n => n![member]!.GetValue<string>())];

    private static DateTimeOffset Instant(JsonNode? node) =>
        DateTimeOffset.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task Regions_are_the_seeded_regions()
    {
        var data = await DataAsync("{ regions { code nameKy nameRu isCity } }");

        var regions = data["regions"]!.AsArray();
        Assert.Equal(Tiny.Data.Regions.Select(r => r.Code), Strings(regions, "code"));
        foreach (var expected in Tiny.Data.Regions)
        {
            var region = regions.Single(r => r!["code"]!.GetValue<string>() == expected.Code)!;
            Assert.Equal(expected.NameKy, region["nameKy"]!.GetValue<string>());
            Assert.Equal(expected.NameRu, region["nameRu"]!.GetValue<string>());
            Assert.Equal(expected.IsCity, region["isCity"]!.GetValue<bool>());
        }
    }

    [Fact]
    public async Task Districts_filter_by_region()
    {
        var region = Tiny.Data.Regions[0].Code;

        var all = await DataAsync("{ districts { code regionCode nameRu } }");
        var ofRegion = await DataAsync("query($r: String) { districts(regionCode: $r) { code regionCode } }", new { r = region });
        var ofUnknown = await DataAsync("""{ districts(regionCode: "R99") { code } }""");

        Assert.Equal(Tiny.Data.Districts.Select(d => d.Code).Order(StringComparer.Ordinal),
            Strings(all["districts"], "code").Order(StringComparer.Ordinal));
        Assert.Equal(Tiny.Data.Districts.Where(d => d.RegionCode == region).Select(d => d.Code).Order(StringComparer.Ordinal),
            Strings(ofRegion["districts"], "code").Order(StringComparer.Ordinal));
        Assert.All(ofRegion["districts"]!.AsArray(), d => Assert.Equal(region, d!["regionCode"]!.GetValue<string>()));
        Assert.Empty(ofUnknown["districts"]!.AsArray());
    }

    [Fact]
    public async Task Schools_page_through_every_school_with_cursors()
    {
        const string query = """
            query($after: String) { schools(first: 3, after: $after) { totalCount endCursor hasNextPage nodes { code } } }
            """;
        var codes = new List<string>();
        string? after = null;
        var pages = 0;
        while (true)
        {
            var page = (await DataAsync(query, new { after }))["schools"]!;
            Assert.Equal(Tiny.Data.Schools.Count, page["totalCount"]!.GetValue<int>());
            var nodes = Strings(page["nodes"], "code");
            Assert.InRange(nodes.Length, 1, 3);
            codes.AddRange(nodes);
            pages++;
            if (!page["hasNextPage"]!.GetValue<bool>())
            {
                break;
            }

            after = page["endCursor"]!.GetValue<string>();
            Assert.True(pages < 100, "the cursor does not advance");
        }

        Assert.Equal(Tiny.Data.Schools.Select(s => s.Code).Order(StringComparer.Ordinal), codes);
        Assert.Equal((Tiny.Data.Schools.Count + 2) / 3, pages);
    }

    [Fact]
    public async Task Schools_past_the_end_is_an_empty_last_page()
    {
        var first = (await DataAsync($"{{ schools(first: {Tiny.Data.Schools.Count}) {{ endCursor hasNextPage }} }}"))["schools"]!;
        Assert.False(first["hasNextPage"]!.GetValue<bool>());

        var after = (await DataAsync("query($a: String) { schools(after: $a) { nodes { code } endCursor hasNextPage } }",
            new { a = first["endCursor"]!.GetValue<string>() }))["schools"]!;

        Assert.Empty(after["nodes"]!.AsArray());
        Assert.Null(after["endCursor"]);
        Assert.False(after["hasNextPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Schools_filter_by_district_settlement_and_participation()
    {
        var district = Tiny.Data.Districts[^1].Code;
        var settlement = Tiny.Data.Schools[0].SettlementCode;
        const string query = """
            query($d: String, $s: String, $p: Boolean) {
              byDistrict: schools(districtCode: $d) { totalCount nodes { code districtCode } }
              bySettlement: schools(settlementCode: $s) { totalCount nodes { code settlementCode } }
              participating: schools(participates: $p) { totalCount nodes { code participatesInEnrollment } }
              notParticipating: schools(participates: false) { totalCount nodes { code nonParticipationReason } }
            }
            """;

        var data = await DataAsync(query, new { d = district, s = settlement, p = true });

        Assert.Equal(Codes(s => s.DistrictCode == district), Strings(data["byDistrict"]!["nodes"], "code"));
        Assert.Equal(Codes(s => s.SettlementCode == settlement), Strings(data["bySettlement"]!["nodes"], "code"));
        Assert.Equal(Codes(s => s.ParticipatesInEnrollment), Strings(data["participating"]!["nodes"], "code"));
        Assert.Equal(Codes(s => !s.ParticipatesInEnrollment), Strings(data["notParticipating"]!["nodes"], "code"));
        Assert.All(data["notParticipating"]!["nodes"]!.AsArray(), n => Assert.NotNull(n!["nonParticipationReason"]));
        Assert.Equal(Codes(s => !s.ParticipatesInEnrollment).Length, data["notParticipating"]!["totalCount"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("ky")]
    [InlineData("ru")]
    [InlineData("uz")]
    public async Task Schools_filter_by_language(string language)
    {
        var data = await DataAsync("query($l: String) { schools(language: $l) { totalCount nodes { code languages } } }", new { l = language });

        var expected = Codes(s => s.Languages.Contains(language));
        Assert.Equal(expected, Strings(data["schools"]!["nodes"], "code"));
        Assert.Equal(expected.Length, data["schools"]!["totalCount"]!.GetValue<int>());
        Assert.All(data["schools"]!["nodes"]!.AsArray(),
            n => Assert.Contains(language, n!["languages"]!.AsArray().Select(l => l!.GetValue<string>())));
    }

    [Fact]
    public async Task Schools_search_matches_names_and_codes()
    {
        // A word that some, but not all, school names contain.
        var term = Tiny.Data.Schools
            .SelectMany(s => s.NameRu.Split(' ', '.', '№', '"', '«', '»'))
            .Where(w => w.Length >= 5 && w.All(char.IsLetter))
            .Distinct(StringComparer.Ordinal)
            .First(w => Tiny.Data.Schools.Count(s => Matches(s, w)) is > 0 and var n && n < Tiny.Data.Schools.Count);
        var code = Tiny.Data.Schools[1].Code;
        const string query = "query($q: String) { schools(search: $q) { totalCount nodes { code } } }";

        var byName = await DataAsync(query, new { q = term });
        var byCode = await DataAsync(query, new { q = code });
        var none = await DataAsync(query, new { q = "Несуществующая" });

        Assert.Equal(Codes(s => Matches(s, term)), Strings(byName["schools"]!["nodes"], "code"));
        Assert.Equal([code], Strings(byCode["schools"]!["nodes"], "code"));
        Assert.Equal(0, none["schools"]!["totalCount"]!.GetValue<int>());

        static bool Matches(Enrollment.DemoData.DemoSchool s, string w) =>
            s.NameRu.Contains(w, StringComparison.Ordinal) || s.NameKy.Contains(w, StringComparison.Ordinal) || s.Code.Contains(w, StringComparison.Ordinal);
    }

    [Fact]
    public async Task School_by_code_returns_the_school_and_null_when_unknown()
    {
        var expected = Tiny.Data.Schools[0];
        const string query = """
            query($c: String!) { school(code: $c) { code districtCode settlementCode nameRu nameKy type languages participatesInEnrollment } }
            """;

        var found = (await DataAsync(query, new { c = expected.Code }))["school"]!;
        var unknown = await DataAsync(query, new { c = "S99999" });
        var overlong = await DataAsync(query, new { c = new string('S', 40) });

        Assert.Equal(expected.Code, found["code"]!.GetValue<string>());
        Assert.Equal(expected.DistrictCode, found["districtCode"]!.GetValue<string>());
        Assert.Equal(expected.SettlementCode, found["settlementCode"]!.GetValue<string>());
        Assert.Equal(expected.NameRu, found["nameRu"]!.GetValue<string>());
        Assert.Equal(expected.NameKy, found["nameKy"]!.GetValue<string>());
        Assert.Equal(expected.Type, found["type"]!.GetValue<string>());
        Assert.Equal(expected.Languages, found["languages"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(expected.ParticipatesInEnrollment, found["participatesInEnrollment"]!.GetValue<bool>());
        Assert.Null(unknown["school"]);
        Assert.Null(overlong["school"]);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("bzotMQ==")] // "o:-1"
    [InlineData("eDoz")] // "x:3"
    public async Task Schools_with_a_bad_cursor_is_BAD_CURSOR(string cursor)
    {
        var reply = await _client.QueryAsync("query($a: String) { schools(after: $a) { totalCount } }", new { a = cursor });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("BAD_CURSOR", reply.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(201)]
    [InlineData(1000)]
    public async Task Schools_first_outside_1_to_200_is_VALIDATION_FAILED(int first)
    {
        var reply = await _client.QueryAsync("query($f: Int) { schools(first: $f) { totalCount } }", new { f = first });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("VALIDATION_FAILED", reply.Code);
        Assert.Contains(reply.Json["errors"]![0]!["extensions"]!["fields"]!.AsArray(), f => f!["field"]!.GetValue<string>() == "first");
    }

    [Fact]
    public async Task Current_campaign_is_2026_27_with_the_bishkek_calendar()
    {
        var data = await DataAsync("""
            { currentCampaign { id name startYear maxChoices tieBreak eligibleBirthFrom eligibleBirthTo
                calendar { quotaEntryOpensAt quotaEntryClosesAt stageOneOpensAt stageTwoOpensAt mainClosesAt lateEnrollmentEndsAt } } }
            """);

        var campaign = data["currentCampaign"]!;
        Assert.Equal("2026/27", campaign["name"]!.GetValue<string>());
        Assert.Equal(2026, campaign["startYear"]!.GetValue<int>());
        Assert.Equal("2019-01-01", campaign["eligibleBirthFrom"]!.GetValue<string>());
        Assert.Equal("2020-12-31", campaign["eligibleBirthTo"]!.GetValue<string>());
        var calendar = campaign["calendar"]!;
        // 10:00 Asia/Bishkek (UTC+6) is 04:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 2, 27, 3, 0, 0, TimeSpan.Zero), Instant(calendar["quotaEntryOpensAt"]));
        Assert.Equal(new DateTimeOffset(2026, 3, 15, 18, 0, 0, TimeSpan.Zero), Instant(calendar["quotaEntryClosesAt"]));
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero), Instant(calendar["stageOneOpensAt"]));
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 4, 0, 0, TimeSpan.Zero), Instant(calendar["stageTwoOpensAt"]));
        Assert.Equal(new DateTimeOffset(2026, 8, 15, 18, 0, 0, TimeSpan.Zero), Instant(calendar["mainClosesAt"]));
        Assert.Equal(new DateTimeOffset(2026, 9, 30, 18, 0, 0, TimeSpan.Zero), Instant(calendar["lateEnrollmentEndsAt"]));
    }

    [Fact]
    public async Task Current_stage_follows_the_calendar_and_the_clock()
    {
        var before = DateTimeOffset.UtcNow;
        var data = await DataAsync("""
            { currentStage { campaignId campaignName stage nextChangeAt nextStage }
              currentCampaign { id calendar { quotaEntryOpensAt quotaEntryClosesAt stageOneOpensAt stageTwoOpensAt mainClosesAt lateEnrollmentEndsAt } } }
            """);
        var after = DateTimeOffset.UtcNow;

        var stage = data["currentStage"]!;
        var calendar = data["currentCampaign"]!["calendar"]!;
        Assert.Equal("2026/27", stage["campaignName"]!.GetValue<string>());
        Assert.Equal(data["currentCampaign"]!["id"]!.GetValue<string>(), stage["campaignId"]!.GetValue<string>());

        (string Member, string Stage)[] steps =
        [
            ("quotaEntryOpensAt", "QUOTA_ENTRY"), ("quotaEntryClosesAt", "BETWEEN_QUOTA_ENTRY_AND_STAGE_ONE"),
            ("stageOneOpensAt", "STAGE_ONE"), ("stageTwoOpensAt", "STAGE_TWO"), ("mainClosesAt", "LATE_ENROLLMENT"),
            ("lateEnrollmentEndsAt", "CLOSED"),
        ];
        var passed = steps.Where(s => Instant(calendar[s.Member]) <= before).ToList();
        Assert.All(steps, s => Assert.False(Instant(calendar[s.Member]) > before && Instant(calendar[s.Member]) <= after,
            "a stage changed during the request; run again"));
        var expectedStage = passed.Count == 0 ? "NOT_STARTED" : passed[^1].Stage;
        Assert.Equal(expectedStage, stage["stage"]!.GetValue<string>());
        if (passed.Count == steps.Length)
        {
            Assert.Null(stage["nextChangeAt"]);
            Assert.Null(stage["nextStage"]);
        }
        else
        {
            var next = steps[passed.Count];
            Assert.Equal(Instant(calendar[next.Member]), Instant(stage["nextChangeAt"]));
            Assert.Equal(next.Stage, stage["nextStage"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Allocation_schedule_runs_at_the_end_of_each_equal_footing_window()
    {
        var data = await DataAsync("""
            { allocationSchedule { campaignName equalFootingHours stageOneFirstRunAt stageTwoFirstRunAt nightlyRunLocalTime offerConfirmDays }
              currentCampaign { equalFootingHours offerConfirmDays calendar { stageOneOpensAt stageTwoOpensAt } } }
            """);

        var schedule = data["allocationSchedule"]!;
        var campaign = data["currentCampaign"]!;
        var window = TimeSpan.FromHours(campaign["equalFootingHours"]!.GetValue<int>());
        Assert.Equal("2026/27", schedule["campaignName"]!.GetValue<string>());
        Assert.Equal(campaign["equalFootingHours"]!.GetValue<int>(), schedule["equalFootingHours"]!.GetValue<int>());
        Assert.Equal(Instant(campaign["calendar"]!["stageOneOpensAt"]) + window, Instant(schedule["stageOneFirstRunAt"]));
        Assert.Equal(Instant(campaign["calendar"]!["stageTwoOpensAt"]) + window, Instant(schedule["stageTwoFirstRunAt"]));
        Assert.Equal("02:00", schedule["nightlyRunLocalTime"]!.GetValue<string>());
        Assert.Equal(campaign["offerConfirmDays"]!.GetValue<int>(), schedule["offerConfirmDays"]!.GetValue<int>());
    }

    [Fact]
    public async Task Allocation_runs_answer_the_ministry()
    {
        var token = await _client.LoginAsync("ministry", Tiny.Account("MinistryAdmin").Password);

        var data = await DataAsync("{ allocationRuns(take: 5) { id status startedAt } }", bearer: token);

        Assert.True(data["allocationRuns"]!.AsArray().Count <= 5);
    }

    [Fact]
    public async Task Open_data_regions_total_the_generator_counts()
    {
        var data = await DataAsync("{ openDataRegions { regionCode nameRu nameKy districts schools participatingSchools } }");

        var rows = data["openDataRegions"]!.AsArray();
        Assert.Equal(Tiny.Data.Regions.Select(r => r.Code).Order(StringComparer.Ordinal), Strings(rows, "regionCode"));
        var regionOfDistrict = Tiny.Data.Districts.ToDictionary(d => d.Code, d => d.RegionCode, StringComparer.Ordinal);
        foreach (var region in Tiny.Data.Regions)
        {
            var row = rows.Single(r => r!["regionCode"]!.GetValue<string>() == region.Code)!;
            var schools = Tiny.Data.Schools.Where(s => regionOfDistrict[s.DistrictCode] == region.Code).ToList();
            Assert.Equal(region.NameRu, row["nameRu"]!.GetValue<string>());
            Assert.Equal(Tiny.Data.Districts.Count(d => d.RegionCode == region.Code), row["districts"]!.GetValue<int>());
            Assert.Equal(schools.Count, row["schools"]!.GetValue<int>());
            Assert.Equal(schools.Count(s => s.ParticipatesInEnrollment), row["participatingSchools"]!.GetValue<int>());
        }

        Assert.Equal(Tiny.Data.Schools.Count, rows.Sum(r => r!["schools"]!.GetValue<int>()));
    }

    [Fact]
    public async Task My_children_are_the_parents_linked_children()
    {
        Assert.NotEmpty(Tiny.Parents);
        var persons = Tiny.Data.Persons.ToDictionary(p => p.Pin, StringComparer.Ordinal);
        foreach (var parent in Tiny.Parents)
        {
            var token = await _client.LoginAsync(parent.UserName, parent.Password);

            var data = await DataAsync("{ myChildren { pin lastName firstName patronymic sex birthDate relation } }", bearer: token);

            var expected = Tiny.Data.ParentLinks.Where(l => l.ParentPin == parent.Pin)
                .Select(l => (Link: l, Child: persons[l.ChildPin]))
                .OrderBy(x => x.Child.BirthDate).ThenBy(x => x.Child.Pin, StringComparer.Ordinal)
                .ToList();
            var children = data["myChildren"]!.AsArray();
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Select(x => x.Child.Pin), Strings(children, "pin"));
            foreach (var (link, child) in expected)
            {
                var node = children.Single(c => c!["pin"]!.GetValue<string>() == child.Pin)!;
                Assert.Equal(child.LastName, node["lastName"]!.GetValue<string>());
                Assert.Equal(child.FirstName, node["firstName"]!.GetValue<string>());
                Assert.Equal(child.Patronymic, node["patronymic"]?.GetValue<string>());
                Assert.Equal(child.Sex.ToString(), node["sex"]!.GetValue<string>());
                Assert.Equal(child.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), node["birthDate"]!.GetValue<string>());
                Assert.Equal(link.Relation, node["relation"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task My_children_of_staff_without_a_pin_is_refused_for_the_role()
    {
        var token = await _client.LoginAsync("district", Tiny.Account("DistrictOfficer").Password);

        var reply = await _client.QueryAsync("{ myChildren { pin } }", bearer: token);

        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal("ACCESS_DENIED", reply.Code);
    }

    private static string[] Codes(Func<Enrollment.DemoData.DemoSchool, bool> predicate) =>
        [.. Tiny.Data.Schools.Where(predicate).Select(s => s.Code).Order(StringComparer.Ordinal)];
}
