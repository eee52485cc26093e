using Mediator;

namespace Enrollment.Appeals.Contracts;

public static class AppealsContracts
{
    public const string Module = "appeals";

    /// <summary>The application's campaign is over (or is not the current one): appeals are no longer filed.</summary>
    public const string AppealWindowClosedCode = "APPEAL_WINDOW_CLOSED";

    /// <summary>The application belongs to another family.</summary>
    public const string NotYourApplicationCode = "NOT_YOUR_APPLICATION";

    /// <summary>An appeal of the same kind on the same application is still waiting for its answer.</summary>
    public const string AppealAlreadyOpenCode = "APPEAL_ALREADY_OPEN";

    /// <summary>The appeal has its answer: it takes no second answer and no further messages.</summary>
    public const string AppealAlreadyAnsweredCode = "APPEAL_ALREADY_ANSWERED";

    /// <summary>
    /// The kind does not fit the application's state: a rejection appeal needs a Rejected application, a denied-priority
    /// appeal a rejected priority claim, a micro-district appeal a submitted application choosing a school its resolution
    /// did not make resident (named in <c>schoolCode</c>).
    /// </summary>
    public const string AppealNotApplicableCode = "APPEAL_NOT_APPLICABLE";

    /// <summary>More than the campaign's AppealDays passed since the decision appealed (rejection, priority rejection, submission).</summary>
    public const string AppealDeadlinePassedCode = "APPEAL_DEADLINE_PASSED";
}

/// <summary>What a parent appeals (domain.md "Notifications and appeals").</summary>
public enum AppealKind
{
    /// <summary>The school rejected the application.</summary>
    Rejection,

    /// <summary>The priority category claim was not verified.</summary>
    PriorityDenied,

    /// <summary>The micro-district resolution of the registered address (which school serves it).</summary>
    MicrodistrictResolution,
}

/// <summary>The district officer's answer.</summary>
public enum AppealDecision
{
    /// <summary>The parent is right; the officer acts on it (in the module that owns the decision).</summary>
    Upheld,

    /// <summary>The decision stands.</summary>
    Dismissed,
}

/// <summary>
/// Published after the answer to an appeal was saved (once per appeal: an appeal is answered once). Notifications tells the
/// parent; <paramref name="AppealId"/> makes a replay recognisable.
/// </summary>
public sealed record AppealAnswered(Guid AppealId, Guid ApplicationId, AppealKind Kind, AppealDecision Decision, DateTimeOffset At) : INotification;
