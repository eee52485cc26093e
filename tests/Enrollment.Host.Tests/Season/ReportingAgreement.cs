using System.Globalization;
using System.Text;
using System.Text.Json;
using Enrollment.Allocation.Contracts;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Reporting.Contracts;
using Enrollment.Schools.Contracts;

namespace Enrollment.Host.Tests.Season;

/// <summary>
/// Checks every open-data table and every progress report of Reporting (ministry: all seven dimensions and the daily
/// series; the district officer: their district) against numbers computed here from the owning modules' Contracts queries
/// — Registry <see cref="GetApplicationFacts"/>, Allocation <see cref="GetProgramSeats"/>, Schools <see cref="GetSchoolsByCodes"/> —
/// never from Reporting's own tables; and captures every table so a rebuild can be shown to change nothing.
/// </summary>
public sealed class ReportingAgreement(SeasonFactory factory)
{
    private static readonly string[] Dimensions = ["Region", "District", "School", "Language", "Stage", "Status", "PriorityCategory"];

    private static readonly ApplicationStatus[] Statuses = [.. Enum.GetValues<ApplicationStatus>().Where(s => s != ApplicationStatus.Draft)];

    /// <summary>One application as every report counts it: at the school of its first choice.</summary>
    private sealed record Fact(string Region, string District, string School, string Language, int Grade, string Stage, ApplicationStatus Status,
        string PriorityCategory, bool Privileged, DateOnly? Day);

    private async Task<(List<Fact> Facts, IReadOnlyList<ProgramSeatsDto> Seats, Dictionary<string, SchoolDto> Schools)> ExpectedInputsAsync()
    {
        var campaign = (await factory.AskAsync(new GetCurrentCampaign()))!;
        var applications = (await factory.AskAsync(new GetApplicationFacts(campaign.Id))).Where(f => f.Status != ApplicationStatus.Draft).ToList();
        var seats = await factory.AskAsync(new GetProgramSeats(campaign.Id));
        var codes = applications.Where(f => f.Choices.Count > 0).Select(f => f.Choices[0].SchoolCode).Concat(seats.Select(s => s.SchoolCode))
            .Distinct(StringComparer.Ordinal).ToList();
        var schools = (await factory.AskAsync(new GetSchoolsByCodes(codes))).ToDictionary(s => s.Code, StringComparer.Ordinal);
        var facts = applications.Select(f =>
        {
            var first = f.Choices.Count > 0 ? f.Choices[0] : null;
            var school = first is null ? null : schools[first.SchoolCode];
            return new Fact(school?.RegionCode ?? "", school?.DistrictCode ?? "", first?.SchoolCode ?? "", first?.Language ?? "", first?.Grade ?? 0,
                f.SubmittedInStage ?? "", f.Status, f.PriorityCategory ?? "", f.PriorityCategory is not null && f.PriorityVerified,
                f.SubmittedAt is { } at ? DateOnly.FromDateTime(Bishkek.ToLocal(at).DateTime) : null);
        }).ToList();
        return (facts, seats, schools);
    }

    /// <summary>Asserts that every report agrees with the Contracts numbers; returns every table as text (for the rebuild comparison).</summary>
    public async Task<string> AssertAgreesAsync(int minimumApplications, int privileged = 0)
    {
        var (facts, seats, schools) = await ExpectedInputsAsync();
        Assert.True(facts.Count >= minimumApplications, $"{facts.Count} applications");
        Assert.Equal(privileged, facts.Count(f => f.Privileged));
        var tables = new StringBuilder();

        // Open data: applications by stage and status, and seats, at every level.
        foreach (var level in Enum.GetValues<AreaLevel>())
        {
            string Area(string region, string district, string school) => level switch
            {
                AreaLevel.National => "KG",
                AreaLevel.Region => region,
                AreaLevel.District => district,
                _ => school,
            };

            var applications = await factory.AskAsync(new GetOpenDataApplications(level));
            var areaCode = level == AreaLevel.National ? applications.Select(r => r.AreaCode).FirstOrDefault() ?? "KG" : null;
            string Key(string area) => areaCode ?? area;
            Assert.Equal(
                Lines(facts.GroupBy(f => (Key(Area(f.Region, f.District, f.School)), f.Language, f.Grade, f.Stage, f.Status.ToString()))
                    .Select(g => $"{g.Key} {g.Count()} {g.Count(f => f.Privileged)}")),
                Lines(applications.Select(r => $"{(r.AreaCode, r.Language, r.Grade, r.Stage, r.Status)} {r.Applications} {r.Privileged}")));

            var open = await factory.AskAsync(new GetOpenDataSeats(level));
            var expectedSeats = seats.Select(s => (Key: (Key(Area(schools[s.SchoolCode].RegionCode, schools[s.SchoolCode].DistrictCode, s.SchoolCode)), s.Language, s.Grade), Seats: s))
                .GroupBy(x => x.Key)
                .Select(g =>
                {
                    var first = facts.Where(f => (Key(Area(f.Region, f.District, f.School)), f.Language, f.Grade) == g.Key).ToList();
                    return $"{g.Key} programs={g.Count()} approved={g.Sum(x => x.Seats.ApprovedSeats)} offers={g.Sum(x => x.Seats.HeldOffers)} " +
                           $"enrolled={g.Sum(x => x.Seats.Enrolled)} free={g.Sum(x => x.Seats.FreeSeats)} applications={first.Count} privileged={first.Count(f => f.Privileged)}";
                });
            Assert.Equal(Lines(expectedSeats), Lines(open.Where(r => r.Programs > 0).Select(r =>
                $"{(r.AreaCode, r.Language, r.Grade)} programs={r.Programs} approved={r.ApprovedSeats} offers={r.Offers} enrolled={r.Enrolled} " +
                $"free={r.FreeSeats} applications={r.Applications} privileged={r.Privileged}")));
            tables.AppendLine(JsonSerializer.Serialize(applications)).AppendLine(JsonSerializer.Serialize(open));
        }

        // Enrolled children, as Registry's facts record them, are the enrolled seats Allocation counts.
        Assert.Equal(facts.Count(f => f.Status == ApplicationStatus.Enrolled), seats.Sum(s => s.Enrolled));

        // Open data: applications per day and region.
        var daily = await factory.AskAsync(new GetOpenDataDaily());
        Assert.Equal(Lines(facts.Where(f => f.Day is not null).GroupBy(f => (f.Day!.Value, f.Region)).Select(g => $"{g.Key} {g.Count()}")),
            Lines(daily.Select(d => $"{(d.Day, d.RegionCode)} {d.Submitted}")));
        tables.AppendLine(JsonSerializer.Serialize(daily));

        // Progress reports of the ministry (every district) and of a district officer (their district only), as exported.
        var ministry = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");
        var officerAccount = Tiny.Account("DistrictOfficer");
        var officer = await factory.SignedInAsync(officerAccount.UserName, officerAccount.Password);
        foreach (var (client, scope) in new[] { (ministry, (string?)null), (officer, officerAccount.DistrictCode) })
        {
            var inScope = facts.Where(f => scope is null || f.District == scope).ToList();
            foreach (var by in Dimensions)
            {
                var csv = await client.GetStringAsync($"/admin/reporting/progress?by={by}&format=csv");
                var rows = Csv(csv);
                string[] header = [by, "name", .. Statuses.Select(s => s.ToString()), "privileged", "total"];
                Assert.Equal(header, rows[0]);
                string KeyOf(Fact f) => by switch
                {
                    "Region" => f.Region,
                    "District" => f.District,
                    "School" => f.School,
                    "Language" => f.Language,
                    "Stage" => f.Stage,
                    "Status" => f.Status.ToString(),
                    _ => f.PriorityCategory,
                };
                var expected = inScope.GroupBy(KeyOf).Select(g => string.Join(",", new[] { g.Key }
                    .Concat(Statuses.Select(s => g.Count(f => f.Status == s).ToString(CultureInfo.InvariantCulture)))
                    .Append(g.Count(f => f.Privileged).ToString(CultureInfo.InvariantCulture))
                    .Append(g.Count().ToString(CultureInfo.InvariantCulture))));
                Assert.Equal(Lines(expected), Lines(rows.Skip(1).Select(r => string.Join(",", r.Take(1).Concat(r.Skip(2))))));
                tables.Append(csv);
            }

            var dailyCsv = Csv(await client.GetStringAsync("/admin/reporting/progress?by=Region&format=daily-csv"));
            Assert.Equal(new[] { "day", "submitted" }, dailyCsv[0]);
            Assert.Equal(Lines(inScope.Where(f => f.Day is not null).GroupBy(f => f.Day!.Value).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key:yyyy-MM-dd},{g.Count()}"))),
                Lines(dailyCsv.Skip(1).Select(r => string.Join(",", r))));
            tables.AppendLine(string.Join(";", dailyCsv.Select(r => string.Join(",", r))));
        }

        return tables.ToString();
    }

    private static string Lines(IEnumerable<string> lines) => string.Join("\n", lines.Order(StringComparer.Ordinal));

    /// <summary>RFC 4180 rows of a CSV export (UTF-8 with BOM, CRLF).</summary>
    private static List<List<string>> Csv(string text)
    {
        var rows = new List<List<string>>();
        foreach (var line in text.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var cells = new List<string>();
            var cell = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                    {
                        cell.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        cell.Append(c);
                    }
                }
                else if (c == '"')
                {
                    quoted = true;
                }
                else if (c == ',')
                {
                    cells.Add(cell.ToString());
                    cell.Clear();
                }
                else
                {
                    cell.Append(c);
                }
            }

            cells.Add(cell.ToString());
            rows.Add(cells);
        }

        return rows;
    }
}
