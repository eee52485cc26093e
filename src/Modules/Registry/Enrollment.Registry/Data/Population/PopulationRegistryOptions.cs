namespace Enrollment.Registry.Data.Population;

internal enum PopulationRegistryMode
{
    /// <summary>The module's own population tables (the demo population seeded at start-up).</summary>
    Embedded,

    /// <summary>An HTTP JSON service (docs/population-registry-api.md).</summary>
    Http,
}

/// <summary>Configuration section <c>Registry:Population</c>.</summary>
internal sealed class PopulationRegistryOptions
{
    public const string Section = "Registry:Population";

    public PopulationRegistryMode Mode { get; set; } = PopulationRegistryMode.Embedded;

    /// <summary>Base URL of the HTTP registry service (required in <see cref="PopulationRegistryMode.Http"/> mode).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Time allowed for one attempt (one HTTP request).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Time allowed for one question, all attempts and back-off delays included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after a transient failure (timeout, 408, 429, 5xx, connection error); 0 disables retrying.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Base delay of the exponential back-off (with jitter) between retries.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The circuit opens when at least this share of the sampled attempts failed …</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>… and at least this many attempts were sampled …</summary>
    public int CircuitMinimumThroughput { get; set; } = 10;

    /// <summary>… within this window.</summary>
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses calls before letting one trial call through.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long answers (found and not found) are kept; failures are never cached. Zero disables the cache.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time allowed for the health check's probe of <c>GET /health</c>.</summary>
    public TimeSpan HealthProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest accepted answer body.</summary>
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    internal IEnumerable<string> Problems()
    {
        if (Mode != PopulationRegistryMode.Http)
        {
            yield break;
        }

        if (BaseUrl is not { IsAbsoluteUri: true } || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            yield return "Registry:Population:BaseUrl must be an absolute http(s) URL in Http mode.";
        }

        if (Timeout < TimeSpan.FromMilliseconds(10) || TotalTimeout < Timeout)
        {
            yield return "Registry:Population:Timeout must be at least 10 ms and TotalTimeout at least Timeout.";
        }

        if (MaxRetries is < 0 or > 10)
        {
            yield return "Registry:Population:MaxRetries must be between 0 and 10.";
        }

        if (CircuitFailureRatio is <= 0 or > 1 || CircuitMinimumThroughput < 2
            || CircuitSamplingDuration < TimeSpan.FromMilliseconds(500) || CircuitBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return "Registry:Population:Circuit* settings are out of range (ratio in (0, 1], throughput ≥ 2, durations ≥ 0.5 s).";
        }

        if (CacheDuration < TimeSpan.Zero || MaxResponseBytes < 1024)
        {
            yield return "Registry:Population:CacheDuration must not be negative and MaxResponseBytes at least 1024.";
        }
    }
}
