using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.GraphQL;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Enrollment.Host.Tests.BadInput;

/// <summary>
/// The bad-input corpus against every GraphQL mutation, enumerated from the schema so a new mutation is covered the day
/// it is added. Each case keeps every argument at a well-formed placeholder except one input position (an argument, a
/// field of an input object, an element of a list), which gets one malformed value of <see cref="MalformedValues"/>. The
/// request runs as a role the field admits, so it reaches the handler. Every answer must be a typed refusal (or a
/// legitimate acceptance of odd but valid text) — never a 5xx, an INTERNAL_ERROR or a stack trace — and the module
/// tables must be the same afterwards.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class MutationCorpusTests(BadInputFactory factory, ITestOutputHelper output)
{
    private sealed record Leaf(string Argument, string Path, Malformed[] Values, Func<JsonNode?, JsonNode?> Wrap);

    [Fact]
    public async Task Every_mutation_refuses_every_malformed_value_with_a_typed_error_and_changes_nothing()
    {
        var schema = factory.Services.GetRequiredService<Enrollment.Host.GraphQL.AppSchema>();
        schema.Initialize();
        using var client = factory.CreateClient();
        var failures = new List<string>();
        var cases = 0;
        var before = DatabaseDump.Take(factory);

        foreach (var field in schema.Mutation!.Fields.Where(f => f.Arguments is { Count: > 0 }))
        {
            var role = BadInputHttp.RoleFor(field.IsPublic() ? null : field.GetRoles());
            var bearer = await factory.TokenAsync(client, role);
            var arguments = field.Arguments!.ToList();
            var document = Document(field, arguments);
            foreach (var leaf in arguments.SelectMany(a => Leaves(a.Name, a.ResolvedType!, x => x, 0)))
            {
                foreach (var bad in leaf.Values)
                {
                    var variables = new JsonObject();
                    foreach (var argument in arguments.Where(a => a.ResolvedType is NonNullGraphType))
                    {
                        variables[argument.Name] = Placeholder(argument.ResolvedType!, 0);
                    }

                    variables[leaf.Argument] = leaf.Wrap(bad.Value());
                    var body = new JsonObject { ["query"] = document, ["variables"] = variables }.ToJsonString();
                    var reply = await client.PostGraphQLAsync(body, bearer);
                    cases++;
                    if (reply.Problem() is { } problem)
                    {
                        failures.Add($"{field.Name} {leaf.Path} = {bad.Label} (as {role ?? "anonymous"}): {problem}");
                    }
                    else if (reply.Accepted)
                    {
                        output.WriteLine($"accepted: {field.Name} {leaf.Path} = {bad.Label}");
                    }
                }
            }

            var after = DatabaseDump.Take(factory);
            failures.AddRange(DatabaseDump.Differences(before, after).Select(d => $"{field.Name} changed the database: {d}"));
            before = after;
        }

        output.WriteLine($"{cases} cases");
        Assert.True(cases > 500, $"only {cases} cases: the enumeration found too few inputs");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed:\n" + string.Join("\n", failures));
    }

    private static string Document(IFieldType field, IReadOnlyList<QueryArgument> arguments)
    {
        var declarations = string.Join(", ", arguments.Select(a => $"${a.Name}: {a.ResolvedType}"));
        var call = string.Join(", ", arguments.Select(a => $"{a.Name}: ${a.Name}"));
        var selection = field.ResolvedType!.GetNamedType() is IComplexGraphType or UnionGraphType ? " { __typename }" : "";
        return $"mutation Corpus({declarations}) {{ {field.Name}({call}){selection} }}";
    }

    /// <summary>Every input position under an argument, with the malformed values that fit its type.</summary>
    private static IEnumerable<Leaf> Leaves(string argument, IGraphType type, Func<JsonNode?, JsonNode?> wrap, int depth, string path = "")
    {
        path = path.Length == 0 ? argument : path;
        switch (type)
        {
            case NonNullGraphType nonNull:
                foreach (var leaf in Leaves(argument, nonNull.ResolvedType!, wrap, depth, path))
                {
                    yield return leaf;
                }

                break;
            case ListGraphType list:
                yield return new Leaf(argument, path, MalformedValues.List, wrap);
                foreach (var leaf in Leaves(argument, list.ResolvedType!, x => wrap(new JsonArray(x)), depth + 1, path + "[0]"))
                {
                    yield return leaf;
                }

                break;
            case IInputObjectGraphType input when depth < 4:
                yield return new Leaf(argument, path, MalformedValues.InputObject, wrap);
                foreach (var field in input.Fields)
                {
                    var name = field.Name;
                    JsonNode? Wrap(JsonNode? x)
                    {
                        var value = (JsonObject)Placeholder(input, depth + 1)!;
                        value[name] = x;
                        return wrap(value);
                    }

                    foreach (var leaf in Leaves(argument, field.ResolvedType!, Wrap, depth + 1, path + "." + name))
                    {
                        yield return leaf;
                    }
                }

                break;
            case EnumerationGraphType:
                yield return new Leaf(argument, path, MalformedValues.Enum, wrap);
                break;
            case ScalarGraphType scalar:
                yield return new Leaf(argument, path, MalformedValues.ForScalar(scalar.Name), wrap);
                break;
        }
    }

    /// <summary>A well-formed value of the type that points at nothing that exists.</summary>
    private static JsonNode? Placeholder(IGraphType type, int depth)
    {
        switch (type)
        {
            case NonNullGraphType nonNull:
                return Placeholder(nonNull.ResolvedType!, depth);
            case ListGraphType:
                return new JsonArray();
            case EnumerationGraphType enumeration:
                return enumeration.Values.First().Name;
            case IInputObjectGraphType input when depth < 6:
                var value = new JsonObject();
                foreach (var field in input.Fields.Where(f => f.ResolvedType is NonNullGraphType))
                {
                    value[field.Name] = Placeholder(field.ResolvedType!, depth + 1);
                }

                return value;
            case ScalarGraphType scalar:
                return scalar.Name switch
                {
                    "Int" or "Long" or "Short" or "Byte" or "UInt" or "ULong" or "UShort" or "SByte" or "BigInt" => 1,
                    "Float" or "Decimal" => 1.5,
                    "Boolean" => false,
                    "ID" or "Guid" or "UUID" => "00000000-0000-0000-0000-000000000001",
                    "Date" or "DateOnly" => "2026-04-01",
                    "DateTime" or "DateTimeOffset" => "2026-04-01T10:00:00+06:00",
                    _ => "placeholder",
                };
            default:
                return null;
        }
    }
}
