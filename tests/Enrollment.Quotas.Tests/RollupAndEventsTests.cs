using Enrollment.Quotas.Contracts;

namespace Enrollment.Quotas.Tests;

/// <summary>Roll-ups against the eligible children (Registry counts per micro-district school), and the QuotaApproved event.</summary>
public sealed class RollupAndEventsTests : IDisposable
{
    private static readonly DateTimeOffset InWindow = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);
    private readonly Harness _h = new();

    public RollupAndEventsTests() => _h.AddDefaultCampaign(2026);

    [Fact]
    public async Task Children_are_shared_over_a_schools_languages_by_approved_seats_and_the_shortfall_says_which_classes_to_open()
    {
        _h.Clock.Set(InWindow);
        var ky = await _h.Save(Harness.SchoolAdmin1, "S1", "ky", 3, 90);
        var ru = await _h.Save(Harness.SchoolAdmin1, "S1", "ru", 1, 30);
        await _h.Submit(Harness.SchoolAdmin1, "S1");
        await _h.Approve(Harness.Officer1, false, ky.Id, ru.Id);
        _h.EligibleChildren["S1"] = 200; // S1 teaches ky (90 seats) and ru (30 seats): 150 and 50 children
        _h.EligibleChildren["S2"] = 40;  // S2 (ky only, district D2) has no quota yet: all 40 children lack seats
        _h.EligibleChildren[""] = 7;     // addresses no micro-district claims: not attributed to an area

        var rows = await _h.Rollup(Harness.Ministry, RollupLevel.District);

        Assert.Equal(
            [("D1", "ky", 90, 150, 60, 2), ("D1", "ru", 30, 50, 20, 1), ("D2", "ky", 0, 40, 40, 2)],
            rows.Select(r => (r.Key, r.Language!, r.ApprovedSeats, r.EligibleChildren!.Value, r.Shortfall, r.ClassesToOpen)));
        var byLanguage = await _h.Rollup(Harness.Ministry, RollupLevel.Language);
        Assert.Equal([("ky", 190, 100), ("ru", 50, 20)], byLanguage.Select(r => (r.Key, r.EligibleChildren!.Value, r.Shortfall)));
        var byRegion = await _h.Rollup(Harness.Ministry, RollupLevel.Region);
        Assert.Equal(240, byRegion.Sum(r => r.EligibleChildren));
    }

    [Fact]
    public async Task A_school_without_approved_seats_shares_its_children_equally_over_its_languages_and_no_shortfall_when_seats_suffice()
    {
        _h.EligibleChildren["S1"] = 60;
        var rows = await _h.Rollup(Harness.Ministry, RollupLevel.District);
        Assert.Equal([("D1", "ky", 30, 30), ("D1", "ru", 30, 30)], rows.Select(r => (r.Key, r.Language!, r.EligibleChildren!.Value, r.Shortfall)));

        _h.Clock.Set(InWindow);
        var ky = await _h.Save(Harness.SchoolAdmin1, "S1", "ky", 3, 90);
        await _h.Submit(Harness.SchoolAdmin1, "S1");
        await _h.Approve(Harness.Officer1, false, ky.Id);
        var after = Assert.Single(await _h.Rollup(Harness.Ministry, RollupLevel.District));
        Assert.Equal(("ky", 60, 0, 0), (after.Language, after.EligibleChildren!.Value, after.Shortfall, after.ClassesToOpen));
    }

    [Fact]
    public async Task A_district_officer_sees_only_the_children_and_seats_of_the_district()
    {
        _h.EligibleChildren["S1"] = 60;
        _h.EligibleChildren["S2"] = 40;
        var rows = await _h.Rollup(Harness.Officer2, RollupLevel.District, district: "D1");
        Assert.Equal([("D2", "ky", 40)], rows.Select(r => (r.Key, r.Language!, r.EligibleChildren!.Value)));
    }

    [Fact]
    public async Task QuotaApproved_is_published_after_each_approval_and_extra_seats_but_not_for_a_refusal()
    {
        _h.Clock.Set(InWindow);
        var ky = await _h.Save(Harness.SchoolAdmin1, "S1", "ky", 1, 40);
        var ru = await _h.Save(Harness.SchoolAdmin1, "S1", "ru", 1, 30);
        await _h.Submit(Harness.SchoolAdmin1, "S1");
        await Harness.Refused(() => _h.Approve(Harness.Officer1, false, ky.Id, ru.Id)); // class-size warning not acknowledged
        Assert.Empty(_h.Approvals);

        await _h.Approve(Harness.Officer1, true, ky.Id, ru.Id);
        Assert.Equal([("ky", 0, 40, "Approve", "district1"), ("ru", 0, 30, "Approve", "district1")],
            _h.Approvals.Select(a => (a.Language, a.OldApprovedSeats, a.ApprovedSeats, a.Action, a.ChangedBy)).OrderBy(a => a.Language));
        Assert.All(_h.Approvals, a => Assert.Equal(("S1", "D1", "R1", 1, InWindow), (a.SchoolCode, a.DistrictCode, a.RegionCode, a.Grade, a.At)));
        Assert.Equal(2, _h.Approvals.Select(a => a.ChangeId).Distinct().Count());

        var after = new DateTimeOffset(2026, 3, 20, 6, 0, 0, TimeSpan.Zero);
        _h.Clock.Set(after);
        await _h.Announce(SwitchKind.ExtraQuotaWindow, after.AddHours(1), after.AddDays(1), "S1");
        _h.Clock.Set(after.AddHours(2));
        await _h.AddExtra("S1", "ru", 1, 25);
        var extra = _h.Approvals[^1];
        Assert.Equal((ru.Id, "AddExtraSeats", 30, 55, 2, "ministry"), (extra.QuotaId, extra.Action, extra.OldApprovedSeats, extra.ApprovedSeats, extra.ApprovedClasses, extra.ChangedBy));
        Assert.Equal(["Edit", "Submit", "Approve", "AddExtraSeats"], (await _h.History(Harness.Ministry, ru.Id)).Select(c => c.Action));
    }

    public void Dispose() => _h.Dispose();
}
