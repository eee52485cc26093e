using System.Net;
using Enrollment.Allocation.Contracts;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Registry;

public sealed class LateEnrollmentApplicationsFactory() : ApplicationsFactory(LateEnrollment);

/// <summary>
/// Late arrivals without an application (domain.md calendar step 5; ADR 0304): in LateEnrollment and Closed the school enrolls
/// a child found by PIN in the population registry on the parent's written application, directly in Enrolled, within free seats.
/// </summary>
public sealed class LateArrivalTests(LateEnrollmentApplicationsFactory factory) : IClassFixture<LateEnrollmentApplicationsFactory>
{
    private const string Enroll = """
        mutation($c: String!, $s: String!, $l: String!, $n: String!, $d: DateOnly!) {
          enrollLateArrival(childPin: $c, schoolCode: $s, language: $l, writtenApplicationNumber: $n, writtenApplicationDate: $d, note: "Family moved in September") {
            id status childPin applicantName relation enrolledSchoolCode enrolledLanguage writtenApplicationNumber writtenApplicationDate
            choices { schoolCode language } history { from to actor reason }
          }
        }
        """;

    private readonly HttpClient _api = factory.CreateClient();

    private static readonly Enrollment.DemoData.DemoAccount SchoolAccount = Tiny.Account("SchoolAdmin");

    private Task<string> SchoolAsync() => _api.LoginAsync(SchoolAccount.UserName, SchoolAccount.Password);

    private async Task<(string School, string Language)> ProgramAsync() => (await _api.ProgramsAsync([SchoolAccount.SchoolCode!])).First();

    private async Task<System.Text.Json.Nodes.JsonNode> EnrollAsync(string token, string childPin, string? school = null, string number = "12")
    {
        var program = await ProgramAsync();
        var (_, body) = await _api.PostAsync(Enroll, new { c = childPin, s = school ?? program.School, l = program.Language, n = number, d = "2026-08-19" }, token);
        return body;
    }

    [Fact]
    public async Task Late_arrival_without_application_is_enrolled_on_the_written_application_with_history()
    {
        var child = Families.Eligible[0].ChildPin;
        var token = await SchoolAsync();
        var program = await ProgramAsync();

        var body = await EnrollAsync(token, child, number: "W-17");

        Assert.True(body["errors"] is null, body.ToJsonString());
        var a = body["data"]!["enrollLateArrival"]!;
        Assert.Equal(("ENROLLED", child), (a["status"]!.GetValue<string>(), a["childPin"]!.GetValue<string>()));
        Assert.Equal((program.School, program.Language), (a["enrolledSchoolCode"]!.GetValue<string>(), a["enrolledLanguage"]!.GetValue<string>()));
        Assert.Equal(("W-17", "2026-08-19"), (a["writtenApplicationNumber"]!.GetValue<string>(), a["writtenApplicationDate"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(a["applicantName"]!.GetValue<string>()));
        var entry = Assert.Single(a["history"]!.AsArray())!;
        Assert.Null(entry["from"]);
        Assert.Equal(("ENROLLED", SchoolAccount.UserName), (entry["to"]!.GetValue<string>(), entry["actor"]!.GetValue<string>()));
        Assert.Contains("W-17", entry["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        var (_, audit) = await _api.PostAsync("query($u: String) { auditEntries(module: \"registry\", actorName: $u, first: 200) { entity reason } }",
            new { u = SchoolAccount.UserName }, await _api.LoginAsync("ministry", Tiny.Account("MinistryAdmin").Password));
        Assert.True(audit["errors"] is null, audit.ToJsonString());
        Assert.Contains(audit["data"]!["auditEntries"]!.AsArray(), n => n!["reason"]?.GetValue<string>()?.Contains("W-17", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Late_arrival_keeps_one_active_application_per_child()
    {
        var child = Families.Eligible[1].ChildPin;
        var token = await SchoolAsync();
        Assert.Null((await EnrollAsync(token, child))["errors"]);

        Assert.Equal("APPLICATION_EXISTS", (await EnrollAsync(token, child, number: "13")).ErrorCode());
    }

    [Fact]
    public async Task Late_arrival_is_refused_for_another_school_unknown_child_and_before_registration_closes()
    {
        var token = await SchoolAsync();
        var other = (await _api.ProgramsAsync(null)).First(p => p.School != SchoolAccount.SchoolCode).School;
        Assert.Equal("ACCESS_DENIED", (await EnrollAsync(token, Families.Eligible[2].ChildPin, school: other)).ErrorCode());
        Assert.Equal("NOT_IN_POPULATION_REGISTRY", (await EnrollAsync(token, "21507202000999")).ErrorCode());

        var start = factory.Clock.UtcNow;
        try
        {
            factory.Clock.Set(ApplicationsFactory.StageTwoNoon);
            var june = await SchoolAsync(); // a token issued "in the future" would not be accepted
            Assert.Equal("LATE_ENROLLMENT_NOT_OPEN", (await EnrollAsync(june, Families.Eligible[2].ChildPin)).ErrorCode());
        }
        finally
        {
            factory.Clock.Set(start);
        }

        var parent = await _api.SignUpAsync(Families.Eligible[3]);
        var (_, refused) = await _api.PostAsync(Enroll, new { c = Families.Eligible[3].ChildPin, s = SchoolAccount.SchoolCode, l = "ky", n = "1", d = "2026-08-19" }, parent);
        Assert.NotNull(refused["errors"]);
        Assert.Null(refused["data"]?["enrollLateArrival"]);
    }

    [Fact]
    public async Task Late_arrival_is_refused_when_the_program_has_no_free_seat()
    {
        var token = await SchoolAsync();
        var program = await ProgramAsync();
        var seats = (await factory.SendAsync(new GetProgramSeats(null, [program.School]))).Single(p => p.Language == program.Language && p.Grade == 1);
        var children = Families.Eligible.Skip(4).Select(f => f.ChildPin).ToList();
        Assert.True(children.Count > seats.FreeSeats, $"Tiny needs more than {seats.FreeSeats} spare eligible children for this test.");

        var enrolled = new List<string>();
        try
        {
            for (var i = 0; i < seats.FreeSeats; i++)
            {
                var body = await EnrollAsync(token, children[i], number: $"F-{i}");
                Assert.True(body["errors"] is null, body.ToJsonString());
                enrolled.Add(body["data"]!["enrollLateArrival"]!.Id());
            }

            Assert.Equal("NO_FREE_SEATS", (await EnrollAsync(token, children[seats.FreeSeats], number: "F-full")).ErrorCode());
        }
        finally
        {
            // Give the seats back (paper withdrawals) so the other tests of this host still find free seats.
            foreach (var id in enrolled)
            {
                await _api.PostAsync("mutation($id: ID!) { recordWithdrawal(applicationId: $id, note: \"test cleanup\") { status } }", new { id }, token);
            }
        }
    }

    [Fact]
    public async Task School_admin_enrolls_a_late_arrival_on_the_applications_page()
    {
        var admin = await factory.SignedInAsync(SchoolAccount.UserName, SchoolAccount.Password);
        var page = await admin.GetStringAsync("/admin/registry/applications");
        Assert.Contains("id=\"late-arrival-form\"", page, StringComparison.Ordinal);
        var program = await ProgramAsync();

        var incomplete = await admin.PostFormAsync("/admin/registry/applications?handler=LateArrival", page, new() { ["childPin"] = Families.Eligible[2].ChildPin });
        Assert.Contains("id=\"applications-errors\"", incomplete, StringComparison.Ordinal);
        var done = await admin.PostFormAsync("/admin/registry/applications?handler=LateArrival", page, new()
        {
            ["childPin"] = Families.Eligible[2].ChildPin, ["language"] = program.Language, ["writtenNumber"] = "P-5", ["writtenDate"] = "2026-08-18",
        });
        Assert.Contains("id=\"applications-message\"", done, StringComparison.Ordinal);
        var enrolled = await admin.GetStringAsync("/admin/registry/applications?status=Enrolled");
        Assert.Contains(Tiny.Data.Persons.Single(p => p.Pin == Families.Eligible[2].ChildPin).LastName, enrolled, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, (await factory.NewClient().GetAsync("/admin/registry/applications")).StatusCode);
    }
}
