using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Enrollment.Host.Tests.BadInput;

/// <summary>
/// The bad-input corpus against every admin form: every Razor page with a POST handler is found through the page loader
/// (so a new page is covered the day it is added), signed in as a role its access row admits, and each form field (handler
/// parameters and bound properties) gets each malformed value while the others keep placeholders. The answer must never be
/// a 5xx or show a stack trace or exception type, and the module tables must be the same afterwards.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed partial class AdminFormCorpusTests(BadInputFactory factory, ITestOutputHelper output)
{
    private const string PlaceholderId = "00000000-0000-0000-0000-000000000001";
    private const string InvalidUtf8 = "%FF%FE%C3%28";

    private static readonly string[] TextValues =
    [
        "", new string('я', 50_000), "a\u0000b\u0001\u0007\u001b[31m\r\n\u007f", "\u202Eevil\u200B", InvalidUtf8,
        "' OR '1'='1'; DROP TABLE registry_application; --", "<script>alert(1)</script>", "91503198512345", "23102202612345",
        "2026-02-30", "-1",
    ];

    private static readonly string[] NumberValues = ["-1", "-2147483649", "2147483648", "99999999999999999999999999999", "1e308", "abc", "1.5", "", InvalidUtf8];
    private static readonly string[] DateValues = ["2026-02-30", "2026-13-01", "0000-01-01", "9999-12-31", "yesterday", "", InvalidUtf8];
    private static readonly string[] IdValues = ["not-a-guid", "", "-1", "99999999999999999999", InvalidUtf8];
    private static readonly string[] FlagValues = ["maybe", "2", InvalidUtf8];
    private static readonly string[] EnumValues = ["NOPE", "999", "-1", InvalidUtf8];

    private sealed record Field(string Key, Type Type);

    private sealed record Form(string Route, string Url, string? Handler, IReadOnlyList<Field> Fields);

    [Fact]
    public async Task Every_admin_form_survives_every_malformed_value_and_changes_nothing()
    {
        var forms = await FormsAsync();
        Assert.True(forms.Count >= 15, $"only {forms.Count} forms found: the enumeration is broken");
        var failures = new List<string>();
        var cases = 0;
        var before = DatabaseDump.Take(factory);
        var clients = new Dictionary<string, HttpClient>(StringComparer.Ordinal);
        try
        {
            foreach (var form in forms)
            {
                var role = BadInputHttp.RoleFor(AdminPageAccessTableTests.Table.TryGetValue(form.Route, out var access) && access != "public"
                    ? access.Split(',')
                    : [Enrollment.BuildingBlocks.Security.Roles.MinistryAdmin])!;
                if (!clients.TryGetValue(role, out var client))
                {
                    var account = Tiny.Account(role);
                    client = await factory.SignedInAsync(account.UserName, account.Password);
                    clients[role] = client;
                }

                // Pages of one entity (an appeal, a message) answer 404 without an id; the antiforgery token is per user, not per page.
                var token = Token().Match(await client.GetStringAsync("/admin")).Groups[1].Value;
                Assert.NotEmpty(token);

                foreach (var field in form.Fields)
                {
                    foreach (var bad in ValuesFor(field.Type))
                    {
                        var body = new StringBuilder("__RequestVerificationToken=").Append(Uri.EscapeDataString(token));
                        foreach (var other in form.Fields)
                        {
                            var value = other == field ? bad : Placeholder(other.Type);
                            body.Append('&').Append(Uri.EscapeDataString(other.Key)).Append('=')
                                .Append(value == InvalidUtf8 ? value : Uri.EscapeDataString(value));
                        }

                        var url = form.Url + (form.Handler is null ? "" : (form.Url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "handler=" + form.Handler);
                        using var content = new StringContent(body.ToString(), Encoding.ASCII, "application/x-www-form-urlencoded");
                        using var response = await client.PostAsync(url, content);
                        var text = await response.Content.ReadAsStringAsync();
                        cases++;
                        var label = $"{form.Url} {form.Handler ?? "(default)"} {field.Key}={Describe(bad)} (as {role})";
                        if ((int)response.StatusCode >= 500)
                        {
                            failures.Add($"{label}: HTTP {(int)response.StatusCode}");
                        }
                        else if (text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal))
                        {
                            failures.Add($"{label}: stack trace or exception type in the page");
                        }
                    }
                }

                var after = DatabaseDump.Take(factory);
                failures.AddRange(DatabaseDump.Differences(before, after).Select(d => $"{form.Url} {form.Handler ?? "(default)"} changed the database: {d}"));
                before = after;
            }
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }

        output.WriteLine($"{forms.Count} forms, {cases} cases");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed:\n" + string.Join("\n", failures));
    }

    private static string Describe(string value) => value.Length > 24 ? $"{value.Length} chars" : value.Replace("\u0000", "\\0", StringComparison.Ordinal);

    private static IEnumerable<string> ValuesFor(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string)) return TextValues;
        if (t == typeof(int) || t == typeof(long) || t == typeof(decimal) || t == typeof(double) || t == typeof(short)) return NumberValues;
        if (t == typeof(DateOnly) || t == typeof(DateTime) || t == typeof(DateTimeOffset)) return DateValues;
        if (t == typeof(Guid)) return IdValues;
        if (t == typeof(bool)) return FlagValues;
        if (t.IsEnum) return EnumValues;
        return TextValues;
    }

    private static string Placeholder(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(int) || t == typeof(long) || t == typeof(decimal) || t == typeof(double) || t == typeof(short)) return "1";
        if (t == typeof(DateOnly) || t == typeof(DateTime)) return "2026-04-01";
        if (t == typeof(DateTimeOffset)) return "2026-04-01T10:00";
        if (t == typeof(Guid)) return PlaceholderId;
        if (t == typeof(bool)) return "false";
        if (t.IsEnum) return Enum.GetNames(t)[0];
        return "placeholder";
    }

    /// <summary>Every POST handler of every Razor page, with its form fields.</summary>
    private async Task<List<Form>> FormsAsync()
    {
        var loader = factory.Services.GetRequiredService<PageLoader>();
        var forms = new List<Form>();
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Page: e.Metadata.GetMetadata<PageActionDescriptor>()))
            .Where(e => e.Page is not null)
            .DistinctBy(e => e.Page!.RelativePath);
        foreach (var (endpoint, page) in endpoints)
        {
            var compiled = await loader.LoadAsync(page!, endpoint.Metadata);
            var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var url = RouteParameter().Replace(route, PlaceholderId).TrimEnd('/');
            if (url.Contains("/Account/Log", StringComparison.OrdinalIgnoreCase))
            {
                continue; // signing in and out: the security tests own those forms; posting them here would sign the client out
            }

            var bound = compiled.BoundProperties
                .SelectMany(p => Expand(p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType, 0))
                .ToList();
            foreach (var handler in compiled.HandlerMethods.Where(h => string.Equals(h.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase)))
            {
                var parameters = handler.Parameters
                    .Where(p => p.ParameterType != typeof(CancellationToken) && !typeof(IFormFile).IsAssignableFrom(p.ParameterType)
                        && !typeof(IFormFileCollection).IsAssignableFrom(p.ParameterType))
                    .SelectMany(p => Expand(p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType, 0));
                var fields = bound.Concat(parameters).DistinctBy(f => f.Key, StringComparer.OrdinalIgnoreCase).ToList();
                if (fields.Count > 0)
                {
                    forms.Add(new Form(route, url, handler.Name, fields));
                }
            }
        }

        return forms;
    }

    private static IEnumerable<Field> Expand(string key, Type type, int depth)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(Guid) || t == typeof(DateOnly)
            || t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(TimeOnly))
        {
            return [new Field(key, type)];
        }

        if (t.IsArray || (t.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(t)))
        {
            var element = t.IsArray ? t.GetElementType()! : t.GetGenericArguments()[0];
            return Expand(key + "[0]", element, depth + 1);
        }

        if (depth >= 2 || typeof(IFormFile).IsAssignableFrom(t))
        {
            return [];
        }

        return t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
            .SelectMany(p => Expand(key + "." + p.Name, p.PropertyType, depth + 1));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
