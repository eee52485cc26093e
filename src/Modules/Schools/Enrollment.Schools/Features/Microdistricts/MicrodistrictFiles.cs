using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Schools.Data;
using Enrollment.Schools.Domain;
using Enrollment.Schools.Features.SchoolList;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Schools.Features.Microdistricts;

/// <summary>
/// One problem of an imported micro-district file: the 1-based CSV line (the header is line 1) or the 1-based GeoJSON
/// feature number (0 when the problem is about the whole file), the column or property, and what is wrong.
/// </summary>
internal sealed record MicrodistrictImportProblem(int Line, int Feature, string Field, string Message);

/// <summary>
/// What an import did: rules/polygons added, changed and deleted, or — while a campaign's Stage One..LateEnrollment
/// runs and the importer is a district officer — how many proposals it filed for the ministry instead. With any error
/// nothing is imported and every error is listed.
/// </summary>
internal sealed record MicrodistrictImportResult(int Added, int Changed, int Deleted, int Proposed, IReadOnlyList<MicrodistrictImportProblem> Errors)
{
    public bool Imported => Errors.Count == 0;

    public static MicrodistrictImportResult Failed(IEnumerable<MicrodistrictImportProblem> errors) =>
        new(0, 0, 0, 0, [.. errors.OrderBy(e => e.Line).ThenBy(e => e.Feature).ThenBy(e => e.Field, StringComparer.Ordinal)]);
}

/// <summary>A district's address rules as CSV: <see cref="MicrodistrictFiles.RuleHeader"/>, ordered by school, settlement, street.</summary>
internal sealed record ExportMicrodistrictRules(string DistrictCode) : IQuery<string>;

/// <summary>A district's micro-district polygons as a GeoJSON FeatureCollection (property <c>schoolCode</c> on each feature).</summary>
internal sealed record ExportMicrodistrictPolygons(string DistrictCode) : IQuery<string>;

/// <summary>
/// Replaces the address rules of every school the CSV names (schools it does not name keep theirs): rules in the file
/// and not in the database are added, rules of a named school missing from the file are deleted, equal ones are kept.
/// </summary>
internal sealed record ImportMicrodistrictRules(string DistrictCode, string Csv) : ICommand<MicrodistrictImportResult>;

/// <summary>
/// Sets the polygon of every school a feature of the FeatureCollection names (a feature with a null geometry removes it);
/// schools without a feature keep theirs.
/// </summary>
internal sealed record ImportMicrodistrictPolygons(string DistrictCode, string GeoJson) : ICommand<MicrodistrictImportResult>;

internal sealed class MicrodistrictFileValidator : IValidator<ImportMicrodistrictRules>, IValidator<ImportMicrodistrictPolygons>,
    IValidator<ExportMicrodistrictRules>, IValidator<ExportMicrodistrictPolygons>
{
    public void Validate(ImportMicrodistrictRules message, ValidationErrors errors) => Check(message.DistrictCode, message.Csv, "csv", errors);

    public void Validate(ImportMicrodistrictPolygons message, ValidationErrors errors) => Check(message.DistrictCode, message.GeoJson, "geoJson", errors);

    public void Validate(ExportMicrodistrictRules message, ValidationErrors errors) => errors.Required("districtCode", message.DistrictCode, 16);

    public void Validate(ExportMicrodistrictPolygons message, ValidationErrors errors) => errors.Required("districtCode", message.DistrictCode, 16);

    private static void Check(string district, string file, string field, ValidationErrors errors)
    {
        errors.Required("districtCode", district, 16);
        if (string.IsNullOrWhiteSpace(file))
        {
            errors.Add(field, "REQUIRED", "The file is empty.");
        }
        else if (file.Length > 20_000_000)
        {
            errors.Add(field, "TOO_LONG", "At most 20,000,000 characters.");
        }
    }
}

internal static class MicrodistrictFiles
{
    public static readonly string[] RuleHeader = ["school_code", "settlement_code", "street", "house_set"];

    /// <summary>The geometry of a stored polygon (stored as a geometry or as a Feature); null when unreadable.</summary>
    public static JsonNode? Geometry(string? stored)
    {
        try
        {
            var node = string.IsNullOrWhiteSpace(stored) ? null : JsonNode.Parse(stored);
            return node is JsonObject o && o["type"]?.GetValueKind() == JsonValueKind.String && o["type"]!.GetValue<string>() == "Feature" ? o["geometry"] : node;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The district's schools, scoped: readers may see it, importers must be allowed to edit it.</summary>
internal sealed class DistrictMicrodistricts(SchoolsDbContext db, ICurrentUser user)
{
    public async Task<Dictionary<string, School>> SchoolsAsync(string districtCode, bool edit, CancellationToken ct)
    {
        if (!(edit ? DistrictScope.CanEdit(user, districtCode) : DistrictScope.CanSee(user, districtCode)))
        {
            throw new AccessDenied("District officers work only with their own district's micro-districts.");
        }

        if (!await db.Districts.AnyAsync(d => d.Code == districtCode, ct))
        {
            throw new NotFound("District", districtCode);
        }

        return await db.Schools.Where(s => s.DistrictCode == districtCode).ToDictionaryAsync(s => s.Code, StringComparer.Ordinal, ct);
    }

    public static string? SchoolProblem(string code, Dictionary<string, School> schools, string districtCode) =>
        !schools.TryGetValue(code, out var school) ? $"School '{code}' is not a school of district {districtCode}."
        : !school.ParticipatesInEnrollment ? $"School {code} does not take part in enrollment and has no micro-district."
        : null;
}

internal sealed class ExportMicrodistrictRulesHandler(SchoolsDbContext db, DistrictMicrodistricts district) : IQueryHandler<ExportMicrodistrictRules, string>
{
    public async ValueTask<string> Handle(ExportMicrodistrictRules query, CancellationToken ct)
    {
        var codes = (await district.SchoolsAsync(query.DistrictCode, edit: false, ct)).Values.Where(s => s.ParticipatesInEnrollment).Select(s => s.Code).ToList();
        var rules = await db.MicrodistrictRules.AsNoTracking().Where(r => codes.Contains(r.SchoolCode)).ToListAsync(ct);
        var sb = new StringBuilder(SchoolCsv.Line(MicrodistrictFiles.RuleHeader));
        foreach (var r in rules.OrderBy(r => r.SchoolCode, StringComparer.Ordinal).ThenBy(r => r.SettlementCode, StringComparer.Ordinal)
                     .ThenBy(r => r.Street, StringComparer.Ordinal).ThenBy(r => r.HouseSet, StringComparer.Ordinal))
        {
            sb.Append(SchoolCsv.Line([r.SchoolCode, r.SettlementCode, r.Street, r.HouseSet]));
        }

        return sb.ToString();
    }
}

internal sealed class ExportMicrodistrictPolygonsHandler(SchoolsDbContext db, DistrictMicrodistricts district) : IQueryHandler<ExportMicrodistrictPolygons, string>
{
    public async ValueTask<string> Handle(ExportMicrodistrictPolygons query, CancellationToken ct)
    {
        var schools = (await district.SchoolsAsync(query.DistrictCode, edit: false, ct)).Values.Where(s => s.ParticipatesInEnrollment).ToDictionary(s => s.Code);
        var codes = schools.Keys.ToList();
        var polygons = await db.MicrodistrictPolygons.AsNoTracking().Where(p => codes.Contains(p.SchoolCode)).ToListAsync(ct);
        var features = new JsonArray();
        foreach (var p in polygons.OrderBy(p => p.SchoolCode, StringComparer.Ordinal))
        {
            var s = schools[p.SchoolCode];
            features.Add(new JsonObject
            {
                ["type"] = "Feature",
                ["properties"] = new JsonObject { ["schoolCode"] = s.Code, ["nameKy"] = s.NameKy, ["nameRu"] = s.NameRu },
                ["geometry"] = MicrodistrictFiles.Geometry(p.GeoJson)?.DeepClone(),
            });
        }

        return new JsonObject { ["type"] = "FeatureCollection", ["features"] = features }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}

internal sealed class ImportMicrodistrictRulesHandler(SchoolsDbContext db, DistrictMicrodistricts district, MicrodistrictEditor editor)
    : ICommandHandler<ImportMicrodistrictRules, MicrodistrictImportResult>
{
    public async ValueTask<MicrodistrictImportResult> Handle(ImportMicrodistrictRules command, CancellationToken ct)
    {
        var schools = await district.SchoolsAsync(command.DistrictCode, edit: true, ct);
        var rows = SchoolCsv.Read(command.Csv);
        if (rows.Count == 0)
        {
            return MicrodistrictImportResult.Failed([new(1, 0, "", "The file has no header row.")]);
        }

        var headerErrors = new List<CsvError>();
        var column = SchoolCsv.MapHeader(rows[0].Fields, MicrodistrictFiles.RuleHeader, headerErrors);
        if (headerErrors.Count > 0)
        {
            return MicrodistrictImportResult.Failed(headerErrors.Select(e => new MicrodistrictImportProblem(e.Line, 0, e.Column, e.Message)));
        }

        var settlements = (await db.Settlements.AsNoTracking().Where(s => s.DistrictCode == command.DistrictCode).Select(s => s.Code).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var errors = new List<MicrodistrictImportProblem>();
        var seen = new Dictionary<(string, string, string, string), int>();
        foreach (var (line, fields) in rows.Skip(1))
        {
            string Get(string name) => column[name] < fields.Count ? fields[column[name]].Trim() : "";
            void Error(string name, string message) => errors.Add(new(line, 0, name, message));
            if (fields.Count != rows[0].Fields.Count)
            {
                Error("", $"The row has {fields.Count} fields; the header has {rows[0].Fields.Count}.");
                continue;
            }

            var (school, settlement, street, houses) = (Get("school_code"), Get("settlement_code"), Get("street"), Get("house_set"));
            if (DistrictMicrodistricts.SchoolProblem(school, schools, command.DistrictCode) is { } schoolProblem)
            {
                Error("school_code", schoolProblem);
            }

            if (!settlements.Contains(settlement))
            {
                Error("settlement_code", $"Settlement '{settlement}' is not in district {command.DistrictCode}.");
            }

            if (street.Length > 200 || houses.Length > 2000)
            {
                Error(street.Length > 200 ? "street" : "house_set", "Too long (street ≤ 200, house set ≤ 2000 characters).");
            }
            else if (MicrodistrictEditor.RuleTextProblem(street, houses) is { } problem)
            {
                Error(problem.Code == "INVALID_STREET" ? "street" : "house_set", problem.Message);
            }

            if (seen.TryGetValue((school, settlement, street, houses), out var first))
            {
                Error("", $"The same rule is already on line {first}.");
            }
            else
            {
                seen[(school, settlement, street, houses)] = line;
            }
        }

        if (errors.Count > 0)
        {
            return MicrodistrictImportResult.Failed(errors);
        }

        var named = seen.Keys.Select(k => k.Item1).Distinct().ToList();
        var existing = await db.MicrodistrictRules.AsNoTracking().Where(r => named.Contains(r.SchoolCode)).ToListAsync(ct);
        var wanted = seen.Keys.ToHashSet();
        var deletions = existing.Where(r => !wanted.Contains((r.SchoolCode, r.SettlementCode, r.Street, r.HouseSet))).ToList();
        var kept = existing.Select(r => (r.SchoolCode, r.SettlementCode, r.Street, r.HouseSet)).ToHashSet();
        var additions = seen.OrderBy(p => p.Value).Select(p => p.Key).Where(k => !kept.Contains(k)).ToList();
        if (await editor.NeedsApprovalAsync(ct))
        {
            foreach (var rule in deletions)
            {
                editor.AddProposal(schools[rule.SchoolCode], MicrodistrictProposalKinds.DeleteRule, new DeleteMicrodistrictRule(rule.Id));
            }

            foreach (var (school, settlement, street, houses) in additions)
            {
                editor.AddProposal(schools[school], MicrodistrictProposalKinds.SaveRule, new SaveMicrodistrictRule(null, school, settlement, street, houses));
            }

            await db.SaveChangesAsync(ct);
            return new MicrodistrictImportResult(0, 0, 0, deletions.Count + additions.Count, []);
        }

        foreach (var rule in deletions)
        {
            await editor.ApplyDeleteRuleAsync(schools[rule.SchoolCode], rule.Id, ct);
        }

        foreach (var (school, settlement, street, houses) in additions)
        {
            await editor.ApplySaveRuleAsync(schools[school], new SaveMicrodistrictRule(null, school, settlement, street, houses), ct);
        }

        await editor.SaveAsync(ct);
        return new MicrodistrictImportResult(additions.Count, 0, deletions.Count, 0, []);
    }
}

internal sealed class ImportMicrodistrictPolygonsHandler(SchoolsDbContext db, DistrictMicrodistricts district, MicrodistrictEditor editor)
    : ICommandHandler<ImportMicrodistrictPolygons, MicrodistrictImportResult>
{
    private static readonly string[] SchoolProperties = ["schoolCode", "school_code", "code"];

    public async ValueTask<MicrodistrictImportResult> Handle(ImportMicrodistrictPolygons command, CancellationToken ct)
    {
        var schools = await district.SchoolsAsync(command.DistrictCode, edit: true, ct);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(command.GeoJson, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            return MicrodistrictImportResult.Failed([new(0, 0, "", "The file is not valid JSON: " + e.Message)]);
        }

        if (root is not JsonObject collection || Text(collection["type"]) != "FeatureCollection" || collection["features"] is not JsonArray features)
        {
            return MicrodistrictImportResult.Failed([new(0, 0, "type", "The file must be a GeoJSON FeatureCollection with a 'features' array.")]);
        }

        var errors = new List<MicrodistrictImportProblem>();
        var wanted = new List<(School School, string? GeoJson, JsonNode? Geometry)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < features.Count; i++)
        {
            var number = i + 1;
            void Error(string field, string message) => errors.Add(new(0, number, field, message));
            if (features[i] is not JsonObject feature || Text(feature["type"]) != "Feature")
            {
                Error("type", "Each item of 'features' must be a GeoJSON Feature.");
                continue;
            }

            var code = SchoolProperties.Select(p => Text((feature["properties"] as JsonObject)?[p])).FirstOrDefault(c => c is not null)?.Trim();
            if (code is null)
            {
                Error("properties.schoolCode", "The feature names no school (property 'schoolCode').");
            }
            else if (DistrictMicrodistricts.SchoolProblem(code, schools, command.DistrictCode) is { } problem)
            {
                Error("properties.schoolCode", problem);
            }
            else if (seen.TryGetValue(code, out var first))
            {
                Error("properties.schoolCode", $"School {code} already has feature {first}.");
            }
            else
            {
                seen[code] = number;
            }

            var geometry = feature["geometry"];
            var geoJson = geometry?.ToJsonString();
            if (geoJson is not null && MicrodistrictEditor.PolygonProblem(geoJson) is { } polygonProblem)
            {
                Error("geometry", polygonProblem);
            }
            else if (code is not null && schools.TryGetValue(code, out var school))
            {
                wanted.Add((school, geoJson, geometry));
            }
        }

        if (errors.Count > 0)
        {
            return MicrodistrictImportResult.Failed(errors);
        }

        var codes = wanted.Select(w => w.School.Code).ToList();
        var existing = await db.MicrodistrictPolygons.AsNoTracking().Where(p => codes.Contains(p.SchoolCode)).ToDictionaryAsync(p => p.SchoolCode, p => p.GeoJson, ct);
        var changes = wanted.Where(w => existing.TryGetValue(w.School.Code, out var stored)
            ? !JsonNode.DeepEquals(MicrodistrictFiles.Geometry(stored), w.Geometry)
            : w.GeoJson is not null).ToList();
        if (await editor.NeedsApprovalAsync(ct))
        {
            foreach (var (school, geoJson, _) in changes)
            {
                editor.AddProposal(school, MicrodistrictProposalKinds.SavePolygon, new SaveMicrodistrictPolygon(school.Code, geoJson));
            }

            await db.SaveChangesAsync(ct);
            return new MicrodistrictImportResult(0, 0, 0, changes.Count, []);
        }

        foreach (var (school, geoJson, _) in changes)
        {
            await editor.ApplySavePolygonAsync(school, geoJson, ct);
        }

        await editor.SaveAsync(ct);
        return new MicrodistrictImportResult(
            changes.Count(c => c.GeoJson is not null && !existing.ContainsKey(c.School.Code)),
            changes.Count(c => c.GeoJson is not null && existing.ContainsKey(c.School.Code)),
            changes.Count(c => c.GeoJson is null),
            0,
            []);
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
