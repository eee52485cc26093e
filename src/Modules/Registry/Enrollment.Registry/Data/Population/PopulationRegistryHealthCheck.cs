using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace Enrollment.Registry.Data.Population;

/// <summary>The state of the HTTP registry's circuit breaker, shared by the client pipeline and the health check.</summary>
internal sealed class PopulationCircuit
{
    public CircuitBreakerStateProvider StateProvider { get; } = new();

    public CircuitState State => StateProvider.CircuitState;
}

/// <summary>
/// <c>registry:population</c>: Degraded — never Unhealthy — when the circuit is open or <c>GET /health</c> of the HTTP
/// registry does not answer 2xx in time. The host stays up; parents get <c>REGISTRY_UNAVAILABLE</c> meanwhile.
/// </summary>
internal sealed class PopulationRegistryHealthCheck(PopulationCircuit circuit, IHttpClientFactory clients, IOptions<PopulationRegistryOptions> options)
    : IHealthCheck
{
    public const string Name = "registry:population";

    public const string ProbeClientName = "registry-population-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (settings.Mode != PopulationRegistryMode.Http)
        {
            return HealthCheckResult.Healthy("Embedded demo population.");
        }

        var state = circuit.State;
        if (state is CircuitState.Open or CircuitState.Isolated)
        {
            return HealthCheckResult.Degraded("The population registry circuit is open after repeated failures; parents get REGISTRY_UNAVAILABLE.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.HealthProbeTimeout);
        try
        {
            using var response = await clients.CreateClient(ProbeClientName).GetAsync("health", timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return HealthCheckResult.Degraded($"The population registry answered HTTP {(int)response.StatusCode} to its health probe.");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return HealthCheckResult.Degraded("The population registry is unreachable (" + (e is OperationCanceledException ? "timed out" : e.GetType().Name) + ").");
        }

        return state == CircuitState.HalfOpen
            ? HealthCheckResult.Degraded("The population registry answers again; the circuit is testing it (half-open).")
            : HealthCheckResult.Healthy("The population registry answers.");
    }
}
