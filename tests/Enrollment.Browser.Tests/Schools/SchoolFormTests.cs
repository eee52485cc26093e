using Enrollment.DemoData;

namespace Enrollment.Browser.Tests.Schools;

/// <summary>A district officer edits a school's data in the admin form: a bad field is explained next to it, a good form saves.</summary>
public sealed class SchoolFormTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private static readonly DemoDataset Data = DemoDataGenerator.Generate(DemoProfile.Tiny);

    [BrowserFact]
    public async Task District_officer_opens_a_school_from_the_list_sees_a_field_message_for_an_empty_name_and_then_saves_it()
    {
        var officer = Data.Accounts.Single(a => a.UserName == Accounts.District);
        var school = Data.Schools.First(s => s.DistrictCode == officer.DistrictCode);
        await using var session = await host.OpenAsync();
        var page = session.Page;
        await BrowserHost.SignInAsync(page, Accounts.District, Accounts.DistrictPassword);
        await page.GotoAsync("/admin/schools");

        await BrowserHost.NavigateByAsync(page, () => page.ClickAsync($"a.school-edit[href='/admin/schools/edit?code={school.Code}']"));
        Assert.Equal(school.NameRu, await page.InputValueAsync("#NameRu"));
        await page.FillAsync("#NameRu", "");
        await page.FillAsync("#Latitude", "север");
        await BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#school-save"));

        Assert.True(await page.Locator("#school-errors").IsVisibleAsync());
        Assert.Equal(1, await page.Locator(".field-error[data-field='nameRu']").CountAsync());
        Assert.Equal(1, await page.Locator(".field-error[data-field='latitude']").CountAsync());
        Assert.Equal("север", await page.InputValueAsync("#Latitude")); // the form keeps what was typed

        await page.FillAsync("#NameRu", "Школа после правки");
        await page.FillAsync("#Latitude", "42,61");
        await BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#school-save"));

        Assert.True(await page.Locator("#school-message").IsVisibleAsync(), await page.ContentAsync());
        await page.ReloadAsync();
        Assert.Equal("Школа после правки", await page.InputValueAsync("#NameRu"));
        Assert.Equal("42.61", await page.InputValueAsync("#Latitude"));
        session.AssertNoConsoleErrors();
    }
}
