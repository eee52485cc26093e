using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Enrollment.Allocation.Contracts;
using Enrollment.BuildingBlocks.Time;
using Enrollment.DemoData;
using Enrollment.Host.Tests.GraphQL;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Registry;

/// <summary>
/// A seeded host on a fake clock (default: Stage One of the demo 2026/27 campaign, 2 April 12:00 Asia/Bishkek), with a
/// job server, and Allocation's ConfirmOffer/ReleaseOffer answered by <see cref="FakeOffers"/> (Allocation is built elsewhere).
/// </summary>
public class ApplicationsFactory : EnrollmentFactory
{
    public static readonly DateTimeOffset StageOneNoon = new(2026, 4, 2, 6, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset StageTwoNoon = new(2026, 6, 2, 6, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset LateEnrollment = new(2026, 8, 20, 6, 0, 0, TimeSpan.Zero);

    public FakeClock Clock { get; }

    public FakeOffers Offers { get; } = new();

    public ApplicationsFactory() : this(StageOneNoon)
    {
    }

    protected ApplicationsFactory(DateTimeOffset start) => Clock = new FakeClock(start);

    protected override bool RunJobServer => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:AccessTokenLifetime", "400.00:00:00");
        builder.UseSetting("RateLimits:SignInPerIp", "1000");
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<IClock>(Clock);
            s.AddSingleton(Offers);
            s.AddScoped<ISender>(sp => new OfferFakingSender(sp.GetRequiredService<IMediator>(), Offers));
        });
    }

    public async Task PublishAsync(INotification notification)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish(notification);
    }

    public async Task<T> SendAsync<T>(IQuery<T> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query);
    }
}

public sealed class StageTwoApplicationsFactory() : ApplicationsFactory(StageTwoNoon);

/// <summary>Allocation's offers as far as these tests need them: confirm answers an offer, release is recorded.</summary>
public sealed class FakeOffers
{
    public ConcurrentDictionary<Guid, OfferDto> Offers { get; } = new();

    public ConcurrentQueue<(Guid ApplicationId, string Reason)> Released { get; } = new();
}

internal sealed class OfferFakingSender(IMediator inner, FakeOffers offers) : ISender
{
    public ValueTask<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default) => inner.Send(request, cancellationToken);

    public ValueTask<TResponse> Send<TResponse>(ICommand<TResponse> command, CancellationToken cancellationToken = default)
    {
        switch (command)
        {
            case ConfirmOffer confirm:
                var offer = offers.Offers.TryGetValue(confirm.ApplicationId, out var o)
                    ? o with { Status = OfferStatus.Confirmed }
                    : throw new Enrollment.BuildingBlocks.Errors.RuleViolation("OFFER_NOT_FOUND", "No offer.");
                return ValueTask.FromResult((TResponse)(object)offer);
            case ReleaseOffer release:
                offers.Released.Enqueue((release.ApplicationId, release.Reason));
                return ValueTask.FromResult(default(TResponse)!);
            default:
                return inner.Send(command, cancellationToken);
        }
    }

    public ValueTask<TResponse> Send<TResponse>(IQuery<TResponse> query, CancellationToken cancellationToken = default) => inner.Send(query, cancellationToken);

    public ValueTask<object?> Send(object message, CancellationToken cancellationToken = default) => inner.Send(message, cancellationToken);

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamQuery<TResponse> query, CancellationToken cancellationToken = default) =>
        inner.CreateStream(query, cancellationToken);

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamRequest<TResponse> request, CancellationToken cancellationToken = default) =>
        inner.CreateStream(request, cancellationToken);

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamCommand<TResponse> command, CancellationToken cancellationToken = default) =>
        inner.CreateStream(command, cancellationToken);

    public IAsyncEnumerable<object?> CreateStream(object request, CancellationToken cancellationToken = default) =>
        inner.CreateStream(request, cancellationToken);
}

/// <summary>A parent and one child of the Tiny dataset.</summary>
public sealed record Family(string ParentPin, string ChildPin);

/// <summary>Families of the Tiny dataset in the situations the application rules are about, and GraphQL helpers.</summary>
public static class Families
{
    private static readonly DateOnly From = new(2019, 1, 1);
    private static readonly DateOnly To = new(2020, 12, 31);

    private static DemoDataset D => Tiny.Data;

    private static HashSet<string> NoMicrodistrict => [.. D.Anomalies.AddressesInNoMicrodistrict.Select(a => a.Pin)
        .Concat(D.Anomalies.AddressesWithCoordinatesOnlyPolygonMatchPins)];

    /// <summary>Parents (without a demo account) with a passport and a registered address in a micro-district, each with one eligible child that has a birth certificate; no child twice.</summary>
    public static IReadOnlyList<Family> Eligible { get; } = Pick(child => child.BirthDate >= From && child.BirthDate <= To && child.BirthCertificateNumber is not null);

    /// <summary>Families whose child is over the age limit (documents complete).</summary>
    public static IReadOnlyList<Family> OverAge { get; } = Pick(child => D.Anomalies.OverAgeChildPins.Contains(child.Pin) && child.BirthCertificateNumber is not null);

    private static List<Family> Pick(Func<DemoPerson, bool> childFits)
    {
        var persons = D.Persons.ToDictionary(p => p.Pin);
        var accounts = D.Accounts.Where(a => a.Pin is not null).Select(a => a.Pin!).ToHashSet();
        var addresses = D.Addresses.Select(a => a.Pin).ToHashSet();
        var usedChildren = new HashSet<string>();
        var usedParents = new HashSet<string>();
        var result = new List<Family>();
        foreach (var link in D.ParentLinks.Where(l => l.Relation is "Mother" or "Father"))
        {
            var parent = persons[link.ParentPin];
            var child = persons[link.ChildPin];
            var siblings = D.ParentLinks.Where(l => l.ParentPin == link.ParentPin).Select(l => l.ChildPin).ToList();
            if (accounts.Contains(parent.Pin) || usedParents.Contains(parent.Pin) || siblings.Any(usedChildren.Contains)
                || D.ParentLinks.Any(l => l.ChildPin == child.Pin && usedParents.Contains(l.ParentPin))
                || parent.PassportNumber is null || !addresses.Contains(parent.Pin) || NoMicrodistrict.Contains(parent.Pin)
                || parent.BirthDate.AddYears(19) > new DateOnly(2026, 1, 1) || !childFits(child))
            {
                continue;
            }

            usedParents.Add(parent.Pin);
            usedChildren.UnionWith(siblings);
            result.Add(new Family(parent.Pin, child.Pin));
        }

        return result;
    }

    public const string Password = "Strong-Passw0rd-2026!";

    public static async Task<string> SignUpAsync(this HttpClient client, Family family)
    {
        var (_, body) = await client.PostAsync("mutation($pin: String!, $p: String!) { signUp(pin: $pin, password: $p) { accessToken } }",
            new { pin = family.ParentPin, p = Password });
        if (body.ErrorCode() == "ACCOUNT_EXISTS")
        {
            return await client.LoginAsync(family.ParentPin, Password);
        }

        Assert.True(body["errors"] is null, body.ToJsonString());
        return body["data"]!["signUp"]!["accessToken"]!.GetValue<string>();
    }

    public const string Fields = """
        id status childPin submittedAt submittedInStage residentSchoolCodes commissionGrounds priorityStatus mismatches correctionDueAt
        offerSchoolCode enrolledSchoolCode rejectionReason
        choices { rank schoolCode districtCode language }
        history { from to actor reason at }
        cancellations { used limit granted remaining allowedNow }
        """;

    public static async Task<JsonNode> DraftAsync(this HttpClient client, string token, Family family)
    {
        var (_, body) = await client.PostAsync($"mutation($c: String!) {{ createDraft(childPin: $c) {{ {Fields} }} }}", new { c = family.ChildPin }, token);
        Assert.True(body["errors"] is null, body.ToJsonString());
        return body["data"]!["createDraft"]!;
    }

    /// <summary>Programs (school, language) of the given schools with approved seats.</summary>
    public static async Task<List<(string School, string Language)>> ProgramsAsync(this HttpClient client, IEnumerable<string>? schools)
    {
        var (_, body) = await client.PostAsync("query($s: [String!]) { programs(schoolCodes: $s) { schoolCode language approvedSeats } }",
            new { s = schools?.ToArray() });
        return [.. body["data"]!["programs"]!.AsArray().Where(p => p!["approvedSeats"]!.GetValue<int>() > 0)
            .Select(p => (p!["schoolCode"]!.GetValue<string>(), p["language"]!.GetValue<string>()))];
    }

    public static object SubmitInput(Family family, IEnumerable<(string School, string Language)> choices, string? key = null, bool consent = true,
        string? priority = null) => new
        {
            input = new
            {
                childPin = family.ChildPin, idempotencyKey = key, consent, priorityCategory = priority,
                contacts = new { phone = "+996 555 123456", email = "parent@example.kg", language = "ru" },
                choices = choices.Select(c => new { schoolCode = c.School, language = c.Language }).ToArray(),
            },
        };

    public static readonly string Submit = $"mutation($input: SubmitApplicationInput!) {{ submitApplication(input: $input) {{ {Fields} }} }}";

    /// <summary>Signs the family up, prepares the draft and submits it for the first program of a micro-district school.</summary>
    public static async Task<(string Token, JsonNode Application)> SubmitAsync(this HttpClient client, Family family, string? priority = null)
    {
        var token = await client.SignUpAsync(family);
        var draft = await client.DraftAsync(token, family);
        var resident = draft["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        var program = (await client.ProgramsAsync(resident)).First();
        var (_, body) = await client.PostAsync(Submit, SubmitInput(family, [program], priority: priority), token);
        Assert.True(body["errors"] is null, body.ToJsonString());
        return (token, body["data"]!["submitApplication"]!);
    }

    public static string Id(this JsonNode application) => application["id"]!.GetValue<string>();

    public static string Status(this JsonNode application) => application["status"]!.GetValue<string>();
}
