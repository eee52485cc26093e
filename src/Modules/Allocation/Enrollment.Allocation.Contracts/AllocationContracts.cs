using Mediator;

namespace Enrollment.Allocation.Contracts;

public static class AllocationContracts
{
    public const string Module = "allocation";
}

/// <summary>When the campaign's allocation runs are due (Asia/Bishkek rules, UTC instants).</summary>
public sealed record AllocationScheduleDto(
    Guid CampaignId, string CampaignName, string TieBreak, int EqualFootingHours,
    DateTimeOffset StageOneFirstRunAt, DateTimeOffset StageTwoFirstRunAt, string NightlyRunLocalTime, int OfferConfirmDays);

public sealed record GetAllocationSchedule : IQuery<AllocationScheduleDto?>;

// ───────────────────────────── Offers and runs (issue #6) ─────────────────────────────

public enum OfferStatus
{
    /// <summary>Seat held, waiting for the parent's confirmation until the deadline.</summary>
    Offered,

    /// <summary>The parent confirmed; the seat stays held until the school enrolls.</summary>
    Confirmed,

    /// <summary>The school enrolled the child: the seat is final.</summary>
    Enrolled,

    /// <summary>Not confirmed in time; the seat went back to the next run.</summary>
    Expired,

    /// <summary>Given up: the child moved up to a higher choice, or the application was cancelled/withdrawn.</summary>
    Released,
}

/// <summary>An offer of a seat in a program to an application.</summary>
public sealed record OfferDto(
    Guid OfferId, Guid ApplicationId, Guid RunId, string SchoolCode, string Language, int Grade, OfferStatus Status,
    DateTimeOffset MadeAt, DateTimeOffset ConfirmBy, DateTimeOffset? ClosedAt);

/// <summary>Current (latest) offer of each application that has one.</summary>
public sealed record GetOffers(IReadOnlyList<Guid> ApplicationIds) : IQuery<IReadOnlyList<OfferDto>>;

/// <summary>
/// The parent confirms the current offer (called by Registry's <c>confirmOffer</c> after its ownership check).
/// Refused with OFFER_NOT_FOUND, OFFER_EXPIRED (deadline passed) or OFFER_NOT_OPEN.
/// </summary>
public sealed record ConfirmOffer(Guid ApplicationId) : ICommand<OfferDto>;

/// <summary>Releases the application's held offer (cancellation, switch, withdrawal); no-op when it holds none.</summary>
public sealed record ReleaseOffer(Guid ApplicationId, string Reason) : ICommand<OfferDto?>;

/// <summary>What changed for one application in a run or by the expiry job.</summary>
public enum OfferChangeKind
{
    Made,
    MovedUp,
    Waitlisted,
    Expired,
}

public sealed record OfferChangeDto(Guid ApplicationId, OfferChangeKind Kind, Guid? OfferId, string? SchoolCode, string? Language, int? Grade, DateTimeOffset? ConfirmBy);

/// <summary>
/// Published after a committed run (or expiry batch): every application whose offer state changed. Consumers (Registry
/// statuses, notifications, reporting) must be idempotent: <paramref name="BatchId"/> is the run id or expiry batch id.
/// </summary>
public sealed record OffersChanged(Guid BatchId, Guid CampaignId, IReadOnlyList<OfferChangeDto> Changes, DateTimeOffset At) : INotification;

/// <summary>Published once per offer the day before its deadline (the "expiring tomorrow" reminder).</summary>
public sealed record OfferExpiring(Guid OfferId, Guid ApplicationId, DateTimeOffset ConfirmBy) : INotification;

/// <summary>Published after a run committed.</summary>
public sealed record AllocationRunCompleted(Guid RunId, Guid CampaignId, string Trigger, int Applications, int Offers, int MovedUp, int Waitlisted, DateTimeOffset At)
    : INotification;

/// <summary>Seats of a program: approved (Quotas) − enrolled (Registry) − held offers (Allocation) = free. Never negative.</summary>
public sealed record ProgramSeatsDto(string SchoolCode, string Language, int Grade, int ApprovedSeats, int Enrolled, int HeldOffers, int FreeSeats);

/// <summary>
/// Seats of the campaign's programs (default: current campaign), optionally only of the given schools. A caller that has
/// just read the programs from Quotas passes their approved seats in <paramref name="Approved"/> so that the programs
/// are not read a second time; the result then covers exactly those programs.
/// </summary>
public sealed record GetProgramSeats(Guid? CampaignId = null, IReadOnlyList<string>? SchoolCodes = null, IReadOnlyList<ApprovedSeatsDto>? Approved = null)
    : IQuery<IReadOnlyList<ProgramSeatsDto>>;

/// <summary>Approved seats of one program, as the caller read them from Quotas.</summary>
public sealed record ApprovedSeatsDto(string SchoolCode, string Language, int Grade, int ApprovedSeats);
