namespace Enrollment.Allocation.Domain;

/// <summary>One execution of the allocation job, recorded forever (inputs hash, settings, counts, who triggered it).</summary>
internal sealed class AllocationRun
{
    public Guid Id { get; init; }
    public Guid CampaignId { get; init; }
    public required string Stage { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary><see cref="RunStatuses"/>.</summary>
    public required string Status { get; set; }

    /// <summary>Who asked: a user name, or "system" for scheduled runs.</summary>
    public required string TriggeredBy { get; init; }

    /// <summary><see cref="RunTriggers"/>.</summary>
    public string Trigger { get; init; } = RunTriggers.Manual;

    public bool DryRun { get; init; }

    /// <summary>SHA-256 (hex) of the input snapshot as the CLI's instance JSON.</summary>
    public string? InputHash { get; set; }

    /// <summary>SHA-256 (hex) of the result JSON (<c>{"assignments":…}</c>).</summary>
    public string? ResultHash { get; set; }

    /// <summary>The lottery's published seed, or (SubmissionTime) the campaign id that seeds the same-second tie-break.</summary>
    public string? Seed { get; set; }

    public string TieBreak { get; set; } = "SubmissionTime";
    public int EqualFootingHours { get; set; }
    public int OfferConfirmDays { get; set; }
    public long DurationMs { get; set; }

    /// <summary>Applications in the run (holders that could not move are not in it).</summary>
    public int Applications { get; set; }

    /// <summary>New offers made (including moves up).</summary>
    public int Offers { get; set; }

    public int MovedUp { get; set; }
    public int Waitlisted { get; set; }

    /// <summary>Offers held before the run and kept.</summary>
    public int Kept { get; set; }

    public string? Error { get; set; }
}

internal static class RunStatuses
{
    public const string Completed = "Completed";
    public const string DryRun = "DryRun";
    public const string Failed = "Failed";
}

internal static class RunTriggers
{
    /// <summary>First run of a stage when its equal-footing window ends.</summary>
    public const string StageOpening = "StageOpening";

    /// <summary>Nightly at 02:00 Asia/Bishkek while a stage is open.</summary>
    public const string Nightly = "Nightly";

    /// <summary>On demand by a ministry administrator.</summary>
    public const string Manual = "Manual";
}

/// <summary>One program's line in a run: the numbers that went into the engine and what came out.</summary>
internal sealed class RunProgram
{
    public Guid RunId { get; init; }
    public required string ProgramId { get; init; }
    public required string SchoolCode { get; init; }
    public required string Language { get; init; }
    public int Grade { get; init; }
    public int Approved { get; init; }
    public int Enrolled { get; init; }

    /// <summary>Seats held before the run by children who could not move (subtracted from the capacity).</summary>
    public int HeldFixed { get; init; }

    /// <summary>The engine's capacity: approved − enrolled − fixed holds (never below the movable holds).</summary>
    public int Capacity { get; init; }

    /// <summary>Applications the engine admitted here (movable holders who stayed, new offers, moves up).</summary>
    public int Admitted { get; init; }

    /// <summary>Held seats after the run (fixed + admitted).</summary>
    public int HeldAfter { get; init; }

    public int? CutoffClass { get; init; }
    public long? CutoffTiebreak { get; init; }
}

/// <summary>The run's input instance and result as the CLI's JSON, gzip-compressed; the exact bytes come back on export.</summary>
internal sealed class RunSnapshot
{
    public Guid RunId { get; init; }
    public required byte[] InstanceGzip { get; init; }
    public required byte[] ResultGzip { get; init; }
}

/// <summary>The latest explanation of one application (from the last committed run that included it).</summary>
internal sealed class Explanation
{
    public Guid ApplicationId { get; init; }
    public Guid RunId { get; init; }
    public Guid CampaignId { get; init; }
    public DateTimeOffset At { get; init; }
    public string? AssignedProgram { get; init; }
    public string? HeldProgram { get; init; }

    /// <summary>JSON array of the choice explanations (see <c>ExplanationChoice</c>).</summary>
    public required string ChoicesJson { get; init; }
}

/// <summary>
/// The allocation lock: one row, taken by a conditional UPDATE (owner + lease), so runs never overlap on SQLite or with
/// several hosts on PostgreSQL. <see cref="Epoch"/> grows whenever an offer or application changes outside a run;
/// a run commits only if it is unchanged since its snapshot (docs/adr/0400).
/// </summary>
internal sealed class AllocationLock
{
    public const string Allocation = "allocation";

    public required string Name { get; init; }
    public string? Owner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public long Epoch { get; set; }
}
