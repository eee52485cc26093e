using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Enrollment.Host.Tests;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Registry;
using Enrollment.Host.Tests.Scale;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Enrollment.Process.Tests;

/// <summary>
/// The database cannot take writes — locked by another writer beyond the busy timeout, or the disk is full: a submission
/// fails with the retryable TEMPORARILY_UNAVAILABLE (extensions.retryAfterSeconds, HTTP Retry-After), nothing is
/// half-saved, reads go on, and the same request succeeds once the database can write again.
/// </summary>
public sealed class DatabaseFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Database_locked_beyond_the_busy_timeout_gives_a_retryable_error_reads_go_on_and_the_retry_succeeds()
    {
        await using var env = new HostEnvironment(output, ApplicationsFactory.StageOneNoon);
        var host = await env.StartAsync();
        var p = (await KillRestartTests.PrepareAsync(host.Client, Families.Eligible.Take(1))).Single();

        await using (await WriteLock.SqliteAsync(env.DatabaseFile))
        {
            var submit = SubmitRawAsync(host.Client, p);
            var read = Stopwatch.StartNew();
            var (readStatus, openData) = await host.Client.PostAsync("{ openDataRegions { regionCode schools } }");
            Assert.Equal(HttpStatusCode.OK, readStatus);
            Assert.Null(openData["errors"]);
            Assert.True(read.Elapsed < TimeSpan.FromSeconds(5), $"a read waited {read.Elapsed} for the writer");

            var (response, body) = await submit;
            output.WriteLine(body.ToJsonString());
            AssertRetryable(response, body);
        }

        var (_, retry) = await host.Client.PostAsync(Families.Submit, p.Input, p.Token);
        Assert.True(retry["errors"] is null, retry.ToJsonString());
        Assert.Equal(1L, KillRestartTests.Scalar(env, "SELECT count(*) FROM registry_application WHERE status = 'Submitted'"));
        KillRestartTests.AssertIntact(env);
    }

    [TmpfsFact]
    public async Task Disk_full_gives_retryable_errors_never_corrupts_and_the_host_recovers_when_space_returns()
    {
        using var disk = Tmpfs.Mount(megabytes: 96);
        await using var env = new HostEnvironment(output, ApplicationsFactory.StageOneNoon, parentDirectory: disk.Path);
        var host = await env.StartAsync();
        var prepared = await KillRestartTests.PrepareAsync(host.Client, Families.Eligible.Take(10));
        output.WriteLine($"database {new FileInfo(env.DatabaseFile).Length / 1024} KiB; free before filling {disk.FreeBytes / 1024} KiB");

        // Shrink the WAL first, so the space it already holds cannot absorb the writes that follow.
        using (var checkpoint = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = env.DatabaseFile, Pooling = false }.ToString()))
        {
            checkpoint.Open();
            using var command = checkpoint.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout=10000; PRAGMA wal_checkpoint(TRUNCATE);";
            command.ExecuteNonQuery();
        }

        var filler = Path.Combine(disk.Path, "filler");
        disk.Fill(filler);
        var acknowledged = new List<KillRestartTests.Prepared>();
        var refused = new List<KillRestartTests.Prepared>();
        foreach (var p in prepared)
        {
            var (response, body) = await SubmitRawAsync(host.Client, p);
            if (body["errors"] is null)
            {
                acknowledged.Add(p);
            }
            else
            {
                output.WriteLine(body.ToJsonString());
                AssertRetryable(response, body);
                refused.Add(p);
            }
        }

        output.WriteLine($"disk full: {acknowledged.Count} submissions went through (space already held by the WAL), {refused.Count} refused");
        Assert.NotEmpty(refused);
        var (_, read) = await host.Client.PostAsync("{ openDataRegions { regionCode schools } }");
        Assert.Null(read["errors"]);

        File.Delete(filler);
        foreach (var p in refused)
        {
            var (_, retry) = await host.Client.PostAsync(Families.Submit, p.Input, p.Token);
            Assert.True(retry["errors"] is null, retry.ToJsonString());
        }

        host.Kill();
        await env.StartAsync();
        Assert.Equal(prepared.Count, KillRestartTests.Scalar(env, "SELECT count(*) FROM registry_application WHERE status = 'Submitted'"));
        KillRestartTests.AssertIntact(env);
    }

    [Fact]
    public async Task Admin_page_post_under_a_locked_database_answers_503_with_the_typed_fields_kept_saves_nothing_and_the_retry_succeeds()
    {
        await using var env = new HostEnvironment(output, ApplicationsFactory.StageOneNoon);
        var host = await env.StartAsync();
        using var admin = await AdminPage.SignInAsync(host, "ministry", "Demo-Ministry-2026!");
        var before = AdminPage.AuthRows(env);

        HttpResponseMessage refused;
        await using (await WriteLock.SqliteAsync(env.DatabaseFile))
        {
            refused = await admin.CreateAccountAsync("locked-officer");
        }

        var retryForm = await AdminPage.AssertUnavailableAsync(refused, "locked-officer");
        Assert.Equal(before, AdminPage.AuthRows(env));
        Assert.DoesNotContain("locked-officer", await admin.Client.GetStringAsync("/admin/users"), StringComparison.Ordinal);

        var retried = await admin.PostRetryAsync(retryForm);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Contains("locked-officer", await admin.Client.GetStringAsync("/admin/users"), StringComparison.Ordinal);
        KillRestartTests.AssertIntact(env);
    }

    [TmpfsFact]
    public async Task Admin_page_posts_on_a_full_disk_answer_503_save_nothing_and_succeed_when_space_returns()
    {
        using var disk = Tmpfs.Mount(megabytes: 96);
        await using var env = new HostEnvironment(output, ApplicationsFactory.StageOneNoon, parentDirectory: disk.Path);
        var host = await env.StartAsync();
        using var admin = await AdminPage.SignInAsync(host, "ministry", "Demo-Ministry-2026!");
        using (var checkpoint = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = env.DatabaseFile, Pooling = false }.ToString()))
        {
            checkpoint.Open();
            using var command = checkpoint.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout=10000; PRAGMA wal_checkpoint(TRUNCATE);";
            command.ExecuteNonQuery();
        }

        var filler = Path.Combine(disk.Path, "filler");
        disk.Fill(filler);
        var created = new List<string>();
        var retryForms = new List<(string UserName, (string Action, List<KeyValuePair<string, string>> Fields) Form)>();
        for (var i = 0; i < 10; i++)
        {
            var userName = $"full-officer-{i}";
            var before = AdminPage.AuthRows(env);
            var response = await admin.CreateAccountAsync(userName);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                created.Add(userName);
                continue;
            }

            retryForms.Add((userName, await AdminPage.AssertUnavailableAsync(response, userName)));
            Assert.Equal(before, AdminPage.AuthRows(env));
        }

        output.WriteLine($"disk full: {created.Count} accounts went through (space already held by the WAL), {retryForms.Count} refused");
        Assert.NotEmpty(retryForms);

        File.Delete(filler);
        foreach (var (userName, form) in retryForms)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PostRetryAsync(form)).StatusCode);
        }

        var page = await admin.Client.GetStringAsync("/admin/users");
        Assert.All(Enumerable.Range(0, 10), i => Assert.Contains($"full-officer-{i}", page, StringComparison.Ordinal));
        KillRestartTests.AssertIntact(env);
    }

    private static void AssertRetryable(HttpResponseMessage response, JsonNode body)
    {
        Assert.Equal("TEMPORARILY_UNAVAILABLE", body.ErrorCode());
        Assert.Equal(5, body["errors"]![0]!["extensions"]!["retryAfterSeconds"]!.GetValue<int>());
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.DoesNotContain("   at ", body.ToJsonString(), StringComparison.Ordinal);
    }

    private static async Task<(HttpResponseMessage Response, JsonNode Body)> SubmitRawAsync(HttpClient client, KillRestartTests.Prepared p)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = Families.Submit, variables = p.Input }) };
        request.Headers.Accept.ParseAdd(GraphQLClient.ResponseJson);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", p.Token);
        var response = await client.SendAsync(request);
        return (response, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}

/// <summary>A small tmpfs (needs root, as on CI) that a test can fill to the last byte.</summary>
public sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    public static Tmpfs Mount(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "enrollment-tmpfs-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        return new Tmpfs(path);
    }

    /// <summary>Writes <paramref name="file"/> until the file system refuses another byte.</summary>
    public void Fill(string file)
    {
        using var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
        }

        try
        {
            for (var size = 4096; size >= 1; size /= 2)
            {
                try
                {
                    while (true)
                    {
                        stream.Write(block, 0, size);
                    }
                }
                catch (IOException)
                {
                }
            }
        }
        finally
        {
            try
            {
                stream.Dispose();
            }
            catch (IOException)
            {
                // the buffered tail did not fit either
            }
        }
    }

    public static bool CanMount()
    {
        try
        {
            using var probe = Mount(1);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                Run("umount", Path);
                Directory.Delete(Path);
                return;
            }
            catch (InvalidOperationException)
            {
                Thread.Sleep(250); // a killed host's files may still be closing
            }
        }
    }

    private static void Run(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        try
        {
            using var process = System.Diagnostics.Process.Start(info)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{command} failed: {error}");
            }
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException($"{command} is not available: {error.Message}", error);
        }
    }
}

/// <summary>Needs a tmpfs mount (root): skipped with the reason otherwise, except with CI=true (CI runs as root).</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Possible = new(Tmpfs.CanMount);

    public TmpfsFactAttribute()
    {
        if (!Possible.Value && !TestDatabases.IsCi)
        {
            Skip = "mounting a small tmpfs needs root (mount -t tmpfs); the disk-full test runs on CI";
        }
    }
}

/// <summary>A signed-in admin session (cookies) against a host process, and the users page's create form.</summary>
internal sealed partial class AdminPage : IDisposable
{
    private AdminPage(HttpClient client) => Client = client;

    public HttpClient Client { get; }

    public static async Task<AdminPage> SignInAsync(HostProcess host, string userName, string password)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = host.Client.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ru");
        var signedIn = await Enrollment.Host.Tests.Admin.AdminSession.SignInAsync(client, userName, password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return new AdminPage(client);
    }

    /// <summary>Posts the users page's "create account" form as a person would type it.</summary>
    public async Task<HttpResponseMessage> CreateAccountAsync(string userName)
    {
        var page = await Client.GetStringAsync("/admin/users");
        return await Client.PostAsync("/admin/users?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["NewUserName"] = userName,
            ["NewDisplayName"] = "Офицер " + userName,
            ["NewRole"] = "DistrictOfficer",
            ["NewDistrictCode"] = Tiny.Data.Districts[0].Code,
            ["NewSchoolCode"] = "",
            ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value,
        }));
    }

    /// <summary>503, Retry-After 5 s, the localized message, no stack trace, and a retry form carrying what was typed.</summary>
    public static async Task<(string Action, List<KeyValuePair<string, string>> Fields)> AssertUnavailableAsync(HttpResponseMessage response, string typed)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.StatusCode}: {html}");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Contains("id=\"temporarily-unavailable\"", html, StringComparison.Ordinal);
        Assert.Contains("Ваши изменения не сохранены", html, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        var form = RetryForm().Match(html);
        Assert.True(form.Success, html);
        var fields = Input().Matches(form.Groups[2].Value)
            .Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value)))
            .ToList();
        Assert.Contains(fields, f => f.Key == "NewUserName" && f.Value == typed);
        Assert.Contains(fields, f => f.Key == "NewDisplayName" && f.Value == "Офицер " + typed);
        Assert.Contains(fields, f => f.Key == "__RequestVerificationToken");
        return (WebUtility.HtmlDecode(form.Groups[1].Value), fields);
    }

    /// <summary>Presses "try again" on the 503 page: posts its form as it stands.</summary>
    public async Task<HttpResponseMessage> PostRetryAsync((string Action, List<KeyValuePair<string, string>> Fields) form) =>
        await Client.PostAsync(form.Action, new FormUrlEncodedContent(form.Fields));

    /// <summary>Every auth_* table's row count: the data an account post would change.</summary>
    public static string AuthRows(HostEnvironment env) => string.Join(", ",
        KillRestartTests.Query(env, "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'auth%' ORDER BY name")
            .Select(t => $"{t}={KillRestartTests.Scalar(env, $"SELECT count(*) FROM \"{t}\"")}"));

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\" id=\"retry-form\">(.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex RetryForm();

    [GeneratedRegex("<input[^>]*?name=\"([^\"]+)\"[^>]*?value=\"([^\"]*)\"")]
    private static partial Regex Input();
}
