using Enrollment.Registry.Contracts;

namespace Enrollment.Registry.Tests;

public sealed class StatusChangeOrderTests
{
    private static readonly DateTimeOffset T = new(2026, 4, 1, 4, 0, 0, TimeSpan.Zero);
    private static readonly Guid A = new("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = new("00000000-0000-0000-0000-00000000000b");

    [Fact]
    public void A_later_instant_is_newer_whatever_the_sequence()
    {
        Assert.True(StatusChangeOrder.IsNewer(T.AddTicks(1), 1, A, T, 9, B));
        Assert.False(StatusChangeOrder.IsNewer(T, 9, B, T.AddTicks(1), 1, A));
    }

    [Fact]
    public void At_the_same_instant_the_higher_history_sequence_is_newer()
    {
        Assert.True(StatusChangeOrder.IsNewer(T, 3, A, T, 2, B));
        Assert.False(StatusChangeOrder.IsNewer(T, 2, B, T, 3, A));
    }

    [Fact]
    public void A_replay_of_the_same_history_entry_is_not_newer()
    {
        Assert.False(StatusChangeOrder.IsNewer(T, 2, A, T, 2, A));
    }

    [Fact]
    public void An_event_overtakes_a_rebuilt_state_of_the_same_instant_but_a_rebuild_never_overtakes_an_event()
    {
        Assert.True(StatusChangeOrder.IsNewer(T, 1, A, T, 0, null));
        Assert.False(StatusChangeOrder.IsNewer(T, 0, null, T, 1, A));
    }

    [Fact]
    public void Instants_are_compared_in_utc_whatever_the_offset()
    {
        var bishkek = T.ToOffset(TimeSpan.FromHours(6));
        Assert.False(StatusChangeOrder.IsNewer(bishkek, 1, A, T, 1, A));
    }

    [Fact]
    public void Compare_orders_a_shuffled_batch_by_instant_then_sequence()
    {
        var fact = new ApplicationFactDto(A, Guid.Empty, "k", 2019, 'F', ApplicationStatus.Submitted, "StageOne", null, [], null, false, null, T);
        ApplicationStatusChanged E(DateTimeOffset at, int seq, Guid id) => new(id, fact, null, ApplicationStatus.Submitted, at, "p", null, seq);
        var ordered = new[] { E(T, 1, B), E(T, 2, A), E(T.AddSeconds(1), 1, A) };

        var shuffled = new List<ApplicationStatusChanged> { ordered[2], ordered[0], ordered[1] };
        shuffled.Sort(StatusChangeOrder.Compare);

        Assert.Equal(ordered, shuffled);
    }
}
