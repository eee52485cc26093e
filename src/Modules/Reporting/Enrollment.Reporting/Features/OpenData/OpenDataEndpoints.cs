using System.Security.Cryptography;
using System.Text;
using Enrollment.Reporting.Contracts;
using Enrollment.Reporting.Features.Export;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Enrollment.Reporting.Features.OpenData;

/// <summary>
/// CSV downloads of the open-data tables (public). Each answer carries <c>Cache-Control: public, max-age=60</c> and an ETag
/// built from the read-model version of the answer and the request, so a repeat with <c>If-None-Match</c> is a 304.
/// </summary>
internal static class OpenDataEndpoints
{
    public const string CacheControl = "public, max-age=60";

    public static void MapOpenDataEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/open-data").AllowAnonymous();
        group.MapGet("/programs.csv", (HttpContext http, string? region, string? district, string? school, string? language, bool? free) =>
            Csv(http, "programs", async (reader, ct) => OpenDataTables.Programs(
                await reader.ProgramListAsync(new GetOpenDataPrograms(Blank(region), Blank(district), Blank(school), Blank(language), free == true), ct))));
        group.MapGet("/applications.csv", (HttpContext http, string? level, string? region, string? district) =>
            Level(level) is { } l
                ? Csv(http, "applications", async (reader, ct) => OpenDataTables.Applications(await reader.ApplicationsAsync(l, Blank(region), Blank(district), ct)))
                : Task.FromResult(Results.BadRequest("level must be national, region, district or school")));
        group.MapGet("/seats.csv", (HttpContext http, string? level, string? region, string? district) =>
            Level(level) is { } l
                ? Csv(http, "seats", async (reader, ct) => OpenDataTables.Seats(await reader.SeatsAsync(l, Blank(region), Blank(district), ct)))
                : Task.FromResult(Results.BadRequest("level must be national, region, district or school")));
        group.MapGet("/open-data.js", () => Script("open-data.js"));
        group.MapGet("/daily.csv", (HttpContext http, string? region) =>
            Csv(http, "daily", async (reader, ct) => OpenDataTables.Daily(await reader.DailyAsync(Blank(region), ct))));
    }

    /// <summary>The module's own scripts, embedded in its assembly (CSP allows only same-origin scripts, never inline).</summary>
    internal static IResult Script(string name)
    {
        using var stream = typeof(OpenDataEndpoints).Assembly.GetManifestResourceStream("Enrollment.Reporting.Scripts." + name)
            ?? throw new InvalidOperationException($"Script {name} is not embedded.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return Results.File(memory.ToArray(), "text/javascript; charset=utf-8");
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static AreaLevel? Level(string? level) =>
        string.IsNullOrEmpty(level) ? AreaLevel.Region : Enum.TryParse<AreaLevel>(level, ignoreCase: true, out var l) && Enum.IsDefined(l) ? l : null;

    private static async Task<IResult> Csv(HttpContext http, string name, Func<OpenDataReader, CancellationToken, Task<Table>> load)
    {
        var reader = http.RequestServices.GetRequiredService<OpenDataReader>();
        var ct = http.RequestAborted;
        // The table first (usually the answer kept by OpenDataAnswers, no database work), then the ETag of the version it
        // was computed from: a 304 never stands for newer data than the body the client holds.
        var table = await load(reader, ct);
        var tag = reader.AnswerTag ?? throw new InvalidOperationException("Every open-data table is answered through OpenDataAnswers, which names its version.");
        var etag = new EntityTagHeaderValue("\"" + Hash(tag + "|" + http.Request.Path + http.Request.QueryString) + "\"");
        http.Response.Headers.CacheControl = CacheControl;
        http.Response.Headers.ETag = etag.ToString();
        if (http.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } match && match.Any(m => m.Compare(etag, useStrongComparison: false) || m.Tag == "*"))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.File(table.ToCsv(), Table.CsvType, $"open-data-{name}.csv");
    }

    private static string Hash(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)))[..32];
}

/// <summary>The open-data tables as exported (the same columns in CSV and the GraphQL fields).</summary>
internal static class OpenDataTables
{
    public static Table Programs(IEnumerable<OpenDataProgramDto> rows) => Table.From(rows,
        ("school_code", r => r.SchoolCode), ("school_name_ky", r => r.SchoolNameKy), ("school_name_ru", r => r.SchoolNameRu),
        ("district_code", r => r.DistrictCode), ("region_code", r => r.RegionCode), ("language", r => r.Language), ("grade", r => r.Grade),
        ("approved_seats", r => r.ApprovedSeats), ("offers", r => r.Offers), ("enrolled", r => r.Enrolled), ("free_seats", r => r.FreeSeats));

    public static Table Applications(IEnumerable<OpenDataApplicationsRowDto> rows) => Table.From(rows,
        ("area_code", r => r.AreaCode), ("area_name_ky", r => r.AreaNameKy), ("area_name_ru", r => r.AreaNameRu), ("language", r => r.Language),
        ("grade", r => r.Grade), ("stage", r => r.Stage), ("status", r => r.Status), ("applications", r => r.Applications), ("privileged", r => r.Privileged));

    public static Table Seats(IEnumerable<OpenDataSeatsRowDto> rows) => Table.From(rows,
        ("area_code", r => r.AreaCode), ("area_name_ky", r => r.AreaNameKy), ("area_name_ru", r => r.AreaNameRu), ("language", r => r.Language),
        ("grade", r => r.Grade), ("programs", r => r.Programs), ("approved_seats", r => r.ApprovedSeats), ("offers", r => r.Offers),
        ("enrolled", r => r.Enrolled), ("free_seats", r => r.FreeSeats), ("applications", r => r.Applications), ("privileged", r => r.Privileged));

    public static Table Daily(IEnumerable<DailyApplicationsDto> rows) => Table.From(rows,
        ("day", r => r.Day), ("region_code", r => r.RegionCode), ("submitted", r => r.Submitted));
}
