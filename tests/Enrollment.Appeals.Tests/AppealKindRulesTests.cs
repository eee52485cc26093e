using Enrollment.Appeals.Contracts;
using Enrollment.Appeals.Domain;
using Enrollment.Registry.Contracts;

namespace Enrollment.Appeals.Tests;

/// <summary>Which appeal fits which application, the filing window, and what an answer asks Registry to do (ADR 0303).</summary>
public sealed class AppealKindRulesTests : IDisposable
{
    private readonly Harness _h = new();

    public void Dispose() => _h.Dispose();

    private Guid With(Func<AppealGroundsDto, AppealGroundsDto> change)
    {
        var id = _h.Application(Harness.PinA, "D1");
        _h.Directory.Grounds[id] = change(_h.Directory.Grounds[id]);
        return id;
    }

    [Fact]
    public async Task Rejection_appeal_needs_a_rejected_application()
    {
        var submitted = With(g => g with { Status = ApplicationStatus.Submitted, RejectedAt = null });

        Assert.Equal(AppealsContracts.AppealNotApplicableCode, await Harness.Refused(() => _h.File(Harness.ParentA, submitted, AppealKind.Rejection)));
        await _h.File(Harness.ParentA, With(g => g), AppealKind.Rejection);
    }

    [Fact]
    public async Task Priority_appeal_needs_a_rejected_priority_claim()
    {
        var noRejectedClaim = With(g => g with { PriorityRejectedAt = null });

        Assert.Equal(AppealsContracts.AppealNotApplicableCode, await Harness.Refused(() => _h.File(Harness.ParentA, noRejectedClaim, AppealKind.PriorityDenied)));
    }

    [Fact]
    public async Task Microdistrict_appeal_names_a_non_resident_choice()
    {
        var application = With(g => g with { NonResidentChoiceSchoolCodes = ["S-D1"] });

        Assert.Equal(AppealsContracts.AppealNotApplicableCode,
            await Harness.Refused(() => _h.File(Harness.ParentA, application, AppealKind.MicrodistrictResolution)));
        Assert.Equal(AppealsContracts.AppealNotApplicableCode,
            await Harness.Refused(() => _h.File(Harness.ParentA, application, AppealKind.MicrodistrictResolution, school: "S-OTHER")));
        var appeal = await _h.File(Harness.ParentA, application, AppealKind.MicrodistrictResolution, school: "s-d1");
        Assert.Equal("S-D1", appeal.SchoolCode);
    }

    [Fact]
    public async Task Appeal_is_filed_within_appeal_days_of_the_decision()
    {
        var decided = _h.Clock.UtcNow;
        var application = _h.Application(Harness.PinA, "D1");

        _h.Clock.Set(decided.AddDays(14).AddSeconds(1));
        Assert.Equal(AppealsContracts.AppealDeadlinePassedCode, await Harness.Refused(() => _h.File(Harness.ParentA, application, AppealKind.Rejection)));
        _h.Clock.Set(decided.AddDays(14));
        await _h.File(Harness.ParentA, application, AppealKind.Rejection);
    }

    [Theory]
    [InlineData(AppealKind.Rejection, AppealRemedy.ReturnRejected)]
    [InlineData(AppealKind.PriorityDenied, AppealRemedy.VerifyPriority)]
    [InlineData(AppealKind.MicrodistrictResolution, AppealRemedy.ResidentOverride)]
    public async Task Upheld_appeal_asks_registry_for_its_remedy_by_the_officer(AppealKind kind, AppealRemedy remedy)
    {
        var application = _h.Application(Harness.PinA, "D1");
        var appeal = await _h.File(Harness.ParentA, application, kind, school: kind == AppealKind.MicrodistrictResolution ? "S-D1" : null);

        await _h.Answer(Harness.Officer1, appeal.Id, AppealDecision.Upheld);

        var sent = Assert.Single(_h.Directory.Remedies);
        Assert.Equal(new ApplyAppealRemedy(application, appeal.Id, remedy, "district1", kind == AppealKind.MicrodistrictResolution ? "S-D1" : null), sent);
    }

    [Fact]
    public async Task Dismissed_appeal_changes_nothing_in_registry()
    {
        var appeal = await _h.File(Harness.ParentA, _h.Application(Harness.PinA, "D1"), AppealKind.Rejection);

        await _h.Answer(Harness.Officer1, appeal.Id, AppealDecision.Dismissed);

        Assert.Empty(_h.Directory.Remedies);
    }

    [Fact]
    public async Task Upheld_answer_registry_refuses_is_not_saved()
    {
        var appeal = await _h.File(Harness.ParentA, _h.Application(Harness.PinA, "D1"), AppealKind.Rejection);
        _h.Directory.RefuseRemedy = "APPLICATION_EXISTS";

        Assert.Equal("APPLICATION_EXISTS", await Harness.Refused(() => _h.Answer(Harness.Officer1, appeal.Id, AppealDecision.Upheld)));

        var still = await _h.Get(Harness.ParentA, appeal.Id);
        Assert.Equal(AppealStatus.Open, still.Status);
        Assert.Empty(_h.Published);
    }

    [Fact]
    public async Task Officer_of_another_district_cannot_uphold()
    {
        var appeal = await _h.File(Harness.ParentA, _h.Application(Harness.PinA, "D1"), AppealKind.Rejection);

        Assert.Equal("NOT_FOUND", await Harness.Refused(() => _h.Answer(Harness.Officer2, appeal.Id, AppealDecision.Upheld)));

        Assert.Empty(_h.Directory.Remedies);
    }
}
