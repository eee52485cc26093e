using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Enrollment.Host.Tests.Security;

/// <summary>
/// Sign-up against a population registry reached over HTTP, for the answers the Tiny dataset does not contain:
/// an adult without linked children, a registry birth date that differs from the PIN, and a registry that is down.
/// </summary>
public sealed class SignUpRegistryAnswersTests
{
    private const string ChildlessPin = "21503198500011";
    private const string MismatchPin = "11002198000022";

    [Fact]
    public async Task Sign_up_by_an_adult_without_linked_children_is_NO_LINKED_CHILDREN_and_a_birth_date_mismatch_is_PIN_BIRTH_DATE_MISMATCH()
    {
        await using var registry = await FakeRegistry.StartAsync();
        using var factory = new HttpRegistryFactory(registry.BaseUrl);
        var client = factory.CreateClient();

        var childless = await client.PostAsync(SignUpTests.SignUp, new { pin = ChildlessPin, p = SecurityData.StrongPassword });
        var mismatch = await client.PostAsync(SignUpTests.SignUp, new { pin = MismatchPin, p = SecurityData.StrongPassword });

        Assert.Equal("NO_LINKED_CHILDREN", childless.Body.ErrorCode());
        Assert.Equal("PIN_BIRTH_DATE_MISMATCH", mismatch.Body.ErrorCode());
    }

    [Fact]
    public async Task Sign_up_while_the_registry_is_down_passes_REGISTRY_UNAVAILABLE_through()
    {
        using var factory = new HttpRegistryFactory(ClosedPortUrl());
        var client = factory.CreateClient();

        var (status, body) = await client.PostAsync(SignUpTests.SignUp, new { pin = ChildlessPin, p = SecurityData.StrongPassword });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("REGISTRY_UNAVAILABLE", body.ErrorCode());
    }

    private static string ClosedPortUrl()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/";
    }

    private sealed class HttpRegistryFactory(string baseUrl) : EnrollmentFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Registry:Population:Mode", "Http");
            builder.UseSetting("Registry:Population:BaseUrl", baseUrl);
            builder.UseSetting("Registry:Population:MaxRetries", "1");
            builder.UseSetting("Registry:Population:RetryDelay", "00:00:00.050");
            builder.UseSetting("Registry:Population:Timeout", "00:00:20"); // generous: a loaded CI machine must not time out a registry that is up
            builder.UseSetting("Registry:Population:TotalTimeout", "00:00:45");
        }
    }

    /// <summary>Knows two adults, neither with children; the second one's registry birth date differs from their PIN.</summary>
    private sealed class FakeRegistry : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FakeRegistry(WebApplication app, string baseUrl)
        {
            _app = app;
            BaseUrl = baseUrl;
        }

        public string BaseUrl { get; }

        public static async Task<FakeRegistry> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
            app.MapGet("/persons/{pin}", (string pin) => pin switch
            {
                ChildlessPin => Results.Json(new { pin, lastName = "Асанов", firstName = "Бакыт", sex = "M", birthDate = "1985-03-15" }),
                MismatchPin => Results.Json(new { pin, lastName = "Асанова", firstName = "Айгүл", sex = "F", birthDate = "1980-02-11" }),
                _ => Results.NotFound(),
            });
            app.MapGet("/persons/{pin}/children", (string pin) => pin is ChildlessPin or MismatchPin
                ? Results.Json(new { children = Array.Empty<object>() })
                : Results.NotFound());
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new FakeRegistry(app, address + "/");
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
