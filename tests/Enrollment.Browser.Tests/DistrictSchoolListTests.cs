using Enrollment.DemoData;
using Microsoft.Playwright;

namespace Enrollment.Browser.Tests;

/// <summary>The school list as a district officer sees it, checked against the demo-data generator.</summary>
public sealed class DistrictSchoolListTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private static readonly DemoDataset Data = DemoDataGenerator.Generate(DemoProfile.Tiny);

    [BrowserFact]
    public async Task District_officer_filters_by_language_and_search_and_only_sees_schools_of_their_district()
    {
        var account = Data.Accounts.Single(a => a.UserName == Accounts.District);
        Assert.Equal("D0701", account.DistrictCode);
        var district = Data.Schools.Where(s => s.DistrictCode == account.DistrictCode).ToList();
        Assert.True(Data.Schools.Count > district.Count, "the tiny profile should have schools outside the district");

        await using var session = await host.OpenAsync();
        var page = session.Page;
        await BrowserHost.SignInAsync(page, Accounts.District, Accounts.DistrictPassword);
        await page.GotoAsync("/admin/schools");

        // Unfiltered: exactly the district's schools.
        Assert.Equal(Codes(district), await TableCodesAsync(page));
        Assert.Equal(district.Count, await CountAsync(page));

        // By language: one that some, but not all, schools of the district teach in.
        var language = new[] { "ky", "ru", "uz", "tg" }
            .First(l => district.Count(s => s.Languages.Contains(l)) is var n && n > 0 && n < district.Count);
        var byLanguage = district.Where(s => s.Languages.Contains(language)).ToList();
        await page.SelectOptionAsync("#language", language);
        await SubmitAsync(page);

        Assert.Contains($"language={language}", page.Url, StringComparison.Ordinal);
        Assert.Equal(byLanguage.Count, await CountAsync(page));
        Assert.NotEqual(district.Count, byLanguage.Count);
        Assert.Equal(Codes(byLanguage), await TableCodesAsync(page));

        // By search text (no language): a word of a school name that narrows the list. Schools of other districts
        // sharing the word must stay hidden.
        var term = SearchTerm(district);
        var bySearch = district.Where(s => Matches(s, term)).ToList();
        await page.SelectOptionAsync("#language", "");
        await page.FillAsync("#q", term);
        await SubmitAsync(page);

        Assert.Equal(bySearch.Count, await CountAsync(page));
        Assert.NotEqual(district.Count, bySearch.Count);
        Assert.Equal(Codes(bySearch), await TableCodesAsync(page));
        Assert.All(await TableCodesAsync(page), code => Assert.Equal(account.DistrictCode, Data.Schools.Single(s => s.Code == code).DistrictCode));
        session.AssertNoConsoleErrors();
    }

    private static string SearchTerm(IReadOnlyList<DemoSchool> district)
    {
        var words = district
            .SelectMany(s => s.NameRu.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length >= 4 && w.All(char.IsLetter))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return words.First(w => district.Count(s => Matches(s, w)) is var n && n > 0 && n < district.Count);
    }

    // The module searches name (ru, ky) and code with LIKE; for Cyrillic words that is an ordinal substring match.
    private static bool Matches(DemoSchool school, string term) =>
        school.NameRu.Contains(term, StringComparison.Ordinal) || school.NameKy.Contains(term, StringComparison.Ordinal)
        || school.Code.Contains(term, StringComparison.Ordinal);

    private static string[] Codes(IEnumerable<DemoSchool> schools) => [.. schools.Select(s => s.Code).Order(StringComparer.Ordinal)];

    private static async Task<string[]> TableCodesAsync(IPage page) =>
        [.. (await page.Locator("#schools tbody tr td:first-child").AllInnerTextsAsync()).Select(t => t.Trim()).Order(StringComparer.Ordinal)];

    private static async Task<int> CountAsync(IPage page)
    {
        var text = await page.Locator("#school-count").InnerTextAsync();
        return int.Parse(new string([.. text.Where(char.IsDigit)]), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task SubmitAsync(IPage page) =>
        BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#school-filter button[type=submit]"));
}
