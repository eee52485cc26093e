using Enrollment.BuildingBlocks.Audit;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Registry.Contracts;
using Enrollment.Reporting.Contracts;
using Enrollment.Reporting.Features.OpenData;
using Enrollment.Reporting.Features.Reports;
using MiniExcelLibs;
using Snapshooter.Xunit;
using static Enrollment.Reporting.Tests.Season;

namespace Enrollment.Reporting.Tests;

public sealed class ReportTests : IDisposable
{
    private static readonly ICurrentUser Ministry = new User("ministry", Roles.MinistryAdmin, null, null);
    private static readonly ICurrentUser Officer1 = new User("district1", Roles.DistrictOfficer, "D1", null);
    private static readonly ICurrentUser SchoolAdmin2 = new User("school2", Roles.SchoolAdmin, "D2", "S2");
    private readonly Harness _h = new();

    public void Dispose() => _h.Dispose();

    private async Task SeasonAsync()
    {
        var s = new Season(_h);
        var a = s.Submit("StageOne", choices: [P("S1", "ky")]);
        var b = s.Submit("StageOne", priority: "military", verified: true, choices: [P("S1", "ru")]);
        var c = s.Submit("StageOne", sex: 'M', choices: [P("S2", "ky")]);
        var d = s.Submit("StageTwo", choices: [P("S3", "uz")]);
        foreach (var e in new[] { a, b, c, d }) await _h.Deliver(e);
        _h.Sources.HeldOffers[("S1", "ru", 1)] = 1;
        await _h.Deliver(s.Move(b.Application.ApplicationId, ApplicationStatus.Offered));
        await _h.Deliver(s.Move(a.Application.ApplicationId, ApplicationStatus.Enrolled, enrolled: P("S1", "ky")));
        _h.Clock.Advance(TimeSpan.FromDays(1));
        await _h.Deliver(s.Move(c.Application.ApplicationId, ApplicationStatus.Cancelled));
    }

    private Task<ProgressReport> Progress(ICurrentUser user, ReportDimension by, string? district = null) =>
        _h.Run((_, reader, _) => new GetProgressReportHandler(reader, user).Handle(new GetProgressReport(by, district), default).AsTask());

    [Fact]
    public async Task Main_reports_match_their_snapshots_on_deterministic_data()
    {
        await SeasonAsync();
        var regions = await Progress(Ministry, ReportDimension.Region);
        var languages = await Progress(Ministry, ReportDimension.Language);
        var seats = await _h.Run((_, r, _) => r.SeatsAsync(AreaLevel.Region, null, null, default));
        var applications = await _h.Run((_, r, _) => r.ApplicationsAsync(AreaLevel.District, null, null, default));
        new
        {
            ByRegion = regions.ToTable().Rows.Select(r => string.Join(',', r)),
            ByLanguage = languages.ToTable().Rows.Select(r => string.Join(',', r)),
            regions.Daily,
            OpenDataSeatsByRegion = seats,
            OpenDataApplicationsByDistrict = applications,
        }.MatchSnapshot();
    }

    [Fact]
    public async Task District_officer_sees_only_their_district_and_cannot_ask_for_another()
    {
        await SeasonAsync();
        var report = await Progress(Officer1, ReportDimension.School);
        Assert.Equal("D1", report.DistrictCode);
        Assert.Equal(["S1"], report.Rows.Select(r => r.Key));
        Assert.Equal(2, report.Rows.Single().Total);
        await Assert.ThrowsAsync<AccessDenied>(() => Progress(Officer1, ReportDimension.School, "D2"));
        await Assert.ThrowsAsync<AccessDenied>(() => Progress(SchoolAdmin2, ReportDimension.School));
    }

    [Fact]
    public async Task Progress_report_exports_to_an_xlsx_that_reads_back_with_the_same_cells()
    {
        await SeasonAsync();
        var table = (await Progress(Ministry, ReportDimension.District)).ToTable();
        using var stream = new MemoryStream(table.ToXlsx("Progress"));
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(table.Rows.Count, rows.Count);
        Assert.Equal(table.Columns, rows[0].Keys);
        Assert.Equal("D1", rows[0]["District"]);
        Assert.Equal(2d, Convert.ToDouble(rows[0]["total"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Csv_quotes_commas_and_quotes_and_starts_with_a_bom()
    {
        var csv = new Features.Export.Table(["a", "b"], [["x, \"y\"", 1.5m]]).ToCsv();
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        Assert.Equal("a,b\r\n\"x, \"\"y\"\"\",1.5\r\n", System.Text.Encoding.UTF8.GetString(csv[3..]));
    }

    [Fact]
    public async Task Kundoluk_export_lists_enrolled_children_per_language_with_classes_and_refuses_other_schools()
    {
        await SeasonAsync();
        var enrolledAt = _h.Clock.UtcNow;
        _h.Sources.JournalChildren.Add(new JournalChildDto(Guid.Empty, "Асанова", "Айпери", "Бакытовна", new DateOnly(2019, 5, 4), 'F', "ky", 1, null, enrolledAt));
        var export = await _h.Run((_, _, db) => new GetJournalExportHandler(db, _h.Sources, Ministry, _h.Clock, new PersonalDataReads(Ministry)).Handle(new GetJournalExport("S1"), default).AsTask());
        Assert.Equal(("S1", "D1", "R1"), (export.SchoolCode, export.DistrictCode, export.RegionCode));
        var ky = export.Programs.Single(p => p.Language == "ky");
        Assert.Equal((2, 50, 1), (ky.Classes, ky.ApprovedSeats, ky.Enrolled));
        Assert.Equal("Асанова", ky.Children.Single().LastName);
        Assert.Equal(0, export.Programs.Single(p => p.Language == "ru").Enrolled);
        Assert.Contains("Асанова,Айпери,Бакытовна,2019-05-04,F", System.Text.Encoding.UTF8.GetString(export.ToTable().ToCsv()), StringComparison.Ordinal);

        await Assert.ThrowsAsync<AccessDenied>(() =>
            _h.Run((_, _, db) => new GetJournalExportHandler(db, _h.Sources, SchoolAdmin2, _h.Clock, new PersonalDataReads(SchoolAdmin2)).Handle(new GetJournalExport("S1"), default).AsTask()));
    }

    private sealed record User(string Name, string Role, string? District, string? School) : ICurrentUser
    {
        public bool IsAuthenticated => true;
        public string? UserId => Name;
        public string? UserName => Name;
        public IReadOnlyList<string> Roles => [Role];
        public string? DistrictCode => District;
        public string? SchoolCode => School;
        public string? Pin => null;
        public bool IsInRole(string role) => role == Role;
    }
}
