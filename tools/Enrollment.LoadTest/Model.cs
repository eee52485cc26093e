namespace Enrollment.LoadTest;

/// <summary>An address as the population registry holds it (used to ask which micro-district school serves it).</summary>
public sealed record LoadAddress(string SettlementCode, string Street, string House, double? Latitude, double? Longitude);

/// <summary>One parent of the opening morning with the eligible children they apply for.</summary>
public sealed record LoadFamily(string ParentPin, IReadOnlyList<string> ChildPins, LoadAddress? Address);

/// <summary>What to replay. Shares are 0..1.</summary>
public sealed record LoadOptions
{
    /// <summary>Password every parent signs up with.</summary>
    public string Password { get; init; } = "LoadTest-Passw0rd-2026!";

    /// <summary>Concurrent clients (prepare and opening).</summary>
    public int Concurrency { get; init; } = 32;

    /// <summary>Share of the parents that prepare a draft the day before.</summary>
    public double DraftShare { get; init; } = 0.3;

    /// <summary>Share of the parents that sign in again (password) at the opening instead of keeping the day-before session.</summary>
    public double SignInShare { get; init; }

    /// <summary>One public open-data read after every this many submits (0: none).</summary>
    public int OpenDataEvery { get; init; } = 20;

    /// <summary>One admin list page after every this many submits (0: none).</summary>
    public int AdminEvery { get; init; } = 100;

    /// <summary>The opening stops after this long.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The opening stops after this many requests (submits, reads, admin pages, retries).</summary>
    public long MaxRequests { get; init; } = long.MaxValue;

    /// <summary>Admin (ministry) account for the admin pages and the verification.</summary>
    public string AdminUser { get; init; } = "ministry";

    public string AdminPassword { get; init; } = "Demo-Ministry-2026!";

    /// <summary>Retries of a submit that failed with a 5xx or a transport error (same idempotency key).</summary>
    public int SubmitRetries { get; init; } = 3;

    /// <summary>Idempotency keys are this prefix + the child's PIN (a rerun with the same prefix is a retry).</summary>
    public string KeyPrefix { get; init; } = "lt-";

    public Action<string> Log { get; init; } = _ => { };
}
