using System.Text.Json;
using Enrollment.BuildingBlocks.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.BuildingBlocks.Tests;

internal enum SampleKind
{
    First,
    Second,
}

internal sealed class Sample
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string? Note { get; set; }
    public char Sex { get; set; }
    public DateOnly Born { get; set; }
    public DateTimeOffset At { get; set; }
    public DateTimeOffset? Until { get; set; }
    public int Count { get; set; }
    public long Big { get; set; }
    public bool Flag { get; set; }
    public double? Latitude { get; set; }
    public decimal Money { get; set; }
    public SampleKind Kind { get; set; }
    public TimeSpan Span { get; set; }
    public byte[]? Blob { get; set; }
}

internal sealed class SampleContext(DbContextOptions<SampleContext> options) : DbContext(options)
{
    public DbSet<Sample> Samples => Set<Sample>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Sample>().Property<string>("Shadow");
}

/// <summary>The audit trail's before/after snapshots keep the text they always had (names in ordinal order, values as JsonSerializer writes them).</summary>
public sealed class AuditSnapshotTests
{
    [Fact]
    public void A_snapshot_is_the_same_text_as_the_sorted_name_value_dictionary_it_replaced_for_current_and_original_values()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        using var db = new SampleContext(new DbContextOptionsBuilder<SampleContext>().UseSqlite(connection).Options);
        var sample = new Sample
        {
            Id = Guid.Parse("019d4735-9b14-773e-9d3f-e756b145b327"), Name = "Айгерим \"O'Brien\" <b>&\u0001 ✓", Sex = 'F',
            Born = new DateOnly(2019, 7, 22), At = new DateTimeOffset(2026, 4, 1, 4, 3, 8, TimeSpan.Zero).AddTicks(6963415),
            Until = new DateTimeOffset(2026, 4, 2, 10, 0, 0, TimeSpan.FromHours(6)), Count = -3, Big = long.MaxValue, Flag = true,
            Latitude = 42.874621, Money = 1234.5600m, Kind = SampleKind.Second, Span = TimeSpan.FromMinutes(90.5), Blob = [1, 2, 250],
        };
        var entry = db.Attach(sample);
        entry.Property<string>("Shadow").CurrentValue = "тень";
        entry.OriginalValues["Shadow"] = "old shadow";
        sample.Name = "Changed";
        sample.Note = "now set";
        sample.Latitude = null;

        Assert.Equal(Reference(entry, original: false), AuditInterceptor.Snapshot(entry, original: false));
        Assert.Equal(Reference(entry, original: true), AuditInterceptor.Snapshot(entry, original: true));
        Assert.Contains("\"Name\":\"Айгерим \\\"O'Brien\\\" <b>&\\u0001 ✓\"", AuditInterceptor.Snapshot(entry, original: true));
    }

    /// <summary>How snapshots were written until 2026-11-29.</summary>
    private static string Reference(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry, bool original)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in entry.Properties)
        {
            values[property.Metadata.Name] = original ? property.OriginalValue : property.CurrentValue;
        }

        return JsonSerializer.Serialize(values, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
