using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Quotas.Contracts;

namespace Enrollment.Quotas.Domain;

/// <summary>
/// One program's quota (school × language × grade) in a campaign: the proposal (<see cref="Classes"/>, <see cref="Seats"/>)
/// and the approved numbers that Allocation allocates. Every change is written to <see cref="QuotaChange"/>.
/// </summary>
internal sealed class Quota
{
    public const int MaxClasses = 30;
    public const int MaxSeats = 1500;

    public Guid Id { get; init; }
    public Guid CampaignId { get; init; }
    public required string SchoolCode { get; init; }
    public required string DistrictCode { get; init; }
    public required string RegionCode { get; init; }
    public required string Language { get; init; }
    public int Grade { get; init; } = 1;
    public int Classes { get; private set; }
    public int Seats { get; private set; }
    public int ApprovedClasses { get; private set; }
    public int ApprovedSeats { get; private set; }
    public QuotaStatus Status { get; private set; } = QuotaStatus.Draft;
    public string? Comment { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = "";

    /// <summary>Optimistic concurrency token: bumped on every save of a changed quota (see QuotasDbContext).</summary>
    public int Version { get; private set; }

    public bool HasClassSizeWarning(int classSizeLimit) => Seats > Classes * classSizeLimit;

    /// <summary>Refuses negative or absurd numbers, and seats without classes.</summary>
    public static void CheckNumbers(int classes, int seats)
    {
        var errors = new ValidationErrors();
        errors.Range("classes", classes, 0, MaxClasses);
        errors.Range("seats", seats, 0, MaxSeats);
        if (errors.Items.Count > 0)
        {
            throw new ValidationFailed(errors.Items);
        }

        if (seats > 0 && classes == 0)
        {
            throw new RuleViolation("SEATS_WITHOUT_CLASSES", "Seats need at least one class.");
        }

        if (classes > 0 && seats == 0)
        {
            throw new RuleViolation("CLASSES_WITHOUT_SEATS", "Classes need seats.");
        }
    }

    /// <summary>In the quota entry window: edit the draft (or a returned quota).</summary>
    public QuotaChange EditDraft(int classes, int seats, string? reason, string by, DateTimeOffset at)
    {
        CheckNumbers(classes, seats);
        switch (Status)
        {
            case QuotaStatus.Submitted:
                throw new RuleViolation("QUOTA_SUBMITTED", "The quota is waiting for the district's decision; it cannot be edited now.");
            case QuotaStatus.Approved:
            case QuotaStatus.ChangeRequested:
                throw new RuleViolation("QUOTA_LOCKED", "The quota is approved and locked; after the entry window file a change request.");
        }

        return Change("Edit", classes, seats, QuotaStatus.Draft, reason, by, at);
    }

    /// <summary>After the quota entry window: a change request of an approved quota (or a new program), decided by the district.</summary>
    public QuotaChange RequestChange(int classes, int seats, string? reason, string by, DateTimeOffset at)
    {
        CheckNumbers(classes, seats);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new RuleViolation("REASON_REQUIRED", "A change request after the quota entry window needs a reason.");
        }

        return Change("RequestChange", classes, seats, QuotaStatus.ChangeRequested, reason, by, at);
    }

    public QuotaChange Submit(string by, DateTimeOffset at)
    {
        if (Status is not (QuotaStatus.Draft or QuotaStatus.Returned))
        {
            throw new RuleViolation("QUOTA_NOT_DRAFT", "Only draft or returned quotas can be submitted.");
        }

        return Change("Submit", Classes, Seats, QuotaStatus.Submitted, null, by, at);
    }

    public QuotaChange Approve(bool acknowledgeClassSizeWarning, int classSizeLimit, string by, DateTimeOffset at)
    {
        if (Status is not (QuotaStatus.Submitted or QuotaStatus.ChangeRequested))
        {
            throw new RuleViolation("QUOTA_NOT_PENDING", $"Quota {SchoolCode}/{Language} is not waiting for approval.");
        }

        if (HasClassSizeWarning(classSizeLimit) && !acknowledgeClassSizeWarning)
        {
            throw new RuleViolation("CLASS_SIZE_WARNING_NOT_ACKNOWLEDGED",
                $"Quota {SchoolCode}/{Language}: {Seats} seats exceed {Classes} × {classSizeLimit}; acknowledge the class-size warning to approve.");
        }

        var change = Change("Approve", Classes, Seats, QuotaStatus.Approved,
            HasClassSizeWarning(classSizeLimit) ? "Class-size warning acknowledged" : null, by, at);
        change.OldClasses = ApprovedClasses;
        change.OldSeats = ApprovedSeats;
        ApprovedClasses = Classes;
        ApprovedSeats = Seats;
        return change;
    }

    public QuotaChange Return(string comment, string by, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            throw new RuleViolation("COMMENT_REQUIRED", "Returning a quota needs a comment for the school.");
        }

        switch (Status)
        {
            case QuotaStatus.Submitted:
                return Change("Return", Classes, Seats, QuotaStatus.Returned, comment.Trim(), by, at);
            case QuotaStatus.ChangeRequested:
                // A refused change request: the approved numbers stay; a program that never had seats goes back to draft.
                return Change("RefuseChange", ApprovedClasses, ApprovedSeats,
                    ApprovedSeats > 0 ? QuotaStatus.Approved : QuotaStatus.Returned, comment.Trim(), by, at);
            default:
                throw new RuleViolation("QUOTA_NOT_PENDING", $"Quota {SchoolCode}/{Language} is not waiting for approval.");
        }
    }

    /// <summary>Ministry, in an extra-quota window: seats added directly to the approved numbers.</summary>
    public QuotaChange AddExtra(int classes, int seats, string reason, string by, DateTimeOffset at)
    {
        CheckNumbers(classes, seats);
        if (seats == 0)
        {
            throw new RuleViolation("NO_EXTRA_SEATS", "Add at least one seat.");
        }

        if (ApprovedSeats + seats > MaxSeats || ApprovedClasses + classes > MaxClasses)
        {
            throw new RuleViolation("SEATS_ABSURD", $"At most {MaxSeats} seats and {MaxClasses} classes per program.");
        }

        var change = Change("AddExtraSeats", ApprovedClasses + classes, ApprovedSeats + seats, QuotaStatus.Approved, reason, by, at);
        change.OldClasses = ApprovedClasses;
        change.OldSeats = ApprovedSeats;
        ApprovedClasses += classes;
        ApprovedSeats += seats;
        return change;
    }

    public static Quota Seeded(Guid campaignId, string school, string district, string region, string language, int classes, int seats, DateTimeOffset at) =>
        new()
        {
            Id = Guid.NewGuid(), CampaignId = campaignId, SchoolCode = school, DistrictCode = district, RegionCode = region, Language = language,
            Classes = classes, Seats = seats, ApprovedClasses = classes, ApprovedSeats = seats, Status = QuotaStatus.Approved,
            UpdatedAt = at, UpdatedBy = "seed",
        };

    private QuotaChange Change(string action, int classes, int seats, QuotaStatus status, string? reason, string by, DateTimeOffset at)
    {
        var change = new QuotaChange
        {
            QuotaId = Id, At = at, ChangedBy = by, Action = action, OldStatus = Status, NewStatus = status,
            OldClasses = Classes, OldSeats = Seats, NewClasses = classes, NewSeats = seats, Reason = reason?.Trim(),
        };
        Classes = classes;
        Seats = seats;
        Status = status;
        Comment = action is "Return" or "RefuseChange" ? reason?.Trim() : Comment;
        UpdatedAt = at;
        UpdatedBy = by;
        return change;
    }

    public QuotaDto ToDto(int classSizeLimit) => new(Id, CampaignId, SchoolCode, DistrictCode, RegionCode, Language, Grade, Classes, Seats,
        ApprovedClasses, ApprovedSeats, Status, Comment, HasClassSizeWarning(classSizeLimit), UpdatedAt, UpdatedBy);
}

/// <summary>One kept change of a quota: who, when, old → new, why.</summary>
internal sealed class QuotaChange
{
    /// <summary>Database-generated, increasing: the order of changes even within one instant.</summary>
    public long Id { get; init; }
    public Guid QuotaId { get; init; }
    public DateTimeOffset At { get; init; }
    public required string ChangedBy { get; init; }
    public required string Action { get; init; }
    public QuotaStatus? OldStatus { get; init; }
    public QuotaStatus NewStatus { get; init; }
    public int OldClasses { get; set; }
    public int OldSeats { get; set; }
    public int NewClasses { get; init; }
    public int NewSeats { get; init; }
    public string? Reason { get; init; }

    public QuotaChangeDto ToDto() => new(QuotaId, At, ChangedBy, Action, OldStatus, NewStatus, OldClasses, OldSeats, NewClasses, NewSeats, Reason);
}

/// <summary>One kept change of a campaign's settings.</summary>
internal sealed class CampaignChange
{
    public Guid Id { get; init; }
    public Guid CampaignId { get; init; }
    public DateTimeOffset At { get; init; }
    public required string ChangedBy { get; init; }
    public required string Changes { get; init; }
    public string? Reason { get; init; }
    public bool Override { get; init; }
}

/// <summary>The last stage published for a campaign (so <c>quotas:stage-watch</c> publishes each change once).</summary>
internal sealed class PublishedStage
{
    public Guid CampaignId { get; init; }
    public Stage Stage { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
}

/// <summary>A ministry switch with an announced period.</summary>
internal sealed class CampaignSwitch
{
    public Guid Id { get; init; }
    public Guid CampaignId { get; init; }
    public SwitchKind Kind { get; init; }
    public DateTimeOffset StartsAt { get; init; }
    public DateTimeOffset EndsAt { get; init; }
    public string SchoolCodes { get; init; } = "";
    public string? Note { get; init; }
    public DateTimeOffset AnnouncedAt { get; init; }
    public required string AnnouncedBy { get; init; }

    public bool IsActiveAt(DateTimeOffset instant) => StartsAt <= instant && instant < EndsAt;

    public IReadOnlyList<string> Schools => SchoolCodes.Length == 0 ? [] : SchoolCodes.Split(',');

    public CampaignSwitchDto ToDto() => new(Id, Kind, StartsAt, EndsAt, Schools, Note, AnnouncedAt, AnnouncedBy);
}
