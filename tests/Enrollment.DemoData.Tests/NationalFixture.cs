using System.Diagnostics;

namespace Enrollment.DemoData.Tests;

/// <summary>Generates the national dataset once for all tests of a class.</summary>
public sealed class NationalFixture
{
    public NationalFixture()
    {
        var watch = Stopwatch.StartNew();
        Dataset = DemoDataGenerator.Generate(DemoProfile.National);
        Elapsed = watch.Elapsed;
    }

    public DemoDataset Dataset { get; }

    public TimeSpan Elapsed { get; }
}

[CollectionDefinition(Name)]
public sealed class NationalCollection : ICollectionFixture<NationalFixture>
{
    public const string Name = "national";
}
