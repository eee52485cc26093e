using System.Text.Json.Nodes;
using Enrollment.DemoData;
using Microsoft.Playwright;

namespace Enrollment.Browser.Tests.Schools;

/// <summary>A district officer edits a school's micro-district on the map and in the rule table.</summary>
public sealed class MicrodistrictEditorTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private static readonly DemoDataset Data = DemoDataGenerator.Generate(DemoProfile.Tiny);

    private static DemoSchool OfficersSchool()
    {
        var officer = Data.Accounts.Single(a => a.UserName == Accounts.District);
        return Data.Schools.First(s => s.DistrictCode == officer.DistrictCode && s.ParticipatesInEnrollment
            && Data.MicrodistrictRules.Any(r => r.SchoolCode == s.Code));
    }

    private static async Task<JsonNode> MapDataAsync(IPage page) =>
        JsonNode.Parse(await page.Locator("#microdistrict-map-data").TextContentAsync() ?? "{}")!;

    [BrowserFact]
    public async Task District_officer_draws_a_polygon_saves_it_and_sees_it_after_a_reload()
    {
        var school = OfficersSchool();
        await using var session = await host.OpenAsync();
        var page = session.Page;
        await BrowserHost.SignInAsync(page, Accounts.District, Accounts.DistrictPassword);
        await page.GotoAsync("/admin/schools/microdistrict?school=" + school.Code);
        await page.Locator("#microdistrict-map[data-ready=true]").WaitForAsync();
        Assert.Equal(7, (await MapDataAsync(page))["polygon"]!["coordinates"]![0]!.AsArray().Count); // the generator's hexagon

        // Draw a four-cornered polygon around the middle of the map with Geoman's polygon tool.
        await page.ClickAsync(".leaflet-pm-icon-polygon");
        var box = (await page.Locator("#microdistrict-map").BoundingBoxAsync())!;
        float cx = box.X + (box.Width / 2), cy = box.Y + (box.Height / 2);
        (float X, float Y)[] corners = [(cx - 60, cy - 50), (cx + 60, cy - 50), (cx + 60, cy + 50), (cx - 60, cy + 50)];
        foreach (var (x, y) in corners)
        {
            await page.Mouse.ClickAsync(x, y);
            await page.WaitForTimeoutAsync(100);
        }

        await page.Mouse.ClickAsync(corners[0].X, corners[0].Y); // back on the first vertex closes the ring
        await page.WaitForFunctionAsync("() => document.getElementById('geojson').value.includes('Polygon')");
        var drawn = JsonNode.Parse(await page.InputValueAsync("#geojson"))!;
        Assert.Equal(5, drawn["coordinates"]![0]!.AsArray().Count);

        await BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#save-polygon"));
        Assert.True(await page.Locator("#microdistrict-message").IsVisibleAsync(), await page.ContentAsync());

        await page.ReloadAsync();
        await page.Locator("#microdistrict-map[data-ready=true]").WaitForAsync();
        var saved = (await MapDataAsync(page))["polygon"]!;
        Assert.Equal(drawn["coordinates"]!.ToJsonString(), saved["coordinates"]!.ToJsonString());
        Assert.Equal(1, await page.Locator("path.microdistrict-own").CountAsync());
        Assert.Contains(Accounts.District, await page.Locator("#history tbody tr").First.InnerTextAsync(), StringComparison.Ordinal);
        session.AssertNoConsoleErrors();
    }

    [BrowserFact]
    public async Task District_officer_edits_a_street_rule_in_the_table()
    {
        var school = OfficersSchool();
        await using var session = await host.OpenAsync();
        var page = session.Page;
        await BrowserHost.SignInAsync(page, Accounts.District, Accounts.DistrictPassword);
        await page.GotoAsync("/admin/schools/microdistrict?school=" + school.Code);

        var row = page.Locator("#rules tbody tr").First;
        var ruleId = await row.GetAttributeAsync("data-rule-id");
        await row.Locator("input.rule-street").FillAsync("улица Тестовая");
        await row.Locator("input.rule-houses").FillAsync("odd:1-99");
        await BrowserHost.NavigateByAsync(page, () => row.Locator("button.rule-save").ClickAsync());

        Assert.True(await page.Locator("#microdistrict-message").IsVisibleAsync(), await page.ContentAsync());
        await page.ReloadAsync();
        var saved = page.Locator($"#rules tbody tr[data-rule-id='{ruleId}']");
        Assert.Equal("улица Тестовая", await saved.Locator("input.rule-street").InputValueAsync());
        Assert.Equal("odd:1-99", await saved.Locator("input.rule-houses").InputValueAsync());

        // A malformed house set is refused with its code and the rule keeps its value.
        await saved.Locator("input.rule-houses").FillAsync("from 1 to 9");
        await BrowserHost.NavigateByAsync(page, () => saved.Locator("button.rule-save").ClickAsync());
        Assert.Contains("INVALID_HOUSE_SET", await page.Locator("#microdistrict-error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("odd:1-99", await page.Locator($"#rules tbody tr[data-rule-id='{ruleId}'] input.rule-houses").InputValueAsync());
        session.AssertNoConsoleErrors();
    }
}
