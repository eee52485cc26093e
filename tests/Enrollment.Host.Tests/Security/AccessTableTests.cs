using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Host.Tests.GraphQL;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Security;

/// <summary>
/// The access table: for every root GraphQL field, who may call it. A field that is added to the schema without a row
/// here fails <see cref="Every_root_field_has_a_row_in_the_access_table"/>; a row that disagrees with the field's
/// declaration fails <see cref="Declared_access_matches_the_table"/>; and the table is checked against the running host
/// for every role and anonymous callers (<see cref="Each_role_is_refused_or_admitted_as_the_table_says"/>).
/// Scope (which school, which district, which family) is checked per entity in the module tests (IDOR).
/// </summary>
[Collection(HostCollection.Name)]
public sealed class AccessTableTests(EnrollmentFactory factory)
{
    private const string Public = "public";
    private const string AnyUser = "any signed-in user";
    private const string Ministry = Roles.MinistryAdmin;
    private const string District = Roles.DistrictOfficer;
    private const string School = Roles.SchoolAdmin;
    private const string Parent = Roles.Parent;
    private const string Analyst = Roles.Analyst;

    private static string Of(params string[] roles) => string.Join(",", roles.Order(StringComparer.Ordinal));

    /// <summary>Query.field or Mutation.field → "public", "any signed-in user" or the sorted role list.</summary>
    public static readonly IReadOnlyDictionary<string, string> Table = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // ---- TABLE START (keep sorted; one row per root field)
        ["Mutation.addAppealMessage"] = Of(District, Ministry, Parent),
        ["Mutation.addExtraSeats"] = Of(Ministry),
        ["Mutation.announceSwitch"] = Of(Ministry),
        ["Mutation.answerAppeal"] = Of(District, Ministry),
        ["Mutation.approveMicrodistrictProposal"] = Of(Ministry),
        ["Mutation.approveQuotas"] = Of(District, Ministry),
        ["Mutation.cancelApplication"] = Of(Parent),
        ["Mutation.confirmOffer"] = Of(Parent),
        ["Mutation.correctApplication"] = Of(Parent),
        ["Mutation.createCampaign"] = Of(Ministry),
        ["Mutation.createDraft"] = Of(Parent),
        ["Mutation.createSchool"] = Of(District, Ministry),
        ["Mutation.createStaffAccount"] = Of(Ministry),
        ["Mutation.deleteAnalyticsQuery"] = Of(Analyst, Ministry),
        ["Mutation.deleteMicrodistrictRule"] = Of(District, Ministry),
        ["Mutation.disableAccount"] = Of(Ministry),
        ["Mutation.enableAccount"] = Of(Ministry),
        ["Mutation.enrollChildren"] = Of(District, Ministry, School),
        ["Mutation.enrollLateArrival"] = Of(Ministry, School),
        ["Mutation.fileAppeal"] = Of(Parent),
        ["Mutation.grantExtraCancellation"] = Of(Ministry),
        ["Mutation.importMicrodistrictPolygonsGeoJson"] = Of(District, Ministry),
        ["Mutation.importMicrodistrictRulesCsv"] = Of(District, Ministry),
        ["Mutation.importSchools"] = Of(Ministry),
        ["Mutation.login"] = Public,
        ["Mutation.markNeedsCorrection"] = Of(District, Ministry, School),
        ["Mutation.rebuildReportingReadModels"] = Of(Ministry),
        ["Mutation.recordCommissionDecision"] = Of(District, Ministry),
        ["Mutation.recordWithdrawal"] = Of(District, Ministry, School),
        ["Mutation.refreshToken"] = Public,
        ["Mutation.rejectApplication"] = Of(District, Ministry, School),
        ["Mutation.rejectMicrodistrictProposal"] = Of(Ministry),
        ["Mutation.resetPassword"] = Of(Ministry),
        ["Mutation.returnQuota"] = Of(District, Ministry),
        ["Mutation.revertMicrodistrictChange"] = Of(District, Ministry),
        ["Mutation.runAllocation"] = Of(Ministry),
        ["Mutation.saveAnalyticsQuery"] = Of(Analyst, Ministry),
        ["Mutation.saveMicrodistrictPolygon"] = Of(District, Ministry),
        ["Mutation.saveMicrodistrictRule"] = Of(District, Ministry),
        ["Mutation.saveQuota"] = Of(District, Ministry, School),
        ["Mutation.signOutEverywhere"] = Of(Ministry),
        ["Mutation.signUp"] = Public,
        ["Mutation.submitApplication"] = Of(Parent),
        ["Mutation.submitQuotas"] = Of(District, Ministry, School),
        ["Mutation.switchApplication"] = Of(Parent),
        ["Mutation.updateCampaign"] = Of(Ministry),
        ["Mutation.updateSchool"] = Of(District, Ministry),
        ["Mutation.verifyPriority"] = Of(District, Ministry, School),
        ["Query.allocationRun"] = Of(Ministry),
        ["Query.allocationRunExport"] = Of(Ministry),
        ["Query.allocationRuns"] = Of(Ministry),
        ["Query.allocationSchedule"] = Public,
        ["Query.appeal"] = Of(District, Ministry, Parent),
        ["Query.appeals"] = Of(District, Ministry),
        ["Query.application"] = Of(District, Ministry, Parent, School),
        ["Query.applicationFacts"] = Of(Analyst, Ministry),
        ["Query.applications"] = Of(District, Ministry, School),
        ["Query.auditChain"] = Of(Ministry),
        ["Query.auditEntries"] = Of(Ministry),
        ["Query.campaignHistory"] = Of(Ministry),
        ["Query.campaignSwitches"] = Of(Analyst, District, Ministry, School),
        ["Query.currentCampaign"] = Public,
        ["Query.currentStage"] = Public,
        ["Query.districts"] = Public,
        ["Query.explanation"] = Of(District, Ministry, Parent, School),
        ["Query.microdistrict"] = Public,
        ["Query.microdistrictHistory"] = Of(Analyst, District, Ministry, School),
        ["Query.microdistrictPolygonsGeoJson"] = Of(Analyst, District, Ministry),
        ["Query.microdistrictProposals"] = Of(Analyst, District, Ministry),
        ["Query.microdistrictQualityReport"] = Of(Analyst, District, Ministry),
        ["Query.microdistrictRulesCsv"] = Of(Analyst, District, Ministry),
        ["Query.myAppeals"] = Of(Parent),
        ["Query.myApplications"] = Of(Parent),
        ["Query.myChildren"] = Of(Parent),
        ["Query.notifications"] = Of(District, Ministry, Parent, School),
        ["Query.openDataApplications"] = Public,
        ["Query.openDataDaily"] = Public,
        ["Query.openDataPrograms"] = Public,
        ["Query.openDataRegions"] = Public,
        ["Query.openDataSeats"] = Public,
        ["Query.programFacts"] = Of(Analyst, Ministry),
        ["Query.programs"] = Public,
        ["Query.quotaHistory"] = Of(Analyst, District, Ministry, School),
        ["Query.quotaRollup"] = Of(Analyst, District, Ministry),
        ["Query.quotas"] = Of(Analyst, District, Ministry, School),
        ["Query.regions"] = Public,
        ["Query.resolveMicrodistrict"] = Public,
        ["Query.savedAnalyticsQueries"] = Of(Analyst, Ministry),
        ["Query.school"] = Public,
        ["Query.schools"] = Public,
        ["Query.schoolsCsv"] = Of(Analyst, District, Ministry),
        ["Query.viewer"] = Public,
        // ---- TABLE END
    };

    private static (IObjectGraphType Type, string Kind)[] Roots(ISchema schema) =>
        schema.Mutation is null ? [(schema.Query, "Query")] : [(schema.Query, "Query"), (schema.Mutation, "Mutation")];

    private static string Declared(IFieldType field)
    {
        if (field.IsPublic())
        {
            return Public;
        }

        if (!field.IsAuthorizationRequired())
        {
            return "closed";
        }

        var roles = field.GetRoles();
        return roles is { Count: > 0 } ? Of([.. roles]) : AnyUser;
    }

    private ISchema Schema()
    {
        var schema = factory.Services.GetRequiredService<Enrollment.Host.GraphQL.AppSchema>();
        schema.Initialize();
        return schema;
    }

    [Fact]
    public void Every_root_field_has_a_row_in_the_access_table()
    {
        var schema = Schema();
        var missing = Roots(schema)
            .SelectMany(r => r.Type.Fields.Where(f => !f.Name.StartsWith("__", StringComparison.Ordinal))
                .Select(f => (Key: r.Kind + "." + f.Name, Field: f)))
            .Where(x => !Table.ContainsKey(x.Key))
            .Select(x => $"[\"{x.Key}\"] = \"{Declared(x.Field)}\",")
            .ToList();
        Assert.True(missing.Count == 0, "Add these rows to the access table (after checking they are right):\n" + string.Join("\n", missing));

        var present = Roots(schema).SelectMany(r => r.Type.Fields.Select(f => r.Kind + "." + f.Name)).ToHashSet(StringComparer.Ordinal);
        var stale = Table.Keys.Where(k => !present.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "The access table names fields the schema no longer has: " + string.Join(", ", stale));
    }

    [Fact]
    public void Declared_access_matches_the_table()
    {
        var wrong = Roots(Schema())
            .SelectMany(r => r.Type.Fields.Select(f => (Key: r.Kind + "." + f.Name, Declared: Declared(f))))
            .Where(x => Table.TryGetValue(x.Key, out var expected) && expected != x.Declared)
            .Select(x => $"{x.Key}: table says '{Table[x.Key]}', the field declares '{x.Declared}'")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    public static TheoryData<string> Principals => ["anonymous", Parent, School, District, Ministry, Analyst];

    /// <summary>
    /// For each root field, a request with placeholder arguments: a caller the table excludes gets UNAUTHENTICATED or
    /// ACCESS_DENIED from validation (nothing executes, so mutations are safe to try); a caller the table admits to a
    /// query never gets that refusal (the query may still fail later, e.g. NOT_FOUND for the placeholder id).
    /// Mutations are only tried with callers the table excludes — admitted callers would execute them.
    /// </summary>
    [Theory]
    [MemberData(nameof(Principals))]
    public async Task Each_role_is_refused_or_admitted_as_the_table_says(string principal)
    {
        var schema = Schema();
        using var client = factory.CreateClient();
        string? bearer = null;
        if (principal != "anonymous")
        {
            var account = Tiny.Account(principal);
            bearer = await client.LoginAsync(account.UserName, account.Password);
        }

        var failures = new List<string>();
        foreach (var (type, kind) in Roots(schema))
        {
            foreach (var field in type.Fields.Where(f => !f.Name.StartsWith("__", StringComparison.Ordinal)))
            {
                if (!Table.TryGetValue(kind + "." + field.Name, out var expected))
                {
                    continue; // reported by Every_root_field_has_a_row_in_the_access_table
                }

                var admitted = expected == Public || (expected == AnyUser && bearer is not null)
                    || (bearer is not null && expected.Split(',').Contains(principal));
                if (admitted && kind == "Mutation")
                {
                    continue;
                }

                var operation = (kind == "Mutation" ? "mutation" : "query") + " { " + Call(field) + " }";
                var (_, body) = await client.PostAsync(operation, bearer: bearer);
                var refused = RefusedByValidation(body);
                if (admitted && refused is not null)
                {
                    failures.Add($"{kind}.{field.Name}: {principal} should be admitted but got {refused}");
                }
                else if (!admitted && refused is null)
                {
                    failures.Add($"{kind}.{field.Name}: {principal} should be refused but got {body.ToJsonString()}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>UNAUTHENTICATED / ACCESS_DENIED reported by validation (no path: nothing executed), else null.</summary>
    private static string? RefusedByValidation(JsonNode body) =>
        body["errors"]?.AsArray()
            .Where(e => e?["path"] is null)
            .Select(e => e?["extensions"]?["code"]?.GetValue<string>())
            .FirstOrDefault(c => c is "UNAUTHENTICATED" or "ACCESS_DENIED");

    private static string Call(IFieldType field)
    {
        var args = field.Arguments?
            .Where(a => a.ResolvedType is NonNullGraphType)
            .Select(a => a.Name + ": " + Placeholder(a.ResolvedType!, 0))
            .ToList() ?? [];
        var call = field.Name + (args.Count > 0 ? "(" + string.Join(", ", args) + ")" : "");
        return field.ResolvedType!.GetNamedType() is IComplexGraphType or UnionGraphType ? call + " { __typename }" : call;
    }

    /// <summary>A literal of the argument's type: well formed, pointing at nothing that exists.</summary>
    private static string Placeholder(IGraphType type, int depth)
    {
        switch (type)
        {
            case NonNullGraphType nonNull:
                return Placeholder(nonNull.ResolvedType!, depth);
            case ListGraphType:
                return "[]";
            case EnumerationGraphType enumeration:
                return enumeration.Values.First().Name;
            case IInputObjectGraphType input when depth < 5:
                var fields = input.Fields.Where(f => f.ResolvedType is NonNullGraphType)
                    .Select(f => f.Name + ": " + Placeholder(f.ResolvedType!, depth + 1));
                return "{ " + string.Join(", ", fields) + " }";
            case ScalarGraphType scalar:
                return scalar.Name switch
                {
                    "Int" or "Long" or "Short" or "Byte" or "UInt" or "ULong" or "UShort" or "SByte" or "BigInt" => "1",
                    "Float" or "Decimal" => "1.5",
                    "Boolean" => "false",
                    "Guid" or "UUID" => "\"00000000-0000-0000-0000-000000000001\"",
                    "Date" or "DateOnly" => "\"2026-04-01\"",
                    "DateTime" or "DateTimeOffset" => "\"2026-04-01T10:00:00+06:00\"",
                    "TimeOnly" or "TimeSpan" => "\"10:00:00\"",
                    _ => "\"placeholder\"",
                };
            default:
                return "null";
        }
    }

    /// <summary>Rows stay in order, so a reviewer sees a new field next to its neighbours.</summary>
    [Fact]
    public void Table_rows_are_sorted()
    {
        var keys = Table.Keys.ToList();
        var sorted = keys.Order(StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i] != sorted[i])
            {
                text.Append(CultureInfo.InvariantCulture, $"row {i}: {keys[i]} should be {sorted[i]}\n");
                break;
            }
        }

        Assert.True(text.Length == 0, text.ToString());
    }
}
