using Enrollment.DemoData;

namespace Enrollment.Host.Tests.GraphQL;

/// <summary>The dataset the shared host was seeded with, for expected values.</summary>
public static class Tiny
{
    private static readonly Lazy<DemoDataset> Dataset = new(() => DemoDataGenerator.Generate(DemoProfile.Tiny));

    public static DemoDataset Data => Dataset.Value;

    public static DemoAccount Account(string role) => Data.Accounts.First(a => a.Role == role);

    public static IReadOnlyList<DemoAccount> Parents => [.. Data.Accounts.Where(a => a.Role == "Parent")];
}
