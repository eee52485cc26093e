using Enrollment.Appeals.Contracts;
using Enrollment.Appeals.Domain;
using Enrollment.Appeals.Features;
using Enrollment.BuildingBlocks.Validation;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Appeals.Tests;

public sealed class AppealRulesTests : IDisposable
{
    private readonly Harness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Appeal_due_date_is_filed_plus_appeal_days()
    {
        _h.Directory.Campaign = Harness.TestDirectory.NewCampaign(appealDays: 10);
        var application = _h.Application(Harness.PinA, "D1");

        var appeal = await _h.File(Harness.ParentA, application, AppealKind.PriorityDenied);

        Assert.Equal(_h.Clock.UtcNow, appeal.FiledAt);
        Assert.Equal(_h.Clock.UtcNow.AddDays(10), appeal.DueAt);
        Assert.Equal(AppealStatus.Open, appeal.Status);
        Assert.Equal(["D1"], appeal.DistrictCodes);
    }

    [Fact]
    public async Task Parent_cannot_appeal_other_family_application()
    {
        var application = _h.Application(Harness.PinA, "D1");

        Assert.Equal(AppealsContracts.NotYourApplicationCode, await Harness.Refused(() => _h.File(Harness.ParentB, application)));
        Assert.Equal("NOT_FOUND", await Harness.Refused(() => _h.File(Harness.ParentA, Guid.NewGuid())));
        Assert.Equal("ACCESS_DENIED", await Harness.Refused(() => _h.File(Harness.Officer1, application)));
        await using var db = _h.Db();
        Assert.Equal(0, await db.Appeals.CountAsync());
    }

    [Fact]
    public async Task Appeal_window_closes_with_the_campaign()
    {
        var application = _h.Application(Harness.PinA, "D1");
        _h.Clock.Set(_h.Directory.Campaign.Calendar.LateEnrollmentEndsAt);

        Assert.Equal(AppealsContracts.AppealWindowClosedCode, await Harness.Refused(() => _h.File(Harness.ParentA, application)));
    }

    [Fact]
    public async Task Application_of_an_earlier_campaign_cannot_be_appealed()
    {
        var application = _h.Application(Harness.PinA, "D1");
        _h.Directory.Campaign = Harness.TestDirectory.NewCampaign(appealDays: 14);

        Assert.Equal(AppealsContracts.AppealWindowClosedCode, await Harness.Refused(() => _h.File(Harness.ParentA, application)));
    }

    [Fact]
    public async Task Second_open_appeal_of_the_same_kind_waits_for_the_first_answer()
    {
        var application = _h.Application(Harness.PinA, "D1");
        var first = await _h.File(Harness.ParentA, application, AppealKind.Rejection);

        Assert.Equal(AppealsContracts.AppealAlreadyOpenCode, await Harness.Refused(() => _h.File(Harness.ParentA, application, AppealKind.Rejection)));
        await _h.File(Harness.ParentA, application, AppealKind.PriorityDenied); // another kind is its own appeal

        await _h.Answer(Harness.Officer1, first.Id);
        var again = await _h.File(Harness.ParentA, application, AppealKind.Rejection);
        Assert.NotEqual(first.Id, again.Id);
    }

    [Fact]
    public async Task Officer_sees_only_own_district_appeals()
    {
        var inD1 = await _h.File(Harness.ParentA, _h.Application(Harness.PinA, "D1"));
        var inD2 = await _h.File(Harness.ParentB, _h.Application(Harness.PinB, "D2"));
        var inBoth = await _h.File(Harness.ParentB, _h.Application(Harness.PinB, "D1", "D2"));

        Assert.Equal(new[] { inD1.Id, inBoth.Id }.Order(), (await _h.Queue(Harness.Officer1)).Items.Select(a => a.Id).Order());
        Assert.Equal(new[] { inD2.Id, inBoth.Id }.Order(), (await _h.Queue(Harness.Officer2)).Items.Select(a => a.Id).Order());
        Assert.Equal(3, (await _h.Queue(Harness.Ministry)).TotalCount);
        // Asking for another district's appeals does not widen an officer's scope.
        Assert.Equal([inBoth.Id], (await _h.Queue(Harness.Officer1, new AppealFilter(DistrictCode: "D2"))).Items.Select(a => a.Id));
        Assert.Equal("NOT_FOUND", await Harness.Refused(() => _h.Get(Harness.Officer2, inD1.Id)));
        Assert.Equal("ACCESS_DENIED", await Harness.Refused(() => _h.Queue(Harness.SchoolAdmin)));
    }

    [Fact]
    public async Task Officer_of_another_district_cannot_answer()
    {
        var appeal = await _h.File(Harness.ParentA, _h.Application(Harness.PinA, "D1"));

        Assert.Equal("NOT_FOUND", await Harness.Refused(() => _h.Answer(Harness.Officer2, appeal.Id)));
        Assert.Equal("ACCESS_DENIED", await Harness.Refused(() => _h.Answer(Harness.ParentA, appeal.Id)));
        Assert.Empty(_h.Published);
    }

    [Fact]
    public async Task Appeal_is_answered_once_and_the_answer_is_published()
    {
        var appeal = await _h.File(Harness.ParentA, _h.Application(Harness.PinA, "D1"));
        _h.Clock.Advance(TimeSpan.FromDays(3));

        var answered = await _h.Answer(Harness.Officer1, appeal.Id, AppealDecision.Upheld, "You are right; the school will re-verify.");

        Assert.Equal(AppealStatus.Answered, answered.Status);
        Assert.Equal(AppealDecision.Upheld, answered.Decision);
        Assert.Equal("district1", answered.AnsweredBy);
        var published = Assert.Single(_h.Published);
        Assert.Equal((appeal.Id, appeal.ApplicationId, AppealDecision.Upheld), (published.AppealId, published.ApplicationId, published.Decision));
        Assert.Equal(AppealsContracts.AppealAlreadyAnsweredCode, await Harness.Refused(() => _h.Answer(Harness.Ministry, appeal.Id)));
        Assert.Single(_h.Published);
    }

    [Fact]
    public async Task Both_sides_see_the_whole_thread()
    {
        var appeal = await _h.File(Harness.ParentA, _h.Application(Harness.PinA, "D1"));
        _h.Clock.Advance(TimeSpan.FromHours(1));
        await _h.Message(Harness.Officer1, appeal.Id, "Please send the document number.");
        _h.Clock.Advance(TimeSpan.FromHours(1));
        await _h.Message(Harness.ParentA, appeal.Id, "It is 12345.");
        _h.Clock.Advance(TimeSpan.FromHours(1));
        await _h.Answer(Harness.Officer1, appeal.Id, AppealDecision.Upheld, "Verified.");

        var parentView = await _h.Get(Harness.ParentA, appeal.Id);
        var officerView = await _h.Get(Harness.Officer1, appeal.Id);
        Assert.Equal(
            [(AppealAuthor.Officer, "Please send the document number.", false), (AppealAuthor.Parent, "It is 12345.", false), (AppealAuthor.Officer, "Verified.", true)],
            parentView.Messages.Select(m => (m.Author, m.Text, m.IsAnswer)));
        Assert.Equal(parentView.Messages.Select(m => m.Id), officerView.Messages.Select(m => m.Id));
        Assert.Null(parentView.Messages[1].AuthorName); // the parent's user name is their PIN: never shown
        Assert.Equal([appeal.Id], (await _h.Mine(Harness.ParentA)).Select(a => a.Id));
        Assert.Empty(await _h.Mine(Harness.ParentB));
        Assert.Equal("NOT_FOUND", await Harness.Refused(() => _h.Get(Harness.ParentB, appeal.Id)));
        Assert.Equal(AppealsContracts.AppealAlreadyAnsweredCode, await Harness.Refused(() => _h.Message(Harness.ParentA, appeal.Id, "But…")));
    }

    [Fact]
    public async Task Queue_puts_open_appeals_first_by_deadline_and_marks_the_overdue()
    {
        var old = await _h.File(Harness.ParentA, _h.Application(Harness.PinA, "D1"));
        _h.Clock.Advance(TimeSpan.FromDays(5));
        var answered = await _h.File(Harness.ParentA, _h.Application(Harness.PinA, "D1"));
        await _h.Answer(Harness.Officer1, answered.Id);
        _h.Clock.Advance(TimeSpan.FromDays(5));
        var fresh = await _h.File(Harness.ParentB, _h.Application(Harness.PinB, "D1"));
        _h.Clock.Advance(TimeSpan.FromDays(5)); // 15 days after the first: it is overdue

        var queue = (await _h.Queue(Harness.Officer1)).Items;

        Assert.Equal([old.Id, fresh.Id, answered.Id], queue.Select(a => a.Id));
        Assert.Equal([true, false, false], queue.Select(a => a.Overdue));
        Assert.Equal([old.Id], (await _h.Queue(Harness.Officer1, new AppealFilter(OverdueOnly: true))).Items.Select(a => a.Id));
        Assert.Equal([answered.Id], (await _h.Queue(Harness.Officer1, new AppealFilter(Open: false))).Items.Select(a => a.Id));
        var page = await _h.Queue(Harness.Officer1, skip: 1, take: 1);
        Assert.Equal((3, fresh.Id), (page.TotalCount, page.Items.Single().Id));
    }

    [Fact]
    public async Task Appeals_and_messages_are_never_deleted()
    {
        var appeal = await _h.File(Harness.ParentA, _h.Application(Harness.PinA, "D1"));
        await _h.Message(Harness.ParentA, appeal.Id, "Anything new?");

        await using var db = _h.Db();
        db.Messages.Remove(await db.Messages.FirstAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        db.Appeals.Remove(await db.Appeals.FirstAsync());
        Assert.Throws<InvalidOperationException>(() => db.SaveChanges());
    }

    [Fact]
    public void Appeal_text_is_required_and_bounded()
    {
        var errors = new ValidationErrors();
        new FileAppealValidator().Validate(new FileAppeal(Guid.NewGuid(), AppealKind.Rejection, "  "), errors);
        new AnswerAppealValidator().Validate(new AnswerAppeal(Guid.NewGuid(), (AppealDecision)7, new string('x', 4001)), errors);

        Assert.Equal(["text:REQUIRED", "text:TOO_LONG", "decision:OUT_OF_RANGE"], errors.Items.Select(e => $"{e.Field}:{e.Code}"));
    }
}
