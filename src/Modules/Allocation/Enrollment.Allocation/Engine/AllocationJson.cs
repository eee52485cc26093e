using System.Globalization;
using System.Text.Json;

namespace Enrollment.Allocation.Engine;

/// <summary>
/// The JSON formats of an allocation run, shared by the <c>Enrollment.Allocate</c> tool and the
/// module's run export. Output is UTF-8, indented by two spaces, "\n" line ends, no BOM, keys in
/// a fixed order and ids sorted ordinally: the same result always gives the same bytes.
/// <para>Instance: <c>{"programs":[{"id":"P1","capacity":25}],
/// "students":[{"id":"c1","choices":["P1","P2"],"priorities":{"P1":1},"tiebreak":42}],
/// "holds":{"c7":"P2"}}</c>. <c>priorities</c> and <c>holds</c> are optional; a top-level
/// <c>meta</c> value is allowed and ignored; any other unknown property is an error.</para>
/// <para>Result: <c>{"assignments":{"c1":"P1","c2":null}}</c>.</para>
/// </summary>
internal static class AllocationJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentCharacter = ' ',
        IndentSize = 2,
        NewLine = "\n",
        SkipValidation = false,
    };

    private static readonly JsonDocumentOptions ReaderOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    /// <summary>Reads an instance; throws <see cref="InvalidAllocationInstanceException"/> on malformed JSON or a wrong shape.</summary>
    public static AllocationInstance ReadInstance(ReadOnlyMemory<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, ReaderOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidAllocationInstanceException("malformed JSON: " + OneLine(e.Message), e);
        }

        using (document)
        {
            return ReadInstance(document.RootElement);
        }
    }

    public static AllocationInstance ReadInstance(string json) =>
        ReadInstance(System.Text.Encoding.UTF8.GetBytes(json));

    private static AllocationInstance ReadInstance(JsonElement root)
    {
        Expect(root, JsonValueKind.Object, "$");
        List<ProgramCapacity>? programs = null;
        List<StudentPreferences>? students = null;
        Dictionary<string, string>? holds = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            Unique(seen, property.Name, "$");
            switch (property.Name)
            {
                case "programs":
                    programs = ReadPrograms(property.Value);
                    break;
                case "students":
                    students = ReadStudents(property.Value);
                    break;
                case "holds":
                    if (property.Value.ValueKind != JsonValueKind.Null)
                    {
                        holds = ReadStringMap(property.Value, "$.holds");
                    }

                    break;
                case "meta":
                    break;
                default:
                    throw Invalid("$", $"unknown property '{property.Name}'");
            }
        }

        if (programs is null)
        {
            throw Invalid("$", "missing 'programs'");
        }

        if (students is null)
        {
            throw Invalid("$", "missing 'students'");
        }

        return new AllocationInstance(programs, students, holds);
    }

    private static List<ProgramCapacity> ReadPrograms(JsonElement array)
    {
        Expect(array, JsonValueKind.Array, "$.programs");
        var programs = new List<ProgramCapacity>(array.GetArrayLength());
        var index = -1;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in array.EnumerateArray())
        {
            index++;
            var path = new LazyPath("$.programs", index, string.Empty);
            Expect(item, JsonValueKind.Object, path);
            string? id = null;
            int? capacity = null;
            seen.Clear();
            foreach (var property in item.EnumerateObject())
            {
                Unique(seen, property.Name, path);
                switch (property.Name)
                {
                    case "id":
                        id = ReadString(property.Value, path.Then(".id"));
                        break;
                    case "capacity":
                        capacity = property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var c)
                            ? c
                            : throw Invalid(path.Then(".capacity"), "expected a 32-bit integer");
                        break;
                    default:
                        throw Invalid(path, $"unknown property '{property.Name}'");
                }
            }

            programs.Add(new ProgramCapacity(
                id ?? throw Invalid(path, "missing 'id'"),
                capacity ?? throw Invalid(path, "missing 'capacity'")));
        }

        return programs;
    }

    private static List<StudentPreferences> ReadStudents(JsonElement array)
    {
        Expect(array, JsonValueKind.Array, "$.students");
        var students = new List<StudentPreferences>(array.GetArrayLength());
        var index = -1;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in array.EnumerateArray())
        {
            index++;
            var path = new LazyPath("$.students", index, string.Empty);
            Expect(item, JsonValueKind.Object, path);
            string? id = null;
            List<string>? choices = null;
            Dictionary<string, int>? priorities = null;
            long? tiebreak = null;
            seen.Clear();
            foreach (var property in item.EnumerateObject())
            {
                Unique(seen, property.Name, path);
                switch (property.Name)
                {
                    case "id":
                        id = ReadString(property.Value, path.Then(".id"));
                        break;
                    case "choices":
                        Expect(property.Value, JsonValueKind.Array, path.Then(".choices"));
                        choices = new List<string>(property.Value.GetArrayLength());
                        var k = 0;
                        foreach (var choice in property.Value.EnumerateArray())
                        {
                            choices.Add(choice.ValueKind == JsonValueKind.String
                                ? choice.GetString()!
                                : throw Invalid(path.Then($".choices[{k}]"), "expected a string"));
                            k++;
                        }

                        break;
                    case "priorities":
                        priorities = ReadPriorities(property.Value, path.Then(".priorities"));
                        break;
                    case "tiebreak":
                        tiebreak = property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var t)
                            ? t
                            : throw Invalid(path.Then(".tiebreak"), "expected a 64-bit integer");
                        break;
                    default:
                        throw Invalid(path, $"unknown property '{property.Name}'");
                }
            }

            students.Add(new StudentPreferences(
                id ?? throw Invalid(path, "missing 'id'"),
                choices ?? throw Invalid(path, "missing 'choices'"),
                priorities ?? new Dictionary<string, int>(StringComparer.Ordinal),
                tiebreak ?? throw Invalid(path, "missing 'tiebreak'")));
        }

        return students;
    }

    private static Dictionary<string, int> ReadPriorities(JsonElement map, LazyPath path)
    {
        Expect(map, JsonValueKind.Object, path);
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in map.EnumerateObject())
        {
            var value = property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var v)
                ? v
                : throw Invalid($"{path}.{property.Name}", "expected a 32-bit integer");
            if (!result.TryAdd(property.Name, value))
            {
                throw Invalid(path, $"duplicate key '{property.Name}'");
            }
        }

        return result;
    }

    private static Dictionary<string, string> ReadStringMap(JsonElement map, string path)
    {
        Expect(map, JsonValueKind.Object, path);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in map.EnumerateObject())
        {
            if (!result.TryAdd(property.Name, ReadString(property.Value, $"{path}.{property.Name}")))
            {
                throw Invalid(path, $"duplicate key '{property.Name}'");
            }
        }

        return result;
    }

    private static string ReadString(JsonElement value, LazyPath path) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(path, "expected a string");

    private static void Expect(JsonElement element, JsonValueKind kind, LazyPath path)
    {
        if (element.ValueKind != kind)
        {
            throw Invalid(path, $"expected {(kind == JsonValueKind.Object ? "an object" : "an array")}, found {element.ValueKind}");
        }
    }

    private static void Unique(HashSet<string> seen, string name, LazyPath path)
    {
        if (!seen.Add(name))
        {
            throw Invalid(path, $"duplicate property '{name}'");
        }
    }

    private static InvalidAllocationInstanceException Invalid(LazyPath path, string problem) =>
        new($"{path}: {problem}");

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>A JSON path for error messages, formatted only when an error is reported.</summary>
    private readonly record struct LazyPath(string Prefix, int Index, string Suffix)
    {
        public static implicit operator LazyPath(string path) => new(path, -1, string.Empty);

        public LazyPath Then(string suffix) => this with { Suffix = Suffix + suffix };

        public override string ToString() =>
            Index < 0 ? Prefix + Suffix : string.Create(CultureInfo.InvariantCulture, $"{Prefix}[{Index}]{Suffix}");
    }

    /// <summary>Writes an instance in the input format (programs and students as given; map keys sorted).</summary>
    public static void WriteInstance(Stream output, AllocationInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartArray("programs");
        foreach (var program in instance.Programs)
        {
            writer.WriteStartObject();
            writer.WriteString("id", program.Id);
            writer.WriteNumber("capacity", program.Capacity);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("students");
        foreach (var student in instance.Students)
        {
            writer.WriteStartObject();
            writer.WriteString("id", student.Id);
            writer.WriteStartArray("choices");
            foreach (var choice in student.Choices)
            {
                writer.WriteStringValue(choice);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("priorities");
            foreach (var key in SortedKeys(student.Priorities.Keys))
            {
                writer.WriteNumber(key, student.Priorities[key]);
            }

            writer.WriteEndObject();
            writer.WriteNumber("tiebreak", student.Tiebreak);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (instance.Holds is { Count: > 0 } holds)
        {
            writer.WriteStartObject("holds");
            foreach (var key in SortedKeys(holds.Keys))
            {
                writer.WriteString(key, holds[key]);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.Flush();
        output.WriteByte((byte)'\n');
    }

    /// <summary>Writes <c>{"assignments":{id: program|null}}</c>, ids sorted ordinally.</summary>
    public static void WriteResult(Stream output, AllocationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartObject("assignments");
        foreach (var (studentId, programId) in SortedAssignments(result))
        {
            if (programId is null)
            {
                writer.WriteNull(studentId);
            }
            else
            {
                writer.WriteString(studentId, programId);
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        output.WriteByte((byte)'\n');
    }

    /// <summary>
    /// Writes <c>{"programs":[{"id","capacity","admitted","cutoff":{"class","tiebreak"}|null}],
    /// "students":[{"id","assigned","held","choices":[{"rank","program","outcome","class",
    /// "admittedRank"?,"cutoff"?,"waitlistPosition"?,"fromHold"?}]}]}</c>.
    /// </summary>
    public static void WriteExplanations(Stream output, AllocationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartArray("programs");
        foreach (var summary in result.ProgramSummaries)
        {
            writer.WriteStartObject();
            writer.WriteString("id", summary.ProgramId);
            writer.WriteNumber("capacity", summary.Capacity);
            writer.WriteNumber("admitted", summary.Admitted);
            WriteKey(writer, "cutoff", summary.Cutoff);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("students");
        foreach (var student in result.Explanations)
        {
            writer.WriteStartObject();
            writer.WriteString("id", student.StudentId);
            WriteNullableString(writer, "assigned", student.AssignedProgramId);
            WriteNullableString(writer, "held", student.HeldProgramId);
            writer.WriteStartArray("choices");
            foreach (var choice in student.Choices)
            {
                writer.WriteStartObject();
                writer.WriteNumber("rank", choice.Rank);
                writer.WriteString("program", choice.ProgramId);
                writer.WriteString("outcome", OutcomeName(choice.Outcome));
                writer.WriteNumber("class", choice.PriorityClass);
                if (choice.AdmittedRank is { } admittedRank)
                {
                    writer.WriteNumber("admittedRank", admittedRank);
                }

                if (choice.Outcome == ChoiceOutcome.NotAdmitted)
                {
                    WriteKey(writer, "cutoff", choice.Cutoff);
                }

                if (choice.WaitlistPosition is { } position)
                {
                    writer.WriteNumber("waitlistPosition", position);
                }

                if (choice.FromHold)
                {
                    writer.WriteBoolean("fromHold", true);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        output.WriteByte((byte)'\n');
    }

    public static byte[] ResultToUtf8(AllocationResult result)
    {
        using var stream = new MemoryStream();
        WriteResult(stream, result);
        return stream.ToArray();
    }

    public static byte[] ExplanationsToUtf8(AllocationResult result)
    {
        using var stream = new MemoryStream();
        WriteExplanations(stream, result);
        return stream.ToArray();
    }

    public static byte[] InstanceToUtf8(AllocationInstance instance)
    {
        using var stream = new MemoryStream();
        WriteInstance(stream, instance);
        return stream.ToArray();
    }

    private static string OutcomeName(ChoiceOutcome outcome) => outcome switch
    {
        ChoiceOutcome.Admitted => "Admitted",
        ChoiceOutcome.NotAdmitted => "NotAdmitted",
        ChoiceOutcome.NotConsidered => "NotConsidered",
        ChoiceOutcome.Held => "Held",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    private static void WriteKey(Utf8JsonWriter writer, string name, AdmissionKey? key)
    {
        if (key is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteNumber("class", key.PriorityClass);
        writer.WriteNumber("tiebreak", key.Tiebreak);
        writer.WriteEndObject();
    }

    private static void WriteNullableString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static string[] SortedKeys(IEnumerable<string> keys)
    {
        var sorted = keys.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }

    private static KeyValuePair<string, string?>[] SortedAssignments(AllocationResult result)
    {
        var pairs = result.Assignments.ToArray();
        Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return pairs;
    }
}
