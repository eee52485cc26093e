namespace Enrollment.Browser.Tests;

/// <summary>Where the Debian chromium lives, and whether browser tests may skip when it is missing.</summary>
public static class Chromium
{
    /// <summary>Overrides the candidate paths (e.g. to check the skip rule with a path that does not exist).</summary>
    public const string PathVariable = "ENROLLMENT_CHROMIUM";

    public const string SkipReason = "Debian chromium is not installed (apt-get install chromium)";

    // The real binary first: /usr/bin/chromium is a shell wrapper that prints noise from /etc/chromium.d.
    private static readonly string[] DefaultCandidates = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"];

    public static string? ExecutablePath
    {
        get
        {
            var overridePath = Environment.GetEnvironmentVariable(PathVariable);
            string[] candidates = string.IsNullOrWhiteSpace(overridePath) ? DefaultCandidates : [overridePath];
            return candidates.FirstOrDefault(File.Exists);
        }
    }

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skip on a developer machine without chromium; never on CI, where the missing browser must fail the run.</summary>
    public static bool ShouldSkip => ExecutablePath is null && !IsCi;
}

/// <summary>A fact that needs chromium: skipped with a visible reason when it is missing, unless CI=true.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.ShouldSkip)
        {
            Skip = Chromium.SkipReason;
        }
    }
}
