using System.Net;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Reporting;

/// <summary>A host that keeps open-data answers for ten minutes (the most allowed) (production keeps them 15 s).</summary>
public sealed class KeptOpenDataFactory : EnrollmentFactory
{
    protected override string OpenDataMaxAge => "00:10:00";
}

/// <summary>ADR 0912 in the real host: open data is computed once per maximum age, and the CSV ETag names the data it serves.</summary>
[Collection(HostCollection.Name)]
public sealed class OpenDataAnswersHostTests(KeptOpenDataFactory factory) : IClassFixture<KeptOpenDataFactory>
{
    private const string Csv = "/open-data/applications.csv?level=national";

    [Fact]
    public async Task Within_the_maximum_age_open_data_serves_the_kept_answer_and_its_ETag_still_names_that_answer()
    {
        var events = new ReportingEvents(factory);
        var school = ReportingEvents.Participating[0];
        var day = new DateTimeOffset(2026, 5, 12, 3, 0, 0, TimeSpan.Zero);
        await events.SubmitAsync(school, day);
        using var client = factory.CreateClient();
        var first = await client.GetAsync(Csv);
        var firstBody = await first.Content.ReadAsStringAsync();
        var etag = first.Headers.ETag!;
        var counted = await NationalAsync(client);
        Assert.Equal(1, await DayAsync(client));

        await events.SubmitAsync(school, day.AddMinutes(1)); // the read model changes; the kept answer stands for the maximum age

        var second = await client.GetAsync(Csv);
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        Assert.Equal(etag, second.Headers.ETag);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, Csv) { Headers = { IfNoneMatch = { etag } } };
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);
        Assert.Equal(counted, await NationalAsync(client));
        Assert.Equal(1, await DayAsync(client)); // kept as well: the second submit is not in it yet
    }

    private static async Task<int> DayAsync(HttpClient client)
    {
        var (_, daily) = await client.PostAsync("{ openDataDaily { day submitted } }");
        return daily["data"]!["openDataDaily"]!.AsArray().Where(d => d!["day"]!.GetValue<string>() == "2026-05-12").Sum(d => d!["submitted"]!.GetValue<int>());
    }

    private static async Task<int> NationalAsync(HttpClient client)
    {
        var (_, body) = await client.PostAsync("{ openDataApplications(level: NATIONAL) { applications } }");
        Assert.Null(body["errors"]);
        return body["data"]!["openDataApplications"]!.AsArray().Sum(r => r!["applications"]!.GetValue<int>());
    }
}
