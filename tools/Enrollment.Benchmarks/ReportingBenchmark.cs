using System.Diagnostics;
using System.Globalization;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.DemoData;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Reporting.Contracts;
using Enrollment.Reporting.Data;
using Enrollment.Reporting.Features;
using Enrollment.Reporting.Features.Analytics;
using Enrollment.Reporting.Features.OpenData;
using Enrollment.Schools.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Benchmarks;

/// <summary>
/// Reporting on the national demo data: every eligible child (born 2019–2020) applies to a participating school of the
/// district of their registered address; the read tables are written to a fresh SQLite file with the module's migrations,
/// then the regional open-data summary and the analysts' district × language aggregate are timed (cold first run, then
/// the median and worst of <c>runs</c>).
/// </summary>
internal static class ReportingBenchmark
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(DemoProfile profile, int runs)
    {
        var sw = Stopwatch.StartNew();
        var data = DemoDataGenerator.Generate(profile);
        var campaign = Guid.Parse("00000000-0000-0000-0000-000000002026");
        var regionOf = data.Districts.ToDictionary(d => d.Code, d => d.RegionCode, StringComparer.Ordinal);
        var districtOf = data.Settlements.ToDictionary(s => s.Code, s => s.DistrictCode, StringComparer.Ordinal);
        var schoolsByDistrict = data.Schools.Where(s => s.ParticipatesInEnrollment).GroupBy(s => s.DistrictCode)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Code, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var addressOf = data.Addresses.GroupBy(a => a.Pin).ToDictionary(g => g.Key, g => g.First().SettlementCode, StringComparer.Ordinal);
        var statuses = new[] { ApplicationStatus.Submitted, ApplicationStatus.Waitlisted, ApplicationStatus.Offered, ApplicationStatus.Confirmed, ApplicationStatus.Enrolled, ApplicationStatus.Cancelled };
        var opening = new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero);

        var facts = new List<ApplicationFactRow>();
        foreach (var child in data.Persons.Where(p => p.BirthDate.Year is 2019 or 2020))
        {
            if (!addressOf.TryGetValue(child.Pin, out var settlement) || !schoolsByDistrict.TryGetValue(districtOf[settlement], out var schools))
            {
                continue;
            }

            var n = facts.Count;
            var school = schools[(int)((uint)child.Pin.GetHashCode(StringComparison.Ordinal) % (uint)schools.Count)];
            var at = opening.AddMinutes(n % (60 * 24 * 20));
            var status = statuses[n % statuses.Length];
            facts.Add(new ApplicationFactRow
            {
                ApplicationId = Guid.CreateVersion7(at), CampaignId = campaign, ChildKey = $"k{n:000000}", BirthYear = child.BirthDate.Year,
                Sex = child.Sex.ToString(), Status = status, Stage = "StageOne", SubmittedAt = at, SubmittedOn = DateOnly.FromDateTime(at.AddHours(6).DateTime),
                SchoolCode = school.Code, Language = school.Languages[0], Grade = 1, DistrictCode = school.DistrictCode, RegionCode = regionOf[school.DistrictCode],
                Choices = $"{school.Code}/{school.Languages[0]}/1", ChoiceCount = 1, PriorityCategory = n % 40 == 0 ? "military" : null,
                PriorityVerified = n % 40 == 0, Privileged = n % 40 == 0,
                EnrolledSchoolCode = status == ApplicationStatus.Enrolled ? school.Code : null, EnrolledLanguage = status == ApplicationStatus.Enrolled ? school.Languages[0] : null,
                EnrolledGrade = status == ApplicationStatus.Enrolled ? 1 : null, EnrolledDistrictCode = status == ApplicationStatus.Enrolled ? school.DistrictCode : null,
                UpdatedAt = at, EventAt = at,
            });
        }

        var programs = data.Schools.Where(s => s.ParticipatesInEnrollment).SelectMany(s => s.Languages.Select(l => new ProgramFactRow
        {
            CampaignId = campaign, SchoolCode = s.Code, Language = l, Grade = 1, SchoolNameKy = s.NameKy, SchoolNameRu = s.NameRu, DistrictCode = s.DistrictCode,
            RegionCode = regionOf[s.DistrictCode], Classes = 1, ApprovedSeats = Math.Max(1, s.ExpectedFirstGradeSeats / s.Languages.Count), UpdatedAt = opening,
        })).ToList();
        Console.WriteLine(string.Create(Inv, $"Generated {profile}: {facts.Count:N0} application facts, {programs.Count:N0} programs in {sw.Elapsed.TotalSeconds:0.0} s"));

        var file = Path.Combine(Path.GetTempPath(), $"reporting-bench-{Guid.NewGuid():N}.db");
        try
        {
            var options = new DbContextOptionsBuilder<ReportingSqliteDbContext>().UseSqlite($"Data Source={file}").Options;
            sw.Restart();
            await using (var db = new ReportingSqliteDbContext(options))
            {
                await db.Database.MigrateAsync();
                await BulkInsert.InsertAsync(db, facts, default);
                await BulkInsert.InsertAsync(db, programs, default);
                db.RegionSummaries.AddRange(data.Regions.Select(r => new RegionSummaryRow { RegionCode = r.Code, NameKy = r.NameKy, NameRu = r.NameRu }));
                db.Districts.AddRange(data.Districts.Select(d => new DistrictRow { DistrictCode = d.Code, RegionCode = d.RegionCode, NameKy = d.NameKy, NameRu = d.NameRu }));
                await db.SaveChangesAsync();
            }

            Console.WriteLine(string.Create(Inv, $"Read tables written in {sw.Elapsed.TotalSeconds:0.0} s ({new FileInfo(file).Length / 1024 / 1024} MiB)"));
            var sources = new FixedCampaign(campaign);

            // A fresh OpenDataAnswers per run: the aggregate itself is measured, not the kept answer (ADR 0912).
            await Measure("Regional summary (GetOpenDataSeats level Region: programs + applications by region × language × grade)", runs, async () =>
            {
                await using var db = new ReportingSqliteDbContext(options);
                var rows = await new OpenDataReader(db, sources, new OpenDataAnswers(Microsoft.Extensions.Options.Options.Create(new OpenDataOptions()))).SeatsAsync(AreaLevel.Region, null, null, default);
                return rows.Count;
            });
            await Measure("District × language aggregate (applicationFacts.aggregate(groupBy: [districtCode, language]), analyst)", runs, async () =>
            {
                await using var db = new ReportingSqliteDbContext(options);
                var q = db.ApplicationFacts.AsNoTracking().Where(f => f.CampaignId == campaign);
                var result = await Explorer.AggregateAsync(q, Catalogs.Applications, ["districtCode", "language"], [new Measure("COUNT", null)], true, default);
                return result.Rows.Count;
            });
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    private static async Task Measure(string name, int runs, Func<Task<int>> action)
    {
        var sw = Stopwatch.StartNew();
        var rows = await action();
        var cold = sw.Elapsed.TotalMilliseconds;
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            sw.Restart();
            await action();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine(string.Create(Inv, $"{name}: {rows:N0} rows; cold {cold:0} ms; median {times[times.Count / 2]:0} ms, worst {times[^1]:0} ms over {runs} runs"));
    }

    private sealed class FixedCampaign(Guid id) : IReportingSources
    {
        public Task<CampaignDto?> CurrentCampaignAsync(CancellationToken ct) => Task.FromResult<CampaignDto?>(new CampaignDto(
            id, "2026/27", 2026, new CampaignCalendarDto(default, default, default, default, default, default), 1, "SubmissionTime", null, 72, 5, 3, 3, 14, 30,
            new DateOnly(2019, 1, 1), new DateOnly(2020, 12, 31), 8));

        public Task<IReadOnlyList<ApplicationFactDto>> ApplicationFactsAsync(Guid campaignId, CancellationToken ct) => throw new NotSupportedException();

        public Task<IReadOnlyList<ProgramDto>> ProgramsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct) => throw new NotSupportedException();

        public Task<IReadOnlyList<Enrollment.Allocation.Contracts.ProgramSeatsDto>> ProgramSeatsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<SchoolDto>> SchoolsAsync(IReadOnlyList<string> codes, CancellationToken ct) => throw new NotSupportedException();

        public Task<IReadOnlyList<JournalChildDto>> JournalChildrenAsync(Guid campaignId, string schoolCode, CancellationToken ct) => throw new NotSupportedException();

        public Task<IReadOnlyList<QuotaRollupRowDto>> SeatsVsEligibleByLanguageAsync(CancellationToken ct) => throw new NotSupportedException();
    }
}
