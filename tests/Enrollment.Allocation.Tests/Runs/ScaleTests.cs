using System.Diagnostics;
using Enrollment.Allocation.Contracts;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Enrollment.Allocation.Tests.Runs;

/// <summary>
/// A larger random season on the real database: runs, confirmations, cancellations, expiries, runs again — never
/// overbooked, and a run on unchanged inputs changes nothing. Size: ALLOCATION_SCALE_APPLICATIONS (default 3,000;
/// docs/benchmarks.md records a national-size run measured with it).
/// </summary>
public sealed class ScaleTests(ITestOutputHelper output) : IDisposable
{
    private readonly RunHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Random_season_never_overbooks_and_a_repeated_run_changes_nothing()
    {
        var applications = int.TryParse(Environment.GetEnvironmentVariable("ALLOCATION_SCALE_APPLICATIONS"), out var n) ? n : 3_000;
        var random = new Random(20260401);
        var programs = new List<string>();
        for (var s = 0; s < Math.Max(10, applications / 130); s++)
        {
            foreach (var language in new[] { "ky", "ru", "uz" }.Take(1 + (s % 3)))
            {
                _h.Program($"S{s:D4}", language, 10 + random.Next(40));
                programs.Add($"S{s:D4}:{language}");
            }
        }

        var ids = new List<Guid>();
        for (var i = 0; i < applications; i++)
        {
            var choices = programs.OrderBy(_ => random.Next()).Take(1 + random.Next(5)).Select(p => (p, random.Next(3))).ToArray();
            ids.Add(_h.Apply(RunHarness.StageOneOpens.AddSeconds(random.Next(6 * 24 * 3600)), choices));
        }

        var watch = Stopwatch.StartNew();
        var first = await _h.Run();
        output.WriteLine($"{applications} applications, {programs.Count} programs: first run {watch.ElapsedMilliseconds} ms (engine+commit {first.DurationMs} ms), {first.Offers} offers");
        _h.FollowOffers();
        await _h.AssertNotOverbooked();

        var offered = (await _h.Offers([.. ids])).Where(o => o.Status == OfferStatus.Offered).Select(o => o.ApplicationId).ToList();
        foreach (var id in offered.Where((_, k) => k % 3 == 0))
        {
            await _h.Confirm(id);
        }

        foreach (var id in ids.Where((_, k) => k % 11 == 0))
        {
            _h.SetStatus(id, Registry.Contracts.ApplicationStatus.Cancelled);
            await _h.StatusChanged(id, Registry.Contracts.ApplicationStatus.Cancelled);
        }

        _h.Clock.Advance(TimeSpan.FromDays(7));
        await _h.Expire();
        _h.FollowOffers();
        watch.Restart();
        var second = await _h.Run();
        output.WriteLine($"second run {watch.ElapsedMilliseconds} ms: {second.Offers} offers, {second.MovedUp} moved up, {second.Kept} kept");
        _h.FollowOffers();
        await _h.AssertNotOverbooked();
        Assert.True(second.MovedUp > 0);

        await using (var db = _h.Db())
        {
            var before = await db.Offers.CountAsync();
            var third = await _h.Run();
            Assert.Equal((0, 0), (third.Offers, third.MovedUp));
            Assert.Equal(before, await db.Offers.CountAsync());
        }
    }
}
