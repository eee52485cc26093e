using Enrollment.BuildingBlocks.GraphQL;

namespace Enrollment.BuildingBlocks.Tests;

public sealed class BatchLoaderTests
{
    private sealed class SquareLoader : BatchLoader<int, string>
    {
        public List<int[]> Batches { get; } = [];

        protected override Task<IReadOnlyDictionary<int, string>> FetchAsync(IReadOnlyCollection<int> keys, CancellationToken cancellationToken)
        {
            lock (Batches)
            {
                Batches.Add([.. keys.Order()]);
            }

            IReadOnlyDictionary<int, string> result = keys.Where(k => k >= 0).ToDictionary(k => k, k => (k * k).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return Task.FromResult(result);
        }
    }

    [Fact]
    public async Task Keys_requested_together_are_fetched_in_one_batch()
    {
        var loader = new SquareLoader();
        var results = new[] { 3, 1, 2, 3 }.Select(loader.Load).ToList();

        var values = await Task.WhenAll(results.Select(r => r.GetResultAsync()));

        Assert.Equal(new string?[] { "9", "1", "4", "9" }, values);
        Assert.Equal([[1, 2, 3]], loader.Batches);
    }

    [Fact]
    public async Task Cached_keys_are_not_fetched_again_and_missing_keys_resolve_to_null()
    {
        var loader = new SquareLoader();
        Assert.Equal("4", await loader.Load(2).GetResultAsync());
        Assert.Null(await loader.Load(-5).GetResultAsync());
        Assert.Equal("4", await loader.Load(2).GetResultAsync());

        Assert.Equal([[2], [-5]], loader.Batches);
    }

    [Fact]
    public async Task Parallel_resolvers_get_consistent_answers()
    {
        var loader = new SquareLoader();
        var pending = Enumerable.Range(0, 200).Select(i => loader.Load(i % 50)).ToList();

        var values = await Task.WhenAll(pending.Select(p => Task.Run(() => p.GetResultAsync())));

        Assert.Equal(Enumerable.Range(0, 200).Select(i => (string?)((i % 50) * (i % 50)).ToString(System.Globalization.CultureInfo.InvariantCulture)), values);
        Assert.Equal(50, loader.Batches.SelectMany(b => b).Distinct().Count());
        Assert.Equal(50, loader.Batches.Sum(b => b.Length));
    }
}
