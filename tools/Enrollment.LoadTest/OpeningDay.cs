using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Enrollment.LoadTest;

/// <summary>A parent ready for the opening: signed in (token), with the one choice (school, language) per child.</summary>
public sealed record PreparedParent(LoadFamily Family, string Token, IReadOnlyList<(string ChildPin, string School, string Language)> Submits);

/// <summary>One acknowledged submit: the child and the application the API answered with.</summary>
public sealed record Acknowledged(string ChildPin, string ApplicationId, string Status);

public sealed record PrepareResult(IReadOnlyList<PreparedParent> Parents, int Drafts, int WithoutChoice, TimeSpan Elapsed, Stats Stats);

public sealed record OpeningResult(IReadOnlyList<Acknowledged> Acknowledged, int Refused, long Requests, TimeSpan Elapsed, Stats Stats);

public sealed record VerifyResult(int Listed, int OpenDataApplications, IReadOnlyList<string> Failures)
{
    public bool Ok => Failures.Count == 0;
}

/// <summary>
/// The opening morning of Stage One, replayed over HTTP against a running host:
/// <see cref="PrepareAsync"/> (the day before: sign-up, drafts for a share, the micro-district school of everyone),
/// <see cref="OpenAsync"/> (every prepared child's application submitted, interleaved with open-data reads and admin
/// list pages, for a bounded time and number of requests) and <see cref="VerifyAsync"/> (through the API: every
/// acknowledged submit exists exactly once, no child has two active applications, open data counts what was submitted).
/// </summary>
public sealed class OpeningDay(HttpClient http, Func<HttpClient> newCookieClient, LoadOptions options)
{
    private const string ApplicationFields = "id status childPin residentSchoolCodes";

    public async Task<PrepareResult> PrepareAsync(IReadOnlyList<LoadFamily> families, CancellationToken ct = default)
    {
        var stats = new Stats();
        var api = new Api(http, stats);
        var watch = Stopwatch.StartNew();
        var programs = await ProgramsAsync(api, ct);
        var prepared = new ConcurrentBag<PreparedParent>();
        int drafts = 0, withoutChoice = 0, done = 0;
        var draftEvery = options.DraftShare <= 0 ? int.MaxValue : (int)Math.Max(1, Math.Round(1 / options.DraftShare));
        await Parallel.ForEachAsync(families.Select((f, i) => (f, i)), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct },
            async (item, token) =>
            {
                var (family, index) = item;
                var signUp = await api.GraphQLAsync("prepare.signUp", "mutation($pin: String!, $p: String!) { signUp(pin: $pin, password: $p) { accessToken } }",
                    new { pin = family.ParentPin, p = options.Password }, null, token);
                var access = signUp.Data("signUp")?["accessToken"]?.GetValue<string>();
                if (signUp.Error == "ACCOUNT_EXISTS")
                {
                    access = await SignInAsync(api, "prepare.signIn", family.ParentPin, token);
                }

                if (access is null)
                {
                    return;
                }

                var submits = new List<(string, string, string)>();
                IReadOnlyList<string>? resident = null;
                foreach (var child in family.ChildPins)
                {
                    if (index % draftEvery == 0)
                    {
                        var draft = await api.GraphQLAsync("prepare.createDraft", $"mutation($c: String!) {{ createDraft(childPin: $c) {{ {ApplicationFields} }} }}",
                            new { c = child }, access, token);
                        if (draft.Data("createDraft") is { } d)
                        {
                            Interlocked.Increment(ref drafts);
                            resident = [.. d["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>())];
                        }
                    }

                    resident ??= await ResidentSchoolsAsync(api, family.Address, token);
                    var choice = resident.SelectMany(s => programs.TryGetValue(s, out var languages) ? languages.Select(l => (School: s, Language: l)) : [])
                        .FirstOrDefault();
                    if (choice.School is null)
                    {
                        Interlocked.Increment(ref withoutChoice);
                        continue;
                    }

                    submits.Add((child, choice.School, choice.Language));
                }

                prepared.Add(new PreparedParent(family, access, submits));
                if (Interlocked.Increment(ref done) % 5000 == 0)
                {
                    options.Log($"  prepared {done:N0} parents in {watch.Elapsed.TotalSeconds:N0} s");
                }
            });
        return new PrepareResult([.. prepared.OrderBy(p => p.Family.ParentPin, StringComparer.Ordinal)], drafts, withoutChoice, watch.Elapsed, stats);
    }

    public async Task<OpeningResult> OpenAsync(IReadOnlyList<PreparedParent> parents, CancellationToken ct = default)
    {
        var stats = new Stats();
        var api = new Api(http, stats);
        var admin = newCookieClient();
        var adminIn = options.AdminEvery > 0 && await Api.AdminSignInAsync(admin, options.AdminUser, options.AdminPassword, ct);
        if (options.AdminEvery > 0 && !adminIn)
        {
            stats.Error("admin.signIn", "FAILED");
        }

        var work = new ConcurrentQueue<(PreparedParent Parent, int Index)>(parents.Select((p, i) => (p, i)));
        var acknowledged = new ConcurrentBag<Acknowledged>();
        var refused = 0;
        long requests = 0, submits = 0;
        var signInEvery = options.SignInShare <= 0 ? int.MaxValue : (int)Math.Max(1, Math.Round(1 / options.SignInShare));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Duration);
        var stop = timeout.Token;
        var watch = Stopwatch.StartNew();

        bool Take() => Interlocked.Increment(ref requests) <= options.MaxRequests && !stop.IsCancellationRequested;

        async Task Worker()
        {
            while (!stop.IsCancellationRequested && work.TryDequeue(out var next))
            {
                var (parent, index) = next;
                var token = parent.Token;
                if (index % signInEvery == 0 && Take())
                {
                    token = await SignInAsync(api, "signIn", parent.Family.ParentPin, CancellationToken.None) ?? token;
                }

                foreach (var (child, school, language) in parent.Submits)
                {
                    if (!Take())
                    {
                        return;
                    }

                    var n = Interlocked.Increment(ref submits);
                    var outcome = await SubmitAsync(api, token, child, school, language, Take);
                    if (outcome is { } ack)
                    {
                        acknowledged.Add(ack);
                    }
                    else
                    {
                        Interlocked.Increment(ref refused);
                    }

                    if (options.OpenDataEvery > 0 && n % options.OpenDataEvery == 0 && Take())
                    {
                        await OpenDataReadAsync(api, n, CancellationToken.None);
                    }

                    if (adminIn && n % options.AdminEvery == 0 && Take())
                    {
                        await api.PageAsync(admin, "admin.applications", $"/admin/registry/applications?page={1 + n % 5}", CancellationToken.None);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(Worker, CancellationToken.None)));
        watch.Stop();
        admin.Dispose();
        return new OpeningResult([.. acknowledged], refused, Math.Min(requests, options.MaxRequests), watch.Elapsed, stats);
    }

    /// <summary>One submit, retried with the same idempotency key after a 5xx or a transport error; null when refused.</summary>
    private async Task<Acknowledged?> SubmitAsync(Api api, string token, string child, string school, string language, Func<bool> take)
    {
        var variables = new
        {
            input = new
            {
                childPin = child, idempotencyKey = options.KeyPrefix + child, consent = true,
                contacts = new { phone = "+996 555 123456", email = "parent@example.kg", language = "ru" },
                choices = new[] { new { schoolCode = school, language } },
            },
        };
        for (var attempt = 0; ; attempt++)
        {
            var reply = await api.GraphQLAsync("submit", $"mutation($input: SubmitApplicationInput!) {{ submitApplication(input: $input) {{ {ApplicationFields} }} }}",
                variables, token, CancellationToken.None);
            if (reply.Data("submitApplication") is { } a)
            {
                return new Acknowledged(child, a["id"]!.GetValue<string>(), a["status"]!.GetValue<string>());
            }

            var retryable = reply.Status >= 500 || reply.Error?.StartsWith("TRANSPORT", StringComparison.Ordinal) == true;
            if (!retryable || attempt >= options.SubmitRetries || !take())
            {
                return null;
            }

            await Task.Delay(100 * (attempt + 1));
        }
    }

    private static async Task OpenDataReadAsync(Api api, long n, CancellationToken ct)
    {
        switch (n / 20 % 3)
        {
            case 0:
                await api.GraphQLAsync("openData.regions", "{ openDataRegions { regionCode nameRu schools participatingSchools } }", null, null, ct);
                break;
            case 1:
                await api.GraphQLAsync("openData.applications", "{ openDataApplications(level: REGION) { areaCode language stage status applications } }", null, null, ct);
                break;
            default:
                await api.GraphQLAsync("openData.currentStage", "{ currentStage { campaignName stage nextChangeAt } }", null, null, ct);
                break;
        }
    }

    private const int MaxRateLimitWaits = 120;

    private static readonly TimeSpan RateLimitWait = TimeSpan.FromSeconds(5);

    private static bool IsRateLimited(Reply reply) => reply.Status == 429 || reply.Error == "RATE_LIMITED";

    public async Task<VerifyResult> VerifyAsync(IReadOnlyList<Acknowledged> acknowledged, CancellationToken ct = default)
    {
        var api = new Api(http, new Stats());
        var failures = new List<string>();
        var token = await SignInAsync(api, "verify.signIn", options.AdminUser, ct);
        if (token is null)
        {
            return new VerifyResult(0, 0, ["the admin account could not sign in to verify"]);
        }

        // Every application staff can list (drafts are not listed), paged in a stable order.
        var listed = new List<(string Id, string ChildPin, string Status)>();
        string? after = null;
        var waits = 0;
        while (true)
        {
            var page = await api.GraphQLAsync("verify.applications",
                "query($after: String) { applications(first: 200, after: $after) { totalCount endCursor hasNextPage nodes { id childPin status } } }",
                new { after }, token, ct);
            var connection = page.Data("applications");
            if (connection is null && IsRateLimited(page) && ++waits <= MaxRateLimitWaits)
            {
                // One staff account pages through every application (300 pages at the national size): past the
                // per-account limit it waits as a well-behaved client would, then asks for the same page again.
                await Task.Delay(RateLimitWait, ct);
                continue;
            }

            if (connection is null)
            {
                return new VerifyResult(listed.Count, 0, [$"listing applications failed: {page.Error}"]);
            }

            listed.AddRange(connection["nodes"]!.AsArray().Select(n => (n!["id"]!.GetValue<string>(), n["childPin"]!.GetValue<string>(), n["status"]!.GetValue<string>())));
            after = connection["hasNextPage"]!.GetValue<bool>() ? connection["endCursor"]!.GetValue<string>() : null;
            if (after is null)
            {
                break;
            }
        }

        var byId = listed.GroupBy(a => a.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var lost = acknowledged.Where(a => !byId.ContainsKey(a.ApplicationId)).ToList();
        var twice = byId.Where(x => x.Value > 1).ToList();
        var ackPerChild = acknowledged.GroupBy(a => a.ChildPin, StringComparer.Ordinal).Where(g => g.Select(a => a.ApplicationId).Distinct().Count() > 1).ToList();
        string[] inactive = ["Cancelled", "Withdrawn", "Rejected", "Expired", "Draft"];
        var doubleActive = listed.Where(a => !inactive.Contains(a.Status)).GroupBy(a => a.ChildPin, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
        if (lost.Count > 0)
        {
            failures.Add($"{lost.Count} acknowledged submit(s) not found, e.g. {lost[0].ApplicationId} (child {lost[0].ChildPin})");
        }

        if (twice.Count > 0)
        {
            failures.Add($"{twice.Count} application(s) listed more than once, e.g. {twice[0].Key}");
        }

        if (ackPerChild.Count > 0)
        {
            failures.Add($"{ackPerChild.Count} child(ren) acknowledged with two different applications, e.g. {ackPerChild[0].Key}");
        }

        if (doubleActive.Count > 0)
        {
            failures.Add($"{doubleActive.Count} child(ren) with two active applications, e.g. {doubleActive[0].Key}");
        }

        var openData = await api.GraphQLAsync("verify.openData", "{ openDataApplications(level: NATIONAL) { applications } }", null, null, ct);
        var rows = openData.Data("openDataApplications")?.AsArray();
        var openDataCount = rows?.Sum(r => r!["applications"]!.GetValue<int>()) ?? -1;
        if (rows is null)
        {
            failures.Add($"open data could not be read: {openData.Error}");
        }
        else if (openDataCount != listed.Count)
        {
            failures.Add($"open data counts {openDataCount:N0} applications, the API lists {listed.Count:N0}");
        }

        return new VerifyResult(listed.Count, openDataCount, failures);
    }

    private async Task<string?> SignInAsync(Api api, string operation, string userName, CancellationToken ct)
    {
        var password = userName == options.AdminUser ? options.AdminPassword : options.Password;
        var reply = await api.GraphQLAsync(operation, "mutation($u: String!, $p: String!) { login(userName: $u, password: $p) { accessToken } }",
            new { u = userName, p = password }, null, ct);
        return reply.Data("login")?["accessToken"]?.GetValue<string>();
    }

    /// <summary>School code → languages with approved first-grade seats (public <c>programs</c>).</summary>
    private static async Task<Dictionary<string, List<string>>> ProgramsAsync(Api api, CancellationToken ct)
    {
        var reply = await api.GraphQLAsync("prepare.programs", "{ programs { schoolCode language grade approvedSeats } }", null, null, ct);
        var programs = reply.Data("programs")?.AsArray() ?? throw new InvalidOperationException($"Reading the programs failed: {reply.Error}");
        return programs.Where(p => p!["approvedSeats"]!.GetValue<int>() > 0 && p["grade"]!.GetValue<int>() == 1)
            .GroupBy(p => p!["schoolCode"]!.GetValue<string>(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p!["language"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
    }

    private static async Task<IReadOnlyList<string>> ResidentSchoolsAsync(Api api, LoadAddress? address, CancellationToken ct)
    {
        if (address is null)
        {
            return [];
        }

        var reply = await api.GraphQLAsync("prepare.resolve", "query($a: AddressInput!) { resolveMicrodistrict(address: $a) { matches { schoolCode } } }",
            new { a = new { settlementCode = address.SettlementCode, street = address.Street, house = address.House, latitude = address.Latitude, longitude = address.Longitude } },
            null, ct);
        return [.. (reply.Data("resolveMicrodistrict")?["matches"]?.AsArray() ?? []).Select(m => m!["schoolCode"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal)];
    }
}
