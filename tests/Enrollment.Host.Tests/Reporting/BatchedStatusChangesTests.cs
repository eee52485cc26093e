using System.Net;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Registry.Contracts;

namespace Enrollment.Host.Tests.Reporting;

/// <summary>Registry's submit queue publishes one <see cref="ApplicationStatusesChanged"/> per committed batch (ADR 0601).</summary>
[Collection(HostCollection.Name)]
public sealed class BatchedStatusChangesTests(ReportingFactory factory) : IClassFixture<ReportingFactory>
{
    private static readonly DateTimeOffset Day = new(2026, 5, 11, 3, 0, 0, TimeSpan.Zero); // 09:00 in Bishkek, a day no other test uses

    [Fact]
    public async Task Concurrent_batches_single_events_and_redeliveries_count_every_submit_of_the_day_once()
    {
        var events = new ReportingEvents(factory);
        var campaign = await events.CampaignIdAsync();
        var schools = ReportingEvents.Participating;
        var submits = Enumerable.Range(0, 120).Select(i => events.Submitted(campaign, schools[i % schools.Count], Day.AddSeconds(i))).ToList();
        var publishes = new List<Func<Task>>();
        publishes.AddRange(submits.Take(60).Chunk(6).Select(batch => (Func<Task>)(() => events.PublishAsync(new ApplicationStatusesChanged(batch)))));
        publishes.AddRange(submits.Skip(60).Select(e => (Func<Task>)(() => events.PublishAsync(e))));
        publishes.AddRange(submits.Take(60).Where((_, i) => i % 5 == 0).Select(e => (Func<Task>)(() => events.PublishAsync(e))));
        var start = new TaskCompletionSource();
        var running = publishes.Select(p => Task.Run(async () =>
        {
            await start.Task;
            await p();
        })).ToList();

        start.SetResult();
        await Task.WhenAll(running);

        var (status, body) = await factory.CreateClient().PostAsync("{ openDataDaily { day regionCode submitted } }");
        Assert.Equal(HttpStatusCode.OK, status);
        var day = body["data"]!["openDataDaily"]!.AsArray().Where(d => d!["day"]!.GetValue<string>() == "2026-05-11").ToList();
        Assert.Equal(120, day.Sum(d => d!["submitted"]!.GetValue<int>()));
        var expected = submits.GroupBy(e => ReportingEvents.RegionOf(schools.Single(s => s.Code == e.Application.Choices[0].SchoolCode)))
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected, day.ToDictionary(d => d!["regionCode"]!.GetValue<string>(), d => d!["submitted"]!.GetValue<int>()));
    }
}
