using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Enrollment.Allocation.Engine;

[assembly: InternalsVisibleTo("Enrollment.Allocation.Tests")]
[assembly: InternalsVisibleTo("Enrollment.Host.Tests")]

namespace Enrollment.Allocate;

/// <summary>
/// The command line of the allocation tool, testable in-process.
/// Exit codes: 0 success, 1 invalid instance / JSON / file, 2 bad usage.
/// </summary>
internal static class AllocateCommand
{
    public const int Success = 0;
    public const int InvalidInput = 1;
    public const int BadUsage = 2;

    public const string Usage = """
        Usage:
          Enrollment.Allocate INSTANCE.json RESULT.json [--explain EXPLAIN.json] [--stats]
          Enrollment.Allocate --generate N OUT.json [--seed S] [--programs P]

        Runs student-proposing deferred acceptance (with holds) on INSTANCE.json and writes
        {"assignments":{...}} to RESULT.json; --explain also writes per-choice explanations and
        per-program summaries; --stats prints one summary line on stdout.
        --generate writes a random instance of N students (P programs, default N/60) that is the
        same for the same seed (default "1").
        Exit codes: 0 ok, 1 invalid instance or JSON, 2 bad usage.
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        if (args.Length == 1 && args[0] is "-h" or "--help")
        {
            stdout.WriteLine(Usage);
            return Success;
        }

        try
        {
            return args.Length > 0 && args[0] == "--generate"
                ? Generate(args)
                : Allocate(args, stdout);
        }
        catch (UsageException e)
        {
            stderr.WriteLine("error: " + e.Message);
            stderr.WriteLine(Usage);
            return BadUsage;
        }
        catch (InvalidAllocationInstanceException e)
        {
            stderr.WriteLine(OneLine(e.Message));
            return InvalidInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine("error: " + OneLine(e.Message));
            return InvalidInput;
        }
    }

    private static int Allocate(string[] args, TextWriter stdout)
    {
        var positional = new List<string>();
        string? explainPath = null;
        var stats = false;
        for (var k = 0; k < args.Length; k++)
        {
            switch (args[k])
            {
                case "--explain":
                    explainPath = k + 1 < args.Length ? args[++k] : throw new UsageException("--explain needs a file");
                    break;
                case "--stats":
                    stats = true;
                    break;
                default:
                    if (args[k].StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new UsageException($"unknown option '{args[k]}'");
                    }

                    positional.Add(args[k]);
                    break;
            }
        }

        if (positional.Count != 2)
        {
            throw new UsageException("expected INSTANCE.json and RESULT.json");
        }

        var watch = Stopwatch.StartNew();
        var bytes = ReadFile(positional[0]);
        var instance = AllocationJson.ReadInstance(bytes);
        var read = watch.Elapsed;
        var result = DeferredAcceptance.Run(instance);
        var allocated = watch.Elapsed - read;

        WriteFile(positional[1], stream => AllocationJson.WriteResult(stream, result));
        if (explainPath is not null)
        {
            WriteFile(explainPath, stream => AllocationJson.WriteExplanations(stream, result));
        }

        if (stats)
        {
            var assigned = 0;
            foreach (var (_, program) in result.Assignments)
            {
                assigned += program is null ? 0 : 1;
            }

            stdout.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"students={result.Assignments.Count} assigned={assigned} programs={result.ProgramSummaries.Count} read_ms={read.TotalMilliseconds:F0} allocate_ms={allocated.TotalMilliseconds:F0} total_ms={watch.Elapsed.TotalMilliseconds:F0}"));
        }

        return Success;
    }

    private static int Generate(string[] args)
    {
        if (args.Length < 3)
        {
            throw new UsageException("--generate needs N and OUT.json");
        }

        var students = ParseCount(args[1], "N", allowZero: true);
        var output = args[2];
        var seed = "1";
        int? programs = null;
        for (var k = 3; k < args.Length; k++)
        {
            switch (args[k])
            {
                case "--seed":
                    seed = k + 1 < args.Length ? args[++k] : throw new UsageException("--seed needs a value");
                    break;
                case "--programs":
                    programs = k + 1 < args.Length
                        ? ParseCount(args[++k], "--programs", allowZero: false)
                        : throw new UsageException("--programs needs a value");
                    break;
                default:
                    throw new UsageException($"unexpected argument '{args[k]}'");
            }
        }

        var instance = InstanceGenerator.Generate(students, programs ?? InstanceGenerator.DefaultProgramCount(students), seed);
        WriteFile(output, stream => AllocationJson.WriteInstance(stream, instance));
        return Success;
    }

    private static int ParseCount(string text, string name, bool allowZero)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || (value == 0 && !allowZero))
        {
            throw new UsageException($"{name} must be a {(allowZero ? "non-negative" : "positive")} integer, got '{text}'");
        }

        return value;
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidAllocationInstanceException($"cannot read '{path}': {OneLine(e.Message)}", e);
        }
    }

    private static void WriteFile(string path, Action<Stream> write)
    {
        // Write to a temporary file first so a failed run never leaves a half-written result.
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            write(stream);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private sealed class UsageException(string message) : Exception(message);
}
