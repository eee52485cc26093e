using System.Net;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Allocation;

/// <summary>
/// The Allocation module inside the host: its jobs, GraphQL access rules and admin pages. Runs against Registry's
/// applications (GetAllocationInputs) are covered in the module's tests until Registry's handlers are merged.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class AllocationHostTests(EnrollmentFactory factory)
{
    [Fact]
    public void Nightly_run_expiry_and_reminder_jobs_are_registered_in_Bishkek_time()
    {
        using var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection();
        var jobs = connection.GetRecurringJobs().Where(j => j.Id.StartsWith("allocation:", StringComparison.Ordinal))
            .ToDictionary(j => j.Id, j => (j.Cron, j.TimeZoneId), StringComparer.Ordinal);

        Assert.Equal(("0 2 * * *", "Asia/Bishkek"), jobs["allocation:nightly"]);
        Assert.Equal(("*/15 * * * *", "Asia/Bishkek"), jobs["allocation:expire-offers"]);
        Assert.Equal(("0 10 * * *", "Asia/Bishkek"), jobs["allocation:offer-reminders"]);
    }

    [Fact]
    public async Task Runs_and_run_details_are_for_the_ministry_only()
    {
        var client = factory.CreateClient();
        var ministry = await client.LoginAsync("ministry", "Demo-Ministry-2026!");
        var school = Tiny.Account("SchoolAdmin");
        var schoolToken = await client.LoginAsync(school.UserName, school.Password);

        var (_, refused) = await client.PostAsync("mutation { runAllocation(dryRun: true) { run { id } } }", bearer: schoolToken, accept: "application/json");
        var (_, unknown) = await client.PostAsync("query($id: ID!) { allocationRun(id: $id) { run { id } } allocationRuns { id status } }",
            new { id = Guid.NewGuid() }, bearer: ministry);

        Assert.Equal("ACCESS_DENIED", refused.ErrorCode());
        Assert.Null(unknown["errors"]);
        Assert.Null(unknown["data"]!["allocationRun"]);
        Assert.NotNull(unknown["data"]!["allocationRuns"]);
    }

    [Fact]
    public async Task Run_page_of_an_unknown_run_is_not_found_and_export_is_for_the_ministry()
    {
        var ministry = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");

        var page = await ministry.GetAsync($"/admin/allocation/Run?id={Guid.NewGuid()}");
        var export = await ministry.GetAsync($"/admin/allocation/Run?id={Guid.NewGuid()}&handler=Export&kind=Instance");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, export.StatusCode);
    }

    [Fact]
    public async Task Run_buttons_are_shown_to_the_ministry_and_refused_to_district_officers()
    {
        var ministry = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");
        var officer = Tiny.Account("DistrictOfficer");
        var district = await factory.SignedInAsync(officer.UserName, officer.Password);

        var ministryPage = await ministry.GetStringAsync("/admin/allocation");
        var districtPage = await district.GetStringAsync("/admin/allocation");

        Assert.Contains("id=\"run-form\"", ministryPage, StringComparison.Ordinal);
        Assert.Contains("id=\"dry-run\"", ministryPage, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"run-form\"", districtPage, StringComparison.Ordinal);
    }
}
