using Enrollment.Appeals.Contracts;
using Enrollment.Appeals.Domain;

namespace Enrollment.Appeals.Features;

internal sealed record AppealMessageView(Guid Id, AppealAuthor Author, string? AuthorName, string Text, DateTimeOffset At, bool IsAnswer);

/// <summary>An appeal with its thread as both sides see it; <paramref name="Overdue"/> is open past its due date.</summary>
internal sealed record AppealView(
    Guid Id, Guid ApplicationId, Guid CampaignId, AppealKind Kind, string? SchoolCode, AppealStatus Status, AppealDecision? Decision, string Text,
    DateTimeOffset FiledAt, DateTimeOffset DueAt, bool Overdue, DateTimeOffset? AnsweredAt, string? AnsweredBy,
    IReadOnlyList<string> DistrictCodes, IReadOnlyList<AppealMessageView> Messages)
{
    public static AppealView From(Appeal a, DateTimeOffset now) => new(
        a.Id, a.ApplicationId, a.CampaignId, a.Kind, a.SchoolCode, a.Status, a.Decision, a.Text, a.FiledAt, a.DueAt, a.IsOverdue(now), a.AnsweredAt,
        a.AnsweredBy, a.Districts,
        [.. a.Messages.OrderBy(m => m.At).ThenBy(m => m.IsAnswer).Select(m => new AppealMessageView(m.Id, m.Author, m.AuthorName, m.Text, m.At, m.IsAnswer))]);
}

internal sealed record AppealPage(IReadOnlyList<AppealView> Items, int TotalCount);

/// <summary>Staff queue filter. <paramref name="Open"/>: only unanswered (true) or answered (false) appeals.</summary>
internal sealed record AppealFilter(bool? Open = null, bool OverdueOnly = false, AppealKind? Kind = null, string? DistrictCode = null, Guid? ApplicationId = null);
