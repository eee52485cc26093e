using System.Diagnostics;
using System.Text;
using Enrollment.Allocate;
using Enrollment.Allocation.Engine;
using Xunit.Abstractions;

namespace Enrollment.Allocation.Tests;

/// <summary>The tool's entry logic, run in-process against temporary files.</summary>
public sealed class AllocateCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("alloc-cli-").FullName;
    private readonly ITestOutputHelper _output;

    public AllocateCommandTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Example_instance_writes_assignments_and_prints_nothing()
    {
        // The brief's example, completed so that every program and student it names exists.
        var instance = Write("instance.json", """
            {"programs":[{"id":"P1","capacity":25},{"id":"P2","capacity":1}],
             "students":[{"id":"c1","choices":["P1","P2"],"priorities":{"P1":1,"P2":2},"tiebreak":42},
                         {"id":"c2","choices":["P2"],"tiebreak":1},
                         {"id":"c7","choices":["P1"],"tiebreak":7}],
             "holds":{"c7":"P2"}}
            """);

        var (code, stdout, stderr) = Run(instance, Path("result.json"));

        Assert.Equal((AllocateCommand.Success, "", ""), (code, stdout, stderr));
        Assert.Equal(
            "{\n  \"assignments\": {\n    \"c1\": \"P1\",\n    \"c2\": \"P2\",\n    \"c7\": \"P1\"\n  }\n}\n",
            File.ReadAllText(Path("result.json")));
    }

    [Fact]
    public void Example_from_the_format_description_is_rejected_because_it_names_unknown_ids()
    {
        // The one-line example names P2 and c7 without declaring them: an invalid instance.
        var instance = Write("instance.json", """
            {"programs":[{"id":"P1","capacity":25}],"students":[{"id":"c1","choices":["P1","P2"],"priorities":{"P1":1,"P2":2},"tiebreak":42}],"holds":{"c7":"P2"}}
            """);

        var (code, stdout, stderr) = Run(instance, Path("result.json"));

        Assert.Equal(AllocateCommand.InvalidInput, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("student 'c1' chooses unknown program 'P2'", stderr, StringComparison.Ordinal);
        Assert.Contains("a hold names unknown student 'c7'", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path("result.json")));
    }

    [Fact]
    public void Explain_option_writes_explanations_to_the_second_file()
    {
        var instance = Write("instance.json", """
            {"programs":[{"id":"P","capacity":1}],"students":[{"id":"a","choices":["P"],"tiebreak":2},{"id":"b","choices":["P"],"tiebreak":1}]}
            """);

        var (code, stdout, _) = Run(instance, Path("result.json"), "--explain", Path("explain.json"));

        Assert.Equal((0, ""), (code, stdout));
        var explanations = File.ReadAllText(Path("explain.json"));
        Assert.Contains("\"waitlistPosition\": 1", explanations, StringComparison.Ordinal);
        Assert.Equal(
            AllocationJson.ExplanationsToUtf8(DeferredAcceptance.Run(AllocationJson.ReadInstance(File.ReadAllBytes(instance)))),
            File.ReadAllBytes(Path("explain.json")));
    }

    [Theory]
    [InlineData]
    [InlineData("only-one.json")]
    [InlineData("a.json", "b.json", "c.json")]
    [InlineData("a.json", "b.json", "--explain")]
    [InlineData("a.json", "b.json", "--verbose")]
    [InlineData("--generate", "x", "out.json")]
    [InlineData("--generate", "10")]
    [InlineData("--generate", "10", "out.json", "--programs", "0")]
    public void Bad_usage_prints_usage_on_stderr_and_exits_2(params string[] args)
    {
        var (code, stdout, stderr) = Run(args);

        Assert.Equal(AllocateCommand.BadUsage, code);
        Assert.Equal("", stdout);
        Assert.Contains("Usage:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_or_malformed_input_is_one_line_on_stderr_and_exit_1()
    {
        var (missing, _, missingError) = Run(Path("nope.json"), Path("result.json"));
        var (malformed, _, malformedError) = Run(Write("bad.json", "{\"programs\": ["), Path("result.json"));

        Assert.Equal(AllocateCommand.InvalidInput, missing);
        Assert.Contains("cannot read", missingError, StringComparison.Ordinal);
        Assert.Equal(AllocateCommand.InvalidInput, malformed);
        Assert.StartsWith("Invalid allocation instance: malformed JSON", malformedError, StringComparison.Ordinal);
        Assert.Single(malformedError.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Generate_is_deterministic_by_seed()
    {
        Assert.Equal(0, Run("--generate", "500", Path("a.json"), "--seed", "x", "--programs", "12").Code);
        Assert.Equal(0, Run("--generate", "500", Path("b.json"), "--programs", "12", "--seed", "x").Code);
        Assert.Equal(0, Run("--generate", "500", Path("c.json"), "--seed", "y", "--programs", "12").Code);

        Assert.Equal(File.ReadAllBytes(Path("a.json")), File.ReadAllBytes(Path("b.json")));
        Assert.NotEqual(File.ReadAllBytes(Path("a.json")), File.ReadAllBytes(Path("c.json")));
        var instance = AllocationJson.ReadInstance(File.ReadAllBytes(Path("a.json")));
        Assert.Equal((12, 500), (instance.Programs.Count, instance.Students.Count));
    }

    [Fact]
    public void Three_hundred_thousand_students_get_a_stable_feasible_result_through_the_command()
    {
        Assert.Equal(0, Run("--generate", "300000", Path("big.json"), "--seed", "2026").Code);

        // Speed is measured by tools/Enrollment.Benchmarks (docs/benchmarks.md), never asserted here.
        var (code, stdout, stderr) = Run(Path("big.json"), Path("result.json"), "--explain", Path("explain.json"), "--stats");
        _output.WriteLine($"300k CLI run: {stdout.Trim()}");

        Assert.Equal((0, ""), (code, stderr));
        Assert.StartsWith("students=300000 ", stdout, StringComparison.Ordinal);

        var instance = AllocationJson.ReadInstance(File.ReadAllBytes(Path("big.json")));
        var assignments = ReadAssignments(File.ReadAllBytes(Path("result.json")));
        var result = Build.ResultOf(assignments);
        Assert.Equal(300_000, assignments.Count);
        Assert.Empty(StabilityChecker.FindBlockingPairs(instance, result));
        Assert.Empty(StabilityChecker.FindFeasibilityViolations(instance, result));
    }

    private static Dictionary<string, string?> ReadAssignments(byte[] json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetProperty("assignments").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.Ordinal);
    }

    private (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = AllocateCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Path(string name) => System.IO.Path.Combine(_directory, name);

    private string Write(string name, string content)
    {
        File.WriteAllText(Path(name), content, new UTF8Encoding(false));
        return Path(name);
    }
}
