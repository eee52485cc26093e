using System.Net;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Registry;

/// <summary>The school's application list, priority verification and enrollment order form, through real forms.</summary>
public sealed class ApplicationAdminPageTests(StageTwoApplicationsFactory factory) : IClassFixture<StageTwoApplicationsFactory>
{
    [Fact]
    public async Task School_admin_filters_verifies_a_priority_claim_and_records_an_enrollment_order_on_the_page()
    {
        var api = factory.CreateClient();
        var schoolAccount = Tiny.Account("SchoolAdmin");
        var family = Families.Eligible[0];
        var token = await api.SignUpAsync(family);
        var program = (await api.ProgramsAsync([schoolAccount.SchoolCode!])).First();
        var (_, body) = await api.PostAsync(Families.Submit, Families.SubmitInput(family, [program], priority: "Disability"), token);
        var id = body["data"]!["submitApplication"]!.Id();

        var admin = await factory.SignedInAsync(schoolAccount.UserName, schoolAccount.Password);
        var list = await admin.GetStringAsync("/admin/registry/applications?priority=Claimed");
        Assert.Contains($"id=\"application-{id}\"", list, StringComparison.Ordinal);
        var none = await admin.GetStringAsync("/admin/registry/applications?status=Enrolled");
        Assert.DoesNotContain($"id=\"application-{id}\"", none, StringComparison.Ordinal);

        var verified = await admin.PostFormAsync("/admin/registry/applications?handler=Verify", list, new() { ["id"] = id, ["verified"] = "true" });
        Assert.Contains("id=\"applications-message\"", verified, StringComparison.Ordinal);
        var (_, check) = await api.PostAsync("query($id: ID!) { application(id: $id) { priorityStatus history { reason } } }", new { id }, token);
        Assert.Equal("VERIFIED", check["data"]!["application"]!["priorityStatus"]!.GetValue<string>());

        var incomplete = await admin.PostFormAsync("/admin/registry/applications?handler=Enroll", list, new() { ["ids"] = id });
        Assert.Contains("id=\"applications-errors\"", incomplete, StringComparison.Ordinal);
        var refused = await admin.PostFormAsync("/admin/registry/applications?handler=Enroll", list,
            new() { ["ids"] = id, ["orderNumber"] = "7-k", ["orderDate"] = "2026-06-10" });
        Assert.Contains("NOT_ENROLLABLE", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_visitor_cannot_open_the_application_list()
    {
        var client = factory.NewClient();
        var response = await client.GetAsync("/admin/registry/applications");
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}
