namespace Enrollment.DemoData;

/// <summary>
/// Seeded, deterministic demo-data generator: the same (profile, seed) always gives an identical dataset,
/// on every machine and culture. See README.md for what is generated.
/// </summary>
public static class DemoDataGenerator
{
    /// <summary>Generates the dataset of a profile.</summary>
    public static DemoDataset Generate(DemoProfile profile, int seed = 2026)
    {
        if (!Enum.IsDefined(profile))
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown demo profile.");
        }

        return new Builder(profile, seed).Build();
    }
}
