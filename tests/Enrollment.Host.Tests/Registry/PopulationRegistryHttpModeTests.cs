using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Enrollment.Host.Tests.GraphQL;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Enrollment.Host.Tests.Registry;

/// <summary>The host with <c>Registry:Population:Mode=Http</c>: the population registry is an HTTP service.</summary>
public sealed class PopulationRegistryHttpModeTests
{
    private const string MyChildren = "{ myChildren { pin lastName firstName patronymic sex birthDate relation } }";

    [Fact]
    public async Task Registry_down_gives_REGISTRY_UNAVAILABLE_for_myChildren_and_a_Degraded_health()
    {
        using var factory = new HttpRegistryFactory(ClosedPortUrl());
        var client = factory.CreateClient();
        var parent = Tiny.Parents[0];
        var token = await client.LoginAsync(parent.UserName, parent.Password);

        var reply = await client.QueryAsync(MyChildren, bearer: token);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("REGISTRY_UNAVAILABLE", reply.Code);
        Assert.Contains("draft", reply.Messages.Single(), StringComparison.OrdinalIgnoreCase);
        RawHttp.AssertNoStackTrace(reply.Text);

        var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var body = JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
        Assert.Equal("Degraded", body["status"]!.GetValue<string>());
        var check = body["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "registry:population")!;
        Assert.Equal("Degraded", check["status"]!.GetValue<string>());
        Assert.All(body["checks"]!.AsArray().Where(c => c!["name"]!.GetValue<string>() != "registry:population"),
            c => Assert.Equal("Healthy", c!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Registry_up_serves_myChildren_over_http()
    {
        await using var registry = await TinyRegistryServer.StartAsync();
        using var factory = new HttpRegistryFactory(registry.BaseUrl, generous: true);
        var client = factory.CreateClient();
        var parent = Tiny.Parents[0];
        var token = await client.LoginAsync(parent.UserName, parent.Password);

        var reply = await client.QueryAsync(MyChildren, bearer: token);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Null(reply.Json["errors"]);
        var persons = Tiny.Data.Persons.ToDictionary(p => p.Pin, StringComparer.Ordinal);
        var expected = Tiny.Data.ParentLinks.Where(l => l.ParentPin == parent.Pin)
            .Select(l => persons[l.ChildPin]).OrderBy(c => c.BirthDate).ThenBy(c => c.Pin, StringComparer.Ordinal)
            .Select(c => c.Pin).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, reply.Json["data"]!["myChildren"]!.AsArray().Select(c => c!["pin"]!.GetValue<string>()));
        Assert.Equal(1, registry.Hits($"/persons/{parent.Pin}/children"));

        var again = await client.QueryAsync(MyChildren, bearer: token);
        Assert.Null(again.Json["errors"]);
        Assert.Equal(1, registry.Hits($"/persons/{parent.Pin}/children")); // answered from the cache

        var health = JsonNode.Parse(await client.GetStringAsync("/healthz"))!;
        Assert.Equal("Healthy", health["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "registry:population")!["status"]!.GetValue<string>());
    }

    private static string ClosedPortUrl()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/";
    }

    /// <param name="generous">A registry that is up gets timeouts no loaded CI machine can miss (the short ones are for "down").</param>
    private sealed class HttpRegistryFactory(string baseUrl, bool generous = false) : EnrollmentFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Registry:Population:Mode", "Http");
            builder.UseSetting("Registry:Population:BaseUrl", baseUrl);
            builder.UseSetting("Registry:Population:MaxRetries", "1");
            builder.UseSetting("Registry:Population:RetryDelay", "00:00:00.050");
            builder.UseSetting("Registry:Population:Timeout", generous ? "00:00:20" : "00:00:01");
            builder.UseSetting("Registry:Population:TotalTimeout", generous ? "00:00:45" : "00:00:02");
        }
    }

    /// <summary>
    /// A population registry service on 127.0.0.1 answering from the tiny demo dataset, per the documented contract —
    /// or, while <see cref="Fault"/> is set, failing every request (its health endpoint too) that way.
    /// </summary>
    internal sealed class TinyRegistryServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);

        private TinyRegistryServer(WebApplication app) => _app = app;

        public string BaseUrl { get; private set; } = "";

        public int Hits(string path) => _hits.TryGetValue(path, out var n) ? n : 0;

        public RegistryFault Fault { get; set; }

        public static async Task<TinyRegistryServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var server = new TinyRegistryServer(app);
            var persons = Tiny.Data.Persons.ToDictionary(p => p.Pin, StringComparer.Ordinal);
            app.Use(async (context, next) =>
            {
                server._hits.AddOrUpdate(context.Request.Path.Value ?? "", 1, (_, n) => n + 1);
                switch (server.Fault)
                {
                    case RegistryFault.ServerError:
                        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                        return;
                    case RegistryFault.Garbage:
                        context.Response.ContentType = "application/json";
                        await context.Response.WriteAsync("{\"children\": [{\"pin\": 12, <<garbage");
                        return;
                    case RegistryFault.Hang:
                        await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                        return;
                }

                await next();
            });
            app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
            var addresses = Tiny.Data.Addresses.ToDictionary(a => a.Pin, StringComparer.Ordinal);
            app.MapGet("/persons/{pin}", (string pin) => persons.TryGetValue(pin, out var p)
                ? Results.Json(new
                {
                    pin = p.Pin, lastName = p.LastName, firstName = p.FirstName, patronymic = p.Patronymic, sex = p.Sex.ToString(),
                    birthDate = p.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                }, JsonSerializerOptions.Web)
                : Results.NotFound());
            app.MapGet("/children/{pin}/birth-certificate", (string pin) => persons.TryGetValue(pin, out var p) && p.BirthCertificateNumber is { } number
                ? Results.Json(new { number }, JsonSerializerOptions.Web)
                : Results.NotFound());
            app.MapGet("/persons/{pin}/passport", (string pin) => persons.TryGetValue(pin, out var p) && p.PassportNumber is { } number
                ? Results.Json(new { number }, JsonSerializerOptions.Web)
                : Results.NotFound());
            app.MapGet("/persons/{pin}/address", (string pin) => addresses.TryGetValue(pin, out var a)
                ? Results.Json(new { settlementCode = a.SettlementCode, street = a.Street, house = a.House, apartment = a.Apartment, latitude = a.Latitude, longitude = a.Longitude },
                    JsonSerializerOptions.Web)
                : Results.NotFound());
            app.MapGet("/persons/{pin}/children", (string pin) => persons.ContainsKey(pin)
                ? Results.Json(new
                {
                    children = Tiny.Data.ParentLinks.Where(l => l.ParentPin == pin).Select(l => persons[l.ChildPin] is var c
                        ? new
                        {
                            pin = c.Pin, lastName = c.LastName, firstName = c.FirstName, patronymic = c.Patronymic, sex = c.Sex.ToString(),
                            birthDate = c.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), relation = l.Relation,
                        }
                        : null),
                }, JsonSerializerOptions.Web)
                : Results.NotFound());
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server.BaseUrl = address + "/";
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

/// <summary>How <see cref="PopulationRegistryHttpModeTests.TinyRegistryServer"/> fails while faulty.</summary>
internal enum RegistryFault
{
    None,
    ServerError,
    Garbage,
    Hang,
}
