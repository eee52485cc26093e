using System.Net.Http.Headers;
using Enrollment.Registry.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Enrollment.Registry.Data.Population;

internal static class PopulationRegistryServices
{
    /// <summary>
    /// The <see cref="IPopulationRegistry"/> port, chosen by <c>Registry:Population:Mode</c> (Embedded by default, or Http),
    /// the HTTP client with its resilience pipeline, the answer cache, and — in Http mode — the health check
    /// <c>registry:population</c> (in Embedded mode the population is the module database, which <c>db:registry</c> checks).
    /// </summary>
    public static IServiceCollection AddPopulationRegistry(this IServiceCollection services)
    {
        services.AddOptions<PopulationRegistryOptions>()
            .BindConfiguration(PopulationRegistryOptions.Section)
            .Validate(o => !o.Problems().Any(), "Registry:Population is misconfigured; see PopulationRegistryOptions.")
            .ValidateOnStart();
        services.AddMemoryCache();
        services.TryAddSingleton<PopulationCircuit>();
        services.AddScoped<EmbeddedPopulationRegistry>();
        services.AddSingleton<HttpPopulationRegistry>();
        services.AddScoped<IPopulationRegistry>(sp =>
            sp.GetRequiredService<IOptions<PopulationRegistryOptions>>().Value.Mode == PopulationRegistryMode.Http
                ? sp.GetRequiredService<HttpPopulationRegistry>()
                : sp.GetRequiredService<EmbeddedPopulationRegistry>());

        services.AddHttpClient(HttpPopulationRegistry.ClientName, (sp, client) =>
            {
                var o = sp.GetRequiredService<IOptions<PopulationRegistryOptions>>().Value;
                Configure(client, o);
                // The resilience pipeline enforces the timeouts; this is only a backstop for reading a slow body.
                client.Timeout = o.TotalTimeout + TimeSpan.FromSeconds(1);
            })
            .AddResilienceHandler("registry-population", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<PopulationRegistryOptions>>().Value;
                var circuit = context.ServiceProvider.GetRequiredService<PopulationCircuit>();
                pipeline.AddTimeout(o.TotalTimeout);
                if (o.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = o.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = o.RetryDelay,
                        ShouldRetryAfterHeader = false,
                    });
                }

                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = o.CircuitFailureRatio,
                    MinimumThroughput = o.CircuitMinimumThroughput,
                    SamplingDuration = o.CircuitSamplingDuration,
                    BreakDuration = o.CircuitBreakDuration,
                    StateProvider = circuit.StateProvider,
                });
                pipeline.AddTimeout(o.Timeout);
            });

        services.AddHttpClient(PopulationRegistryHealthCheck.ProbeClientName, (sp, client) =>
        {
            var o = sp.GetRequiredService<IOptions<PopulationRegistryOptions>>().Value;
            Configure(client, o);
            client.Timeout = o.HealthProbeTimeout + TimeSpan.FromSeconds(1);
        });

        services.AddOptions<HealthCheckServiceOptions>().Configure<IOptions<PopulationRegistryOptions>>((health, population) =>
        {
            if (population.Value.Mode == PopulationRegistryMode.Http)
            {
                health.Registrations.Add(new HealthCheckRegistration(
                    PopulationRegistryHealthCheck.Name,
                    sp => ActivatorUtilities.GetServiceOrCreateInstance<PopulationRegistryHealthCheck>(sp),
                    HealthStatus.Degraded,
                    ["registry"]));
            }
        });
        return services;
    }

    private static void Configure(HttpClient client, PopulationRegistryOptions o)
    {
        if (o.BaseUrl is { } baseUrl)
        {
            // A trailing slash makes relative paths ("persons/…") resolve below the base path.
            client.BaseAddress = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        }

        client.MaxResponseContentBufferSize = o.MaxResponseBytes;
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }
}
