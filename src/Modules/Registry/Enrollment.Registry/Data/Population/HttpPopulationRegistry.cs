using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Enrollment.Registry.Domain;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Enrollment.Registry.Data.Population;

/// <summary>
/// The population registry over HTTP (contract: docs/population-registry-api.md). The named client
/// <see cref="ClientName"/> carries the resilience pipeline (total timeout, retries with exponential back-off and
/// jitter, circuit breaker, per-attempt timeout). Answers are cached for <see cref="PopulationRegistryOptions.CacheDuration"/>;
/// failures are not cached and become <see cref="PopulationRegistryUnavailable"/>.
/// </summary>
internal sealed partial class HttpPopulationRegistry(
    IHttpClientFactory clients, IMemoryCache cache, IOptions<PopulationRegistryOptions> options, ILogger<HttpPopulationRegistry> logger)
    : IPopulationRegistry
{
    public const string ClientName = "registry-population";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<RegistryLookup<RegistryPerson>> FindPersonAsync(Pin pin, CancellationToken ct) =>
        GetAsync<PersonWire, RegistryPerson>($"persons/{pin.Value}", w => w.ToDomain(pin), ct);

    public Task<RegistryLookup<IReadOnlyList<RegistryLinkedChild>>> GetLinkedChildrenAsync(Pin parentPin, CancellationToken ct) =>
        GetAsync<ChildrenWire, IReadOnlyList<RegistryLinkedChild>>($"persons/{parentPin.Value}/children", w => w.ToDomain(), ct);

    public Task<RegistryLookup<IReadOnlyList<RegistryParentLink>>> GetParentsAsync(Pin childPin, CancellationToken ct) =>
        GetAsync<ParentsWire, IReadOnlyList<RegistryParentLink>>($"children/{childPin.Value}/parents", w => w.ToDomain(), ct);

    public Task<RegistryLookup<RegistryDocument>> GetBirthCertificateAsync(Pin childPin, CancellationToken ct) =>
        GetAsync<DocumentWire, RegistryDocument>($"children/{childPin.Value}/birth-certificate", w => w.ToDomain(), ct);

    public Task<RegistryLookup<RegistryDocument>> GetPassportAsync(Pin pin, CancellationToken ct) =>
        GetAsync<DocumentWire, RegistryDocument>($"persons/{pin.Value}/passport", w => w.ToDomain(), ct);

    public Task<RegistryLookup<RegistryAddress>> GetRegisteredAddressAsync(Pin pin, CancellationToken ct) =>
        GetAsync<AddressWire, RegistryAddress>($"persons/{pin.Value}/address", w => w.ToDomain(), ct);

    private async Task<RegistryLookup<T>> GetAsync<TWire, T>(string path, Func<TWire, T?> map, CancellationToken ct)
        where TWire : class
        where T : class
    {
        var key = "registry:population:" + path;
        if (cache.TryGetValue(key, out RegistryLookup<T>? cached) && cached is not null)
        {
            return cached;
        }

        var answer = await FetchAsync(path, map, ct);
        var ttl = options.Value.CacheDuration;
        if (ttl > TimeSpan.Zero)
        {
            cache.Set(key, answer, ttl);
        }

        return answer;
    }

    private async Task<RegistryLookup<T>> FetchAsync<TWire, T>(string path, Func<TWire, T?> map, CancellationToken ct)
        where TWire : class
        where T : class
    {
        try
        {
            var client = clients.CreateClient(ClientName);
            using var response = await client.GetAsync(path, ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return RegistryLookup<T>.NotFound;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw Unavailable(path, $"HTTP {(int)response.StatusCode}", null);
            }

            TWire? wire;
            try
            {
                wire = await response.Content.ReadFromJsonAsync<TWire>(Json, ct);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or FormatException)
            {
                throw Unavailable(path, "the answer is not the documented JSON", e);
            }

            var value = wire is null ? null : map(wire);
            return value is null
                ? throw Unavailable(path, "the answer lacks required fields", null)
                : RegistryLookup<T>.Found(value);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (PopulationRegistryUnavailable)
        {
            throw;
        }
        catch (BrokenCircuitException)
        {
            // Expected while the circuit is open (every call fails fast): the failures that opened it were logged.
            LogCircuitOpen(logger, path);
            throw new PopulationRegistryUnavailable($"GET {path}: the circuit is open after repeated failures");
        }
        catch (TimeoutRejectedException e)
        {
            throw Unavailable(path, "timed out", e);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or InvalidOperationException)
        {
            throw Unavailable(path, e.GetType().Name, e);
        }
    }

    private PopulationRegistryUnavailable Unavailable(string path, string reason, Exception? cause)
    {
        LogUnavailable(logger, path, reason, cause);
        return new PopulationRegistryUnavailable($"GET {path}: {reason}", cause);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Population registry circuit open: GET {Path} refused without a call")]
    private static partial void LogCircuitOpen(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Population registry unavailable: GET {Path}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string path, string reason, Exception? cause);
}
