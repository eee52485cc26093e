using Enrollment.Allocation.Contracts;

namespace Enrollment.Allocation.Domain;

/// <summary>A seat in a program held for an application by a run. At most one open (Offered/Confirmed/Enrolled) offer per application.</summary>
internal sealed class Offer
{
    public Guid Id { get; init; }
    public Guid CampaignId { get; init; }
    public Guid ApplicationId { get; init; }
    public Guid RunId { get; init; }
    public required string ProgramId { get; init; }
    public required string SchoolCode { get; init; }
    public required string Language { get; init; }
    public int Grade { get; init; }
    public OfferStatus Status { get; set; }
    public DateTimeOffset MadeAt { get; init; }
    public DateTimeOffset ConfirmBy { get; init; }
    public DateTimeOffset? ConfirmedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedReason { get; set; }

    /// <summary>When the "expiring tomorrow" reminder was published (once per offer).</summary>
    public DateTimeOffset? ReminderAt { get; set; }

    /// <summary>The statuses in which the offer takes a seat that is not yet counted as enrolled.</summary>
    public static readonly OfferStatus[] Held = [OfferStatus.Offered, OfferStatus.Confirmed];

    public bool IsHeld => Status is OfferStatus.Offered or OfferStatus.Confirmed;

    public OfferDto ToDto() => new(Id, ApplicationId, RunId, SchoolCode, Language, Grade, Status, MadeAt, ConfirmBy, ClosedAt);
}
