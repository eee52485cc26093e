using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Enrollment.Notifications.Tests;

/// <summary>An SMS gateway on 127.0.0.1 (Kestrel, a free port) that records each request and answers with <see cref="StatusFor"/>.</summary>
public sealed class FakeSmsGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeSmsGateway(WebApplication app) => _app = app;

    public ConcurrentQueue<(string? Authorization, string ContentType, string Body)> Requests { get; } = new();

    /// <summary>The status of the n-th request (1-based); 200 by default.</summary>
    public Func<int, int> StatusFor { get; set; } = _ => StatusCodes.Status200OK;

    public Uri Url { get; private set; } = null!;

    public static async Task<FakeSmsGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var gateway = new FakeSmsGateway(app);
        app.MapPost("/api/sms", async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            gateway.Requests.Enqueue((context.Request.Headers.Authorization.ToString(), context.Request.ContentType ?? "", await reader.ReadToEndAsync()));
            context.Response.StatusCode = gateway.StatusFor(gateway.Requests.Count);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        gateway.Url = new Uri(address + "/api/sms");
        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
