using System.Globalization;
using System.Text;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Schools.Contracts;
using Enrollment.Schools.Data;
using Enrollment.Schools.Domain;
using Enrollment.Schools.Features.Microdistricts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Schools.Features.SchoolList;

/// <summary>One problem of an imported file: 1-based line number (the header is line 1), the column and what is wrong.</summary>
internal sealed record CsvError(int Line, string Column, string Message);

internal sealed record SchoolImportResult(int Added, int Updated, IReadOnlyList<CsvError> Errors)
{
    public bool Imported => Errors.Count == 0;
}

/// <summary>
/// Imports the ministry's school list (CSV, the columns of <see cref="SchoolCsv.Header"/>): every row is checked, all
/// errors are reported with line numbers, and nothing is imported when any row is bad. Schools are matched by code:
/// new codes are added, known ones updated; schools missing from the file are left as they are.
/// </summary>
internal sealed record ImportSchools(string Csv) : ICommand<SchoolImportResult>;

/// <summary>The whole school list as CSV (UTF-8, header row, RFC 4180 quoting), ordered by code.</summary>
internal sealed record ExportSchools : IQuery<string>;

internal static class SchoolCsv
{
    public static readonly string[] Header =
    [
        "code", "region_code", "district_code", "settlement_code", "name_ky", "name_ru", "address", "latitude", "longitude",
        "type", "languages", "participates", "non_participation_reason",
    ];

    /// <summary>The CSV column of a field: <c>districtCode</c> → <c>district_code</c>.</summary>
    public static string Column(string field) =>
        string.Concat(field.Select(c => char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>Reads RFC 4180 CSV (comma or semicolon separated, quotes, CRLF/LF); returns rows with their first line number.</summary>
    public static List<(int Line, List<string> Fields)> Read(string text)
    {
        var rows = new List<(int, List<string>)>();
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var firstLineEnd = text.IndexOf('\n', StringComparison.Ordinal);
        var headerLine = firstLineEnd < 0 ? text : text[..firstLineEnd];
        var separator = headerLine.Count(c => c == ';') > headerLine.Count(c => c == ',') ? ';' : ',';
        var field = new StringBuilder();
        var fields = new List<string>();
        var line = 1;
        var rowLine = 1;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                fields.Add(field.ToString());
                field.Clear();
                if (fields.Count > 1 || fields[0].Length > 0)
                {
                    rows.Add((rowLine, fields));
                }

                fields = [];
                line++;
                rowLine = line;
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            rows.Add((rowLine, fields));
        }

        return rows;
    }

    public static string Write(IEnumerable<School> schools)
    {
        var sb = new StringBuilder();
        sb.Append(Line(Header));
        foreach (var s in schools)
        {
            string[] values =
            [
                s.Code, s.RegionCode, s.DistrictCode, s.SettlementCode, s.NameKy, s.NameRu, s.Address,
                s.Latitude.ToString("0.######", CultureInfo.InvariantCulture), s.Longitude.ToString("0.######", CultureInfo.InvariantCulture),
                s.Type, string.Join(';', s.LanguageList), s.ParticipatesInEnrollment ? "true" : "false", s.NonParticipationReason ?? "",
            ];
            sb.Append(Line(values));
        }

        return sb.ToString();
    }

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    /// <summary>A school's own data as JSON, for its change history.</summary>
    public static string Json(School s) => System.Text.Json.JsonSerializer.Serialize(new SchoolDto(s.Code, s.RegionCode, s.DistrictCode, s.SettlementCode,
        s.NameKy, s.NameRu, s.Address, s.Latitude, s.Longitude, s.Type, s.LanguageList, s.ParticipatesInEnrollment, s.NonParticipationReason), JsonOptions);

    public static SchoolDto? ReadJson(string json) => json.Length == 0 ? null : System.Text.Json.JsonSerializer.Deserialize<SchoolDto>(json, JsonOptions);

    /// <summary>The index of each required column in the header row (case-insensitive); a missing one is an error on line 1.</summary>
    public static Dictionary<string, int> MapHeader(IReadOnlyList<string> headerRow, IEnumerable<string> required, List<CsvError> errors)
    {
        var header = headerRow.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var column = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in required)
        {
            var index = header.IndexOf(name);
            if (index < 0)
            {
                errors.Add(new CsvError(1, name, $"The header has no column '{name}'."));
            }

            column[name] = index;
        }

        return column;
    }

    /// <summary>One CSV line (RFC 4180 quoting where needed), ending with CRLF.</summary>
    public static string Line(IEnumerable<string> values) => string.Join(',', values.Select(Quote)) + "\r\n";

    private static string Quote(string value) =>
        value.IndexOfAny([',', ';', '"', '\r', '\n']) >= 0 || value.StartsWith(' ') || value.EndsWith(' ')
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}

internal sealed class ImportSchoolsValidator : IValidator<ImportSchools>
{
    public void Validate(ImportSchools message, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(message.Csv))
        {
            errors.Add("csv", "REQUIRED", "The file is empty.");
        }
        else if (message.Csv.Length > 20_000_000)
        {
            errors.Add("csv", "TOO_LONG", "At most 20,000,000 characters.");
        }
    }
}

internal sealed class ImportSchoolsHandler(SchoolsDbContext db, ICurrentUser user, MicrodistrictEditor editor, IPublisher publisher)
    : ICommandHandler<ImportSchools, SchoolImportResult>
{
    public async ValueTask<SchoolImportResult> Handle(ImportSchools command, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.MinistryAdmin))
        {
            throw new AccessDenied("Only a ministry administrator imports the school list.");
        }

        var rows = SchoolCsv.Read(command.Csv);
        var errors = new List<CsvError>();
        if (rows.Count == 0)
        {
            return new SchoolImportResult(0, 0, [new CsvError(1, "", "The file has no header row.")]);
        }

        var header = rows[0].Fields;
        var column = SchoolCsv.MapHeader(header, SchoolCsv.Header, errors);
        if (errors.Count > 0)
        {
            return new SchoolImportResult(0, 0, errors);
        }

        var lookups = await SchoolLookups.LoadAsync(db, ct);
        var existing = await db.Schools.ToDictionaryAsync(s => s.Code, ct);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var parsed = new List<SchoolDraft>();

        foreach (var (line, fields) in rows.Skip(1))
        {
            string Get(string name) => column[name] < fields.Count ? fields[column[name]].Trim() : "";
            double Number(string name) => double.TryParse(Get(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
            void Error(string name, string message) => errors.Add(new CsvError(line, name, message));

            if (fields.Count != header.Count)
            {
                Error("", $"The row has {fields.Count} fields; the header has {header.Count}.");
                continue;
            }

            var code = Get("code");
            if (code.Length is 0 or > 16)
            {
                Error("code", "A school code of 1–16 characters is required.");
            }
            else if (seen.TryGetValue(code, out var first))
            {
                Error("code", $"School {code} is already on line {first}.");
            }
            else
            {
                seen[code] = line;
            }

            var languages = Get("languages").Split([';', ' ', '|'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.ToLowerInvariant()).Distinct().ToList();
            bool? participates = Get("participates").ToLowerInvariant() switch
            {
                "true" or "1" or "yes" or "да" or "ооба" => true,
                "false" or "0" or "no" or "нет" or "жок" => false,
                _ => null,
            };
            if (participates is null)
            {
                Error("participates", $"'{Get("participates")}' is not true or false.");
            }

            var draft = new SchoolDraft(code, Get("region_code"), Get("district_code"), Get("settlement_code"), Get("name_ky"), Get("name_ru"), Get("address"),
                Number("latitude"), Number("longitude"), Get("type"), languages, participates, Get("non_participation_reason"));
            SchoolRules.Check(draft with { Code = code.Length is 0 or > 16 ? "-" : code }, lookups, (field, _, message) => Error(SchoolCsv.Column(field), message));
            parsed.Add(draft);
        }

        if (errors.Count > 0)
        {
            return new SchoolImportResult(0, 0, [.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column, StringComparer.Ordinal)]);
        }

        int added = 0, updated = 0;
        foreach (var draft in parsed)
        {
            if (existing.TryGetValue(draft.Code, out var current))
            {
                var before = SchoolCsv.Json(current);
                draft.ApplyTo(current, lookups.RegionOf(draft.DistrictCode));
                var after = SchoolCsv.Json(current);
                if (before != after)
                {
                    editor.Record(current, MicrodistrictChangeKinds.SchoolChanged, null, before, after);
                    updated++;
                }
            }
            else
            {
                var school = draft.ToSchool(lookups.RegionOf(draft.DistrictCode));
                db.Schools.Add(school);
                editor.Record(school, MicrodistrictChangeKinds.SchoolAdded, null, "", SchoolCsv.Json(school));
                added++;
            }
        }

        await editor.SaveAsync(ct);
        if (added + updated > 0)
        {
            await publisher.Publish(new SchoolListChanged(await db.Schools.CountAsync(ct)), ct);
        }

        return new SchoolImportResult(added, updated, []);
    }
}

internal sealed class ExportSchoolsHandler(SchoolsDbContext db, ICurrentUser user) : IQueryHandler<ExportSchools, string>
{
    public async ValueTask<string> Handle(ExportSchools query, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.MinistryAdmin) && !user.IsInRole(Roles.Analyst) && !user.IsInRole(Roles.DistrictOfficer))
        {
            throw new AccessDenied("Only staff export the school list.");
        }

        var schools = db.Schools.AsNoTracking();
        if (!user.IsInRole(Roles.MinistryAdmin) && !user.IsInRole(Roles.Analyst))
        {
            var district = user.DistrictCode ?? "-";
            schools = schools.Where(s => s.DistrictCode == district);
        }

        return SchoolCsv.Write(await schools.OrderBy(s => s.Code).ToListAsync(ct));
    }
}
