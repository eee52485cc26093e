namespace Enrollment.Allocation.Domain;

/// <summary>One execution of the allocation job, recorded forever (inputs hash, settings, counts, who triggered it).</summary>
internal sealed class AllocationRun
{
    public Guid Id { get; init; }
    public Guid CampaignId { get; init; }
    public required string Stage { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; set; }
    public required string Status { get; set; }
    public required string TriggeredBy { get; init; }
    public bool DryRun { get; init; }
    public string? InputHash { get; set; }
    public string? Seed { get; set; }
    public int Applications { get; set; }
    public int Offers { get; set; }
}
