using System.Text.Json.Nodes;
using Enrollment.Allocation.Contracts;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Registry.Contracts;

namespace Enrollment.Host.Tests.Registry;

/// <summary>School and district staff on applications (Stage Two, then late enrollment), and Allocation's offer changes.</summary>
public sealed class SchoolSideTests(StageTwoApplicationsFactory factory) : IClassFixture<StageTwoApplicationsFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static readonly string School = Tiny.Account("SchoolAdmin").SchoolCode!;

    private async Task<(string Token, JsonNode Application)> SubmitToAsync(Family family, string school, string? priority = null)
    {
        var token = await _client.SignUpAsync(family);
        var program = (await _client.ProgramsAsync([school])).First();
        var (_, body) = await _client.PostAsync(Families.Submit, Families.SubmitInput(family, [program], priority: priority), token);
        Assert.True(body["errors"] is null, body.ToJsonString());
        return (token, body["data"]!["submitApplication"]!);
    }

    private async Task<JsonNode> Mutate(string token, string mutation, object variables)
    {
        var (_, body) = await _client.PostAsync(mutation, variables, token);
        return body;
    }

    private async Task<Guid> CampaignIdAsync() =>
        Guid.Parse((await _client.PostAsync("{ currentCampaign { id } }")).Body["data"]!["currentCampaign"]!["id"]!.GetValue<string>());

    [Fact]
    public async Task School_admin_lists_only_applications_to_their_school()
    {
        var other = (await _client.ProgramsAsync(null)).First(p => p.School != School).School;
        var (_, mine) = await SubmitToAsync(Families.Eligible[0], School);
        var (_, theirs) = await SubmitToAsync(Families.Eligible[1], other);
        var admin = await _client.LoginAsync("school", "Demo-School-2026!");

        var list = (await _client.PostAsync("{ applications(first: 200) { totalCount nodes { id choices { schoolCode } } } }", bearer: admin)).Body;
        Assert.True(list["errors"] is null, list.ToJsonString());
        var ids = list["data"]!["applications"]!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToList();
        Assert.Contains(mine.Id(), ids);
        Assert.DoesNotContain(theirs.Id(), ids);
        Assert.All(list["data"]!["applications"]!["nodes"]!.AsArray(), n => Assert.Contains(n!["choices"]!.AsArray(), c => c!["schoolCode"]!.GetValue<string>() == School));
        var asked = (await _client.PostAsync("query($s: String) { applications(schoolCode: $s) { totalCount } }", new { s = other }, admin)).Body;
        Assert.Equal(0, asked["data"]!["applications"]!["totalCount"]!.GetValue<int>());
        var direct = (await _client.PostAsync("query($id: ID!) { application(id: $id) { id } }", new { id = theirs.Id() }, admin)).Body;
        Assert.Null(direct["data"]!["application"]);

        var page = (await _client.PostAsync("{ applications(first: 1) { nodes { id } endCursor hasNextPage } }", bearer: await _client.LoginAsync("ministry", "Demo-Ministry-2026!"))).Body;
        Assert.True(page["data"]!["applications"]!["hasNextPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Rejected_priority_claim_lowers_priority_but_does_not_reject_the_application()
    {
        var (_, application) = await SubmitToAsync(Families.Eligible[2], School, priority: "Kairylman");
        Assert.Equal("CLAIMED", application["priorityStatus"]!.GetValue<string>());
        var admin = await _client.LoginAsync("school", "Demo-School-2026!");
        var id = Guid.Parse(application.Id());

        var verified = await Mutate(admin, "mutation($id: ID!) { verifyPriority(applicationId: $id, verified: true) { status priorityStatus } }", new { id });
        Assert.Equal("VERIFIED", verified["data"]!["verifyPriority"]!["priorityStatus"]!.GetValue<string>());
        Assert.Equal(0, (await factory.SendAsync(new GetAllocationInputs(await CampaignIdAsync()))).Single(a => a.ApplicationId == id).Choices[0].PriorityClass);

        var rejected = await Mutate(admin, "mutation($id: ID!) { verifyPriority(applicationId: $id, verified: false, note: \"Certificate expired\") { status priorityStatus } }", new { id });
        Assert.Equal("SUBMITTED", rejected["data"]!["verifyPriority"]!["status"]!.GetValue<string>());
        Assert.Equal("REJECTED", rejected["data"]!["verifyPriority"]!["priorityStatus"]!.GetValue<string>());
        Assert.NotEqual(0, (await factory.SendAsync(new GetAllocationInputs(await CampaignIdAsync()))).Single(a => a.ApplicationId == id).Choices[0].PriorityClass);
    }

    [Fact]
    public async Task Offer_confirmation_enrollment_withdrawal_and_late_enrollment()
    {
        var (parent, application) = await SubmitToAsync(Families.Eligible[3], School);
        var id = Guid.Parse(application.Id());
        var admin = await _client.LoginAsync("school", "Demo-School-2026!");
        var campaignId = await CampaignIdAsync();
        const string Enroll = "mutation($s: String!, $ids: [ID!]!) { enrollChildren(schoolCode: $s, orderNumber: \"12-k\", orderDate: \"2026-06-20\", applicationIds: $ids) { id status enrolledSchoolCode } }";

        Assert.Equal("NOT_ENROLLABLE", (await Mutate(admin, Enroll, new { s = School, ids = new[] { id } })).ErrorCode());

        // Allocation makes an offer (the same batch delivered twice changes the application once).
        var language = application["choices"]![0]!["language"]!.GetValue<string>();
        var confirmBy = factory.Clock.UtcNow.AddDays(5);
        var batch = new OffersChanged(Guid.NewGuid(), campaignId, [new OfferChangeDto(id, OfferChangeKind.Made, Guid.NewGuid(), School, language, 1, confirmBy)], factory.Clock.UtcNow);
        await factory.PublishAsync(batch);
        await factory.PublishAsync(batch);
        factory.Offers.Offers[id] = new OfferDto(batch.Changes[0].OfferId!.Value, id, batch.BatchId, School, language, 1, OfferStatus.Offered, factory.Clock.UtcNow, confirmBy, null);

        var confirmed = await Mutate(parent, "mutation($id: ID!) { confirmOffer(applicationId: $id) { status offerSchoolCode } }", new { id });
        Assert.True(confirmed["errors"] is null, confirmed.ToJsonString());
        Assert.Equal("CONFIRMED", confirmed["data"]!["confirmOffer"]!["status"]!.GetValue<string>());

        var enrolled = await Mutate(admin, Enroll, new { s = School, ids = new[] { id } });
        Assert.True(enrolled["errors"] is null, enrolled.ToJsonString());
        Assert.Equal("ENROLLED", enrolled["data"]!["enrollChildren"]![0]!["status"]!.GetValue<string>());
        Assert.Contains(await factory.SendAsync(new GetEnrolledCounts(campaignId, [School])), c => c.Language == language && c.Enrolled >= 1);
        Assert.Equal("WITHDRAWAL_ONLY_BY_SCHOOL", (await Mutate(parent, "mutation($id: ID!) { cancelApplication(applicationId: $id) { id } }", new { id })).ErrorCode());

        var withdrawn = await Mutate(admin, "mutation($id: ID!) { recordWithdrawal(applicationId: $id, note: \"Paper request of 25 June\") { status } }", new { id });
        Assert.Equal("WITHDRAWN", withdrawn["data"]!["recordWithdrawal"]!["status"]!.GetValue<string>());

        var history = (await _client.PostAsync("query($id: ID!) { application(id: $id) { history { from to actor } } }", new { id }, parent)).Body["data"]!["application"]!["history"]!.AsArray();
        Assert.Equal(["SUBMITTED", "OFFERED", "CONFIRMED", "ENROLLED", "WITHDRAWN"], history.Select(h => h!["to"]!.GetValue<string>()).ToList());

        // Another child expires, another is rejected with a reason from the closed list.
        var (_, expiring) = await SubmitToAsync(Families.Eligible[4], School);
        var expiringId = Guid.Parse(expiring.Id());
        await factory.PublishAsync(new OffersChanged(Guid.NewGuid(), campaignId, [new OfferChangeDto(expiringId, OfferChangeKind.Made, Guid.NewGuid(), School, language, 1, confirmBy)], factory.Clock.UtcNow));
        await factory.PublishAsync(new OffersChanged(Guid.NewGuid(), campaignId, [new OfferChangeDto(expiringId, OfferChangeKind.Expired, null, null, null, null, null)], factory.Clock.UtcNow));
        Assert.Equal("Expired", (await factory.SendAsync(new GetApplicationFacts(campaignId))).Single(f => f.ApplicationId == expiringId).Status.ToString());

        var (_, rejectedApp) = await SubmitToAsync(Families.Eligible[5], School);
        Assert.Equal("UNKNOWN_REJECTION_REASON", (await Mutate(admin, "mutation($id: ID!) { rejectApplication(applicationId: $id, reasonCode: \"NO_REASON\") { status } }", new { id = rejectedApp.Id() })).ErrorCode());
        var rejected = await Mutate(admin, "mutation($id: ID!) { rejectApplication(applicationId: $id, reasonCode: \"DUPLICATE_APPLICATION\") { status rejectionReason } }", new { id = rejectedApp.Id() });
        Assert.Equal("REJECTED", rejected["data"]!["rejectApplication"]!["status"]!.GetValue<string>());

        // After the main registration closes the school enrolls a late arrival that never had an offer.
        var (_, lateApp) = await SubmitToAsync(Families.Eligible[6], School);
        factory.Clock.Set(ApplicationsFactory.LateEnrollment);
        try
        {
            var late = await Mutate(admin, Enroll, new { s = School, ids = new[] { lateApp.Id() } });
            Assert.True(late["errors"] is null, late.ToJsonString());
            Assert.Equal("ENROLLED", late["data"]!["enrollChildren"]![0]!["status"]!.GetValue<string>());
        }
        finally
        {
            factory.Clock.Set(ApplicationsFactory.StageTwoNoon);
        }
    }

    [Fact]
    public async Task Contracts_answer_scope_recipient_and_pseudonymous_facts()
    {
        var family = Families.Eligible[7];
        var (_, application) = await SubmitToAsync(family, School);
        var id = Guid.Parse(application.Id());

        var scope = await factory.SendAsync(new GetApplicationScope(id));
        Assert.Equal(family.ParentPin, scope!.ApplicantPin);
        Assert.Contains(School, scope.SchoolCodes);
        var recipient = await factory.SendAsync(new GetNotificationRecipient(id));
        Assert.Equal("parent@example.kg", recipient!.Email);
        Assert.Equal("ru", recipient.Language);
        var fact = (await factory.SendAsync(new GetApplicationFacts(scope.CampaignId))).Single(f => f.ApplicationId == id);
        Assert.DoesNotContain(family.ChildPin, fact.ChildKey);
        Assert.Equal(32, fact.ChildKey.Length);
        Assert.Equal(fact.ChildKey, (await factory.SendAsync(new GetApplicationFacts(scope.CampaignId))).Single(f => f.ApplicationId == id).ChildKey);

        // The batch queries (the notifications delivery job) answer the same per application and leave unknown ids out.
        var scopes = await factory.SendAsync(new GetApplicationScopes([id, Guid.NewGuid(), id]));
        var batched = Assert.Single(scopes);
        Assert.Equal((scope.ApplicationId, scope.CampaignId, scope.ApplicantPin), (batched.ApplicationId, batched.CampaignId, batched.ApplicantPin));
        Assert.Equal(scope.SchoolCodes, batched.SchoolCodes);
        Assert.Equal(scope.DistrictCodes, batched.DistrictCodes);
        Assert.Equal(recipient, Assert.Single(await factory.SendAsync(new GetNotificationRecipients([Guid.NewGuid(), id]))));
    }

    [Fact]
    public async Task Switching_or_cancelling_an_offered_application_releases_the_offer()
    {
        var (parent, application) = await SubmitToAsync(Families.Eligible[8], School);
        var id = Guid.Parse(application.Id());
        var campaignId = await CampaignIdAsync();
        var language = application["choices"]![0]!["language"]!.GetValue<string>();
        async Task OfferAsync() => await factory.PublishAsync(new OffersChanged(Guid.NewGuid(), campaignId,
            [new OfferChangeDto(id, OfferChangeKind.Made, Guid.NewGuid(), School, language, 1, factory.Clock.UtcNow.AddDays(5))], factory.Clock.UtcNow));

        await OfferAsync();
        var switched = await Mutate(parent, "mutation($id: ID!, $c: [ChoiceInput!]!) { switchApplication(applicationId: $id, choices: $c) { status offerSchoolCode } }",
            new { id, c = new[] { new { schoolCode = School, language } } });
        Assert.True(switched["errors"] is null, switched.ToJsonString());
        Assert.Equal("SUBMITTED", switched["data"]!["switchApplication"]!["status"]!.GetValue<string>());
        Assert.Contains(factory.Offers.Released, r => r.ApplicationId == id);

        await OfferAsync();
        var cancelled = await Mutate(parent, "mutation($id: ID!) { cancelApplication(applicationId: $id) { status } }", new { id });
        Assert.Equal("CANCELLED", cancelled["data"]!["cancelApplication"]!["status"]!.GetValue<string>());
        Assert.Equal(2, factory.Offers.Released.Count(r => r.ApplicationId == id));
    }
}
