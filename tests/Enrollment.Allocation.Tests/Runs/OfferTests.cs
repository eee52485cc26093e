using Enrollment.Allocation.Contracts;
using Enrollment.Allocation.Features;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Registry.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Allocation.Tests.Runs;

/// <summary>Offers after a run: confirmation, release, expiry, reminders, Registry's status changes, seats and explanations.</summary>
public sealed class OfferTests : IDisposable
{
    private readonly RunHarness _h = new();
    private static readonly DateTimeOffset Late = RunHarness.StageOneOpens.AddDays(3.5);

    public OfferTests() => _h.Program("S1", "ky", 1);

    public void Dispose() => _h.Dispose();

    private async Task<(Guid Winner, Guid Waiting)> TwoForOneSeat()
    {
        var winner = _h.Apply(Late, ("S1:ky", 1));
        var waiting = _h.Apply(Late.AddHours(1), ("S1:ky", 2));
        await _h.Run();
        _h.FollowOffers();
        return (winner, waiting);
    }

    [Fact]
    public async Task Confirm_confirms_the_offer_and_is_idempotent()
    {
        var (winner, _) = await TwoForOneSeat();

        var confirmed = await _h.Confirm(winner);
        var again = await _h.Confirm(winner);

        Assert.Equal(OfferStatus.Confirmed, confirmed.Status);
        Assert.Equal(confirmed, again);
    }

    [Fact]
    public async Task Confirm_is_refused_without_an_offer_after_the_deadline_and_for_a_released_offer()
    {
        var (winner, waiting) = await TwoForOneSeat();

        Assert.Equal(OfferErrors.NotFound, await RunHarness.Refused(() => _h.Confirm(waiting)));
        _h.Clock.Set((await _h.OfferOf(winner))!.ConfirmBy.AddSeconds(1));
        Assert.Equal(OfferErrors.Expired, await RunHarness.Refused(() => _h.Confirm(winner)));

        _h.Clock.Set(Late.AddDays(1));
        await _h.Release(winner);
        Assert.Equal(OfferErrors.NotOpen, await RunHarness.Refused(() => _h.Confirm(winner)));
    }

    [Fact]
    public async Task Release_frees_the_seat_for_the_next_run_and_is_a_no_op_without_an_offer()
    {
        var (winner, waiting) = await TwoForOneSeat();

        var released = await _h.Release(winner);
        Assert.Equal(OfferStatus.Released, released!.Status);
        Assert.Null(await _h.Release(winner));

        _h.SetStatus(winner, ApplicationStatus.Cancelled);
        await _h.Run();
        Assert.Equal(OfferStatus.Offered, (await _h.OfferOf(waiting))!.Status);
        await _h.AssertNotOverbooked();
    }

    [Fact]
    public async Task Unconfirmed_offers_expire_after_the_deadline_publish_Expired_and_their_seats_return_to_the_next_run()
    {
        var (winner, waiting) = await TwoForOneSeat();
        var offer = (await _h.OfferOf(winner))!;

        _h.Clock.Set(offer.ConfirmBy);
        Assert.Equal(0, await _h.Expire());
        _h.Clock.Set(offer.ConfirmBy.AddMinutes(1));
        _h.Published.Clear();
        Assert.Equal(1, await _h.Expire());
        Assert.Equal(0, await _h.Expire());

        Assert.Equal(OfferStatus.Expired, (await _h.OfferOf(winner))!.Status);
        var change = Assert.Single(Assert.Single(_h.Published.OfType<OffersChanged>()).Changes);
        Assert.Equal((winner, OfferChangeKind.Expired, offer.OfferId), (change.ApplicationId, change.Kind, change.OfferId));

        _h.FollowOffers();
        await _h.Run();
        Assert.Equal(OfferStatus.Offered, (await _h.OfferOf(waiting))!.Status);
        Assert.Equal(OfferStatus.Expired, (await _h.OfferOf(winner))!.Status);
    }

    [Fact]
    public async Task Confirmed_offers_do_not_expire()
    {
        var (winner, _) = await TwoForOneSeat();
        await _h.Confirm(winner);
        _h.Clock.Advance(TimeSpan.FromDays(30));

        Assert.Equal(0, await _h.Expire());
        Assert.Equal(OfferStatus.Confirmed, (await _h.OfferOf(winner))!.Status);
    }

    [Fact]
    public async Task The_expiring_tomorrow_reminder_is_published_once_per_offer_the_day_before_the_deadline()
    {
        var (winner, _) = await TwoForOneSeat();
        var offer = (await _h.OfferOf(winner))!;

        Assert.Equal(0, await _h.Remind()); // four days ahead
        _h.Clock.Set(offer.ConfirmBy.AddHours(-30)); // the day before, Bishkek time
        Assert.Equal(1, await _h.Remind());
        Assert.Equal(0, await _h.Remind());

        var reminder = Assert.Single(_h.Published.OfType<OfferExpiring>());
        Assert.Equal((offer.OfferId, winner, offer.ConfirmBy), (reminder.OfferId, reminder.ApplicationId, reminder.ConfirmBy));
    }

    [Fact]
    public async Task Enrolled_makes_the_offer_final_and_Cancelled_or_Withdrawn_releases_it_idempotently()
    {
        _h.Program("S2", "ky", 1);
        var enrolled = _h.Apply(Late, ("S1:ky", 1));
        var cancelled = _h.Apply(Late, ("S2:ky", 1));
        await _h.Run();
        var history = Guid.NewGuid();

        await _h.StatusChanged(enrolled, ApplicationStatus.Enrolled, history);
        await _h.StatusChanged(enrolled, ApplicationStatus.Enrolled, history);
        await _h.StatusChanged(cancelled, ApplicationStatus.Cancelled);
        await _h.StatusChanged(cancelled, ApplicationStatus.Withdrawn);

        var final = (await _h.OfferOf(enrolled))!;
        Assert.Equal((OfferStatus.Enrolled, (DateTimeOffset?)null), (final.Status, final.ClosedAt));
        Assert.Equal(OfferStatus.Released, (await _h.OfferOf(cancelled))!.Status);
        await using var db = _h.Db();
        Assert.Equal(2, await db.Offers.CountAsync());
    }

    [Fact]
    public async Task Free_seats_are_approved_minus_enrolled_minus_held_and_never_negative()
    {
        _h.Program("S2", "ru", 3);
        var (winner, _) = await TwoForOneSeat();
        var enrolledElsewhere = _h.Apply(Late, ("S2:ru", 2));
        _h.SetStatus(enrolledElsewhere, ApplicationStatus.Enrolled, "S2:ru");
        var overEnrolled = _h.Apply(Late, ("S1:ky", 2));
        _h.SetStatus(overEnrolled, ApplicationStatus.Enrolled, "S1:ky"); // the school enrolled above its quota

        var seats = await _h.Seats();

        Assert.Equal(
            [new ProgramSeatsDto("S1", "ky", 1, 1, 1, 1, 0), new ProgramSeatsDto("S2", "ru", 1, 3, 1, 0, 2)],
            seats);
        Assert.Equal(["S2"], (await _h.Seats("S2")).Select(s => s.SchoolCode));
        await _h.Confirm(winner);
        Assert.Equal(1, (await _h.Seats("S1")).Single().HeldOffers);
    }

    [Fact]
    public async Task Seats_from_approved_seats_the_caller_already_read_do_not_read_the_programs_again()
    {
        _h.Program("S2", "ru", 3);
        await TwoForOneSeat();
        var fromQuotas = await _h.Seats();
        var reads = _h.Sources.ProgramReads;

        var seats = await _h.SeatsOf([new ApprovedSeatsDto("S1", "ky", 1, 1), new ApprovedSeatsDto("S2", "ru", 1, 3)]);

        Assert.Equal(reads, _h.Sources.ProgramReads);
        Assert.Equal(fromQuotas, seats);
    }

    [Fact]
    public async Task GetOffers_returns_the_latest_offer_of_each_application()
    {
        _h.Program("S0", "ky", 1);
        var holder = _h.Apply(Late, ("S0:ky", 0));
        var mover = _h.Apply(Late.AddHours(1), ("S0:ky", 1), ("S1:ky", 2));
        await _h.Run();
        _h.FollowOffers();
        _h.SetStatus(holder, ApplicationStatus.Cancelled);
        await _h.StatusChanged(holder, ApplicationStatus.Cancelled);
        await _h.Run();

        var offers = await _h.Offers(holder, mover, Guid.NewGuid());

        Assert.Equal(2, offers.Count);
        Assert.Equal(("S0", OfferStatus.Offered), offers.Where(o => o.ApplicationId == mover).Select(o => (o.SchoolCode, o.Status)).Single());
        Assert.Equal(OfferStatus.Released, offers.Single(o => o.ApplicationId == holder).Status);
    }

    [Fact]
    public async Task Explanation_shows_the_winning_class_and_rank_or_the_cutoff_and_waitlist_position()
    {
        var (winner, waiting) = await TwoForOneSeat();

        var won = (await _h.Explain(RunHarness.Ministry, winner))!;
        var lost = (await _h.Explain(RunHarness.Ministry, waiting))!;

        Assert.Equal(("S1", "Admitted", 1, 1), (won.Assigned!.SchoolCode, won.Choices[0].Outcome, won.Choices[0].PriorityClass, won.Choices[0].AdmittedRank!.Value));
        Assert.Equal(OfferStatus.Offered, won.Offer!.Status);
        var choice = Assert.Single(lost.Choices);
        Assert.Equal(("NotAdmitted", 2, 1, 1, 1), (choice.Outcome, choice.PriorityClass, choice.CutoffClass!.Value, choice.WaitlistPosition!.Value, choice.Rank));
        Assert.Null(lost.Assigned);
    }

    [Fact]
    public async Task Explanation_is_for_the_parent_of_the_child_and_staff_of_its_schools_or_district_only()
    {
        var (winner, _) = await TwoForOneSeat();
        var pin = _h.Sources.Scopes[winner].ApplicantPin;

        Assert.NotNull(await _h.Explain(new RunHarness.User("parent", Roles.Parent, null, null, pin), winner));
        Assert.NotNull(await _h.Explain(new RunHarness.User("school", Roles.SchoolAdmin, "D-S1", "S1", null), winner));
        Assert.NotNull(await _h.Explain(new RunHarness.User("district", Roles.DistrictOfficer, "D-S1", null, null), winner));
        Assert.Equal("ACCESS_DENIED", await RunHarness.Refused(() => _h.Explain(new RunHarness.User("other", Roles.Parent, null, null, "99999999999999"), winner)));
        Assert.Equal("ACCESS_DENIED", await RunHarness.Refused(() => _h.Explain(new RunHarness.User("school2", Roles.SchoolAdmin, "D-S1", "S9", null), winner)));
        Assert.Equal("ACCESS_DENIED", await RunHarness.Refused(() => _h.Explain(new RunHarness.User("district2", Roles.DistrictOfficer, "D-S9", null, null), winner)));
        Assert.Equal("ACCESS_DENIED", await RunHarness.Refused(() => _h.Explain(new RunHarness.User("analyst", Roles.Analyst, null, null, null), winner)));
        Assert.Equal("NOT_FOUND", await RunHarness.Refused(() => _h.Explain(RunHarness.Ministry, Guid.NewGuid())));
    }
}
