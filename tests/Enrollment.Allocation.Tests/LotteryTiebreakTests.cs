using Enrollment.Allocation.Engine;

namespace Enrollment.Allocation.Tests;

public sealed class LotteryTiebreakTests
{
    [Theory]
    [InlineData("2026-stage-one", "c1", 3157969217019281353L)]
    [InlineData("seed", "S0000001", 1264167854310893486L)]
    [InlineData("", "", 7470354155728408560L)]
    public void Lottery_key_is_the_first_8_bytes_of_sha256_of_seed_colon_id_as_a_non_negative_long(string seed, string id, long expected)
    {
        // Values computed independently with Python:
        // int.from_bytes(hashlib.sha256(f"{seed}:{id}".encode()).digest()[:8], "big") & (2**63 - 1)
        Assert.Equal(expected, LotteryTiebreak.For(seed, id));
    }

    [Fact]
    public void Lottery_keys_are_non_negative_and_depend_on_seed_and_id()
    {
        var keys = Enumerable.Range(0, 1000).Select(k => LotteryTiebreak.For("s", $"c{k}")).ToList();

        Assert.All(keys, key => Assert.True(key >= 0));
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.NotEqual(LotteryTiebreak.For("s1", "c1"), LotteryTiebreak.For("s2", "c1"));
    }
}
