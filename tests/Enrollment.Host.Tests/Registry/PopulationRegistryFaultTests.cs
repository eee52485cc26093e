using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Host.Tests.GraphQL;
using Microsoft.AspNetCore.Hosting;

namespace Enrollment.Host.Tests.Registry;

/// <summary>
/// The HTTP population registry misbehaving (HTTP 500, garbage, hanging) during Stage One: parents get a clear
/// REGISTRY_UNAVAILABLE that tells them their draft is kept, the draft is there and submits once the registry is back,
/// health is Degraded during the outage and Healthy after, and hanging registry calls do not starve other requests.
/// </summary>
public sealed class PopulationRegistryFaultTests
{
    private const string MyChildren = "{ myChildren { pin } }";

    [Fact]
    public async Task Registry_500s_garbage_and_hangs_give_REGISTRY_UNAVAILABLE_keep_the_draft_and_health_recovers()
    {
        await using var registry = await PopulationRegistryHttpModeTests.TinyRegistryServer.StartAsync();
        using var factory = new FaultyRegistryFactory(registry.BaseUrl);
        var client = factory.CreateClient();
        var family = Families.Eligible[0];
        var token = await client.SignUpAsync(family);
        var draft = await client.DraftAsync(token, family);
        var resident = draft["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        var program = (await client.ProgramsAsync(resident)).First();
        var input = Families.SubmitInput(family, [program], key: "fault-test");

        foreach (var fault in new[] { RegistryFault.ServerError, RegistryFault.Garbage, RegistryFault.Hang })
        {
            registry.Fault = fault;
            var children = await client.QueryAsync(MyChildren, bearer: token);
            var (_, submit) = await client.PostAsync(Families.Submit, input, token);

            Assert.Equal("REGISTRY_UNAVAILABLE", children.Code);
            Assert.Contains("draft", children.Messages.Single(), StringComparison.OrdinalIgnoreCase);
            RawHttp.AssertNoStackTrace(children.Text);
            Assert.Equal("REGISTRY_UNAVAILABLE", submit.ErrorCode());
            if (fault != RegistryFault.Garbage)
            {
                // health probes reachability (GET /health); a registry that answers garbage is reachable — its callers still get the clear error
                Assert.Equal("Degraded", await RegistryHealthAsync(client));
            }

            var mine = await MyApplicationsAsync(client, token);
            Assert.Equal([(draft.Id(), "DRAFT")], mine);
        }

        registry.Fault = RegistryFault.None;
        var healthy = Stopwatch.StartNew();
        string health;
        do
        {
            await Task.Delay(300);
            await client.QueryAsync(MyChildren, bearer: token); // a call that succeeds closes the half-open circuit
            health = await RegistryHealthAsync(client);
        }
        while (health != "Healthy" && healthy.Elapsed < TimeSpan.FromSeconds(20));

        Assert.Equal("Healthy", health);
        var (_, submitted) = await client.PostAsync(Families.Submit, input, token);
        Assert.True(submitted["errors"] is null, submitted.ToJsonString());
        Assert.Equal(draft.Id(), submitted["data"]!["submitApplication"]!.Id());
    }

    [Fact]
    public async Task A_hanging_registry_does_not_starve_public_requests()
    {
        await using var registry = await PopulationRegistryHttpModeTests.TinyRegistryServer.StartAsync();
        using var factory = new FaultyRegistryFactory(registry.BaseUrl);
        var client = factory.CreateClient();
        var parent = Tiny.Parents[0];
        var token = await client.LoginAsync(parent.UserName, parent.Password);
        registry.Fault = RegistryFault.Hang;

        var hanging = Enumerable.Range(0, 64).Select(_ => client.QueryAsync(MyChildren, bearer: token)).ToList();
        var reads = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            var (status, body) = await client.PostAsync("{ openDataRegions { regionCode schools } }");
            reads.Add(watch.Elapsed);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Null(body["errors"]);
        }

        var answers = await Task.WhenAll(hanging);
        Assert.All(answers, a => Assert.Equal("REGISTRY_UNAVAILABLE", a.Code));
        Assert.True(reads.Max() < TimeSpan.FromSeconds(3), "public reads waited for the registry: " + string.Join(", ", reads));
    }

    private static async Task<string> RegistryHealthAsync(HttpClient client)
    {
        var body = JsonNode.Parse(await client.GetStringAsync("/healthz"))!;
        return body["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "registry:population")!["status"]!.GetValue<string>();
    }

    private static async Task<List<(string Id, string Status)>> MyApplicationsAsync(HttpClient client, string token)
    {
        var (_, body) = await client.PostAsync("{ myApplications { id status } }", bearer: token);
        Assert.True(body["errors"] is null, body.ToJsonString());
        return [.. body["data"]!["myApplications"]!.AsArray().Select(a => (a!["id"]!.GetValue<string>(), a["status"]!.GetValue<string>()))];
    }

    /// <summary>Stage One on the fake clock, the HTTP registry without a cache, one retry, a circuit that breaks for a second.</summary>
    private sealed class FaultyRegistryFactory(string baseUrl) : ApplicationsFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Registry:Population:Mode", "Http");
            builder.UseSetting("Registry:Population:BaseUrl", baseUrl);
            builder.UseSetting("Registry:Population:MaxRetries", "1");
            builder.UseSetting("Registry:Population:RetryDelay", "00:00:00.050");
            builder.UseSetting("Registry:Population:Timeout", "00:00:02");
            builder.UseSetting("Registry:Population:TotalTimeout", "00:00:05");
            builder.UseSetting("Registry:Population:CacheDuration", "00:00:00");
            builder.UseSetting("Registry:Population:CircuitMinimumThroughput", "2");
            builder.UseSetting("Registry:Population:CircuitBreakDuration", "00:00:01");
            builder.UseSetting("Registry:Population:HealthProbeTimeout", "00:00:01");
        }
    }
}
