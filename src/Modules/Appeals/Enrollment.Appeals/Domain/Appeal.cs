using Enrollment.Appeals.Contracts;
using Enrollment.BuildingBlocks.Errors;

namespace Enrollment.Appeals.Domain;

internal enum AppealStatus
{
    Open,
    Answered,
}

internal enum AppealAuthor
{
    Parent,
    Officer,
}

/// <summary>
/// A parent's appeal on one application, answered once by the district officer (or the ministry) within the campaign's
/// <c>AppealDays</c>. Nothing is ever deleted or rewritten: the thread only grows (the context refuses deletions).
/// </summary>
internal sealed class Appeal
{
    private Appeal()
    {
    }

    public Guid Id { get; private set; }
    public Guid ApplicationId { get; private set; }
    public Guid CampaignId { get; private set; }

    /// <summary>The applicant who filed it (the parent's PIN, from the application's scope).</summary>
    public string ApplicantPin { get; private set; } = "";

    /// <summary>Districts of the application's schools when filed, as ",D1,D2," (the officers who see it).</summary>
    public string DistrictCodes { get; private set; } = ",";

    public AppealKind Kind { get; private set; }

    /// <summary>A micro-district appeal: the school the parent says their address belongs to (one of the application's choices).</summary>
    public string? SchoolCode { get; private set; }
    public string Text { get; private set; } = "";
    public DateTimeOffset FiledAt { get; private set; }
    public DateTimeOffset DueAt { get; private set; }
    public AppealStatus Status { get; private set; }
    public AppealDecision? Decision { get; private set; }
    public DateTimeOffset? AnsweredAt { get; private set; }
    public string? AnsweredBy { get; private set; }
    public List<AppealMessage> Messages { get; private set; } = [];

    public static Appeal File(Guid applicationId, Guid campaignId, string applicantPin, IEnumerable<string> districtCodes,
        AppealKind kind, string text, DateTimeOffset now, int appealDays, string? schoolCode = null) => new()
        {
            SchoolCode = schoolCode,
            Id = Guid.NewGuid(),
            ApplicationId = applicationId,
            CampaignId = campaignId,
            ApplicantPin = applicantPin,
            DistrictCodes = "," + string.Join(",", districtCodes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)) + ",",
            Kind = kind,
            Text = text.Trim(),
            FiledAt = now,
            DueAt = now.AddDays(appealDays),
            Status = AppealStatus.Open,
        };

    public static string DistrictKey(string districtCode) => "," + districtCode + ",";

    public IReadOnlyList<string> Districts => DistrictCodes.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public bool IsOverdue(DateTimeOffset now) => Status == AppealStatus.Open && now > DueAt;

    public AppealMessage AddMessage(AppealAuthor author, string? authorName, string text, DateTimeOffset now)
    {
        RequireOpen();
        return Append(author, authorName, text, now, isAnswer: false);
    }

    public AppealMessage Answer(AppealDecision decision, string text, string officer, DateTimeOffset now)
    {
        RequireOpen();
        Status = AppealStatus.Answered;
        Decision = decision;
        AnsweredAt = now;
        AnsweredBy = officer;
        return Append(AppealAuthor.Officer, officer, text, now, isAnswer: true);
    }

    private AppealMessage Append(AppealAuthor author, string? authorName, string text, DateTimeOffset now, bool isAnswer)
    {
        var message = new AppealMessage
        {
            Id = Guid.NewGuid(), AppealId = Id, Author = author, AuthorName = authorName, Text = text.Trim(), At = now, IsAnswer = isAnswer,
        };
        Messages.Add(message);
        return message;
    }

    private void RequireOpen()
    {
        if (Status != AppealStatus.Open)
        {
            throw new RuleViolation(AppealsContracts.AppealAlreadyAnsweredCode, "The appeal has been answered; it takes no further answer or message.");
        }
    }
}

/// <summary>One message of an appeal's thread (the parent's or the officer's; the answer is the officer's last).</summary>
internal sealed class AppealMessage
{
    public Guid Id { get; init; }
    public Guid AppealId { get; init; }
    public AppealAuthor Author { get; init; }

    /// <summary>The officer's user name; null for the parent (a parent's user name is their PIN, never shown).</summary>
    public string? AuthorName { get; init; }

    public string Text { get; init; } = "";
    public DateTimeOffset At { get; init; }
    public bool IsAnswer { get; init; }
}
