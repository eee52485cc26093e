using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Enrollment.Allocation.Engine;

/// <summary>
/// Random but realistic instances for benchmarks and reproducible audits; the same
/// (students, programs, seed) always gives the same instance.
/// <list type="bullet">
/// <item>Programs <c>P00001…</c> live in districts of 20; capacity 20–100 (about one seat per student overall).</item>
/// <item>Students <c>S0000001…</c> have a home district and a micro-district program there (class 1 at it),
/// 5% have a verified priority category (class 0 everywhere), everyone else is class 2.</item>
/// <item>1–5 choices: the first is the micro-district program 60% of the time, otherwise a popular
/// program of the home district; later choices stay in the district 80% of the time.</item>
/// <item>Tie-break: <see cref="LotteryTiebreak.For"/>(seed, id). About 3% of students hold a seat at
/// one of their choices (never more holders than seats), a few of them at a program they did not choose.</item>
/// </list>
/// </summary>
internal static class InstanceGenerator
{
    private const int DistrictSize = 20;

    public static int DefaultProgramCount(int students) => Math.Max(1, students / 60);

    public static AllocationInstance Generate(int students, int programs, string seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(students);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(programs);
        ArgumentNullException.ThrowIfNull(seed);
        var random = new SplitMix64(SeedOf(seed));
        var programWidth = Math.Max(5, programs.ToString(CultureInfo.InvariantCulture).Length);
        var studentWidth = Math.Max(7, students.ToString(CultureInfo.InvariantCulture).Length);

        var programList = new ProgramCapacity[programs];
        var freeForHolds = new int[programs];
        for (var p = 0; p < programs; p++)
        {
            var capacity = random.Between(20, 100);
            programList[p] = new ProgramCapacity(ProgramId(p, programWidth), capacity);
            freeForHolds[p] = capacity;
        }

        var districts = (programs + DistrictSize - 1) / DistrictSize;
        var studentList = new StudentPreferences[students];
        var holds = new Dictionary<string, string>(StringComparer.Ordinal);
        var chosen = new List<int>(DeferredAcceptance.MaxChoices);
        for (var s = 0; s < students; s++)
        {
            var id = "S" + s.ToString("D" + studentWidth.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            var district = random.Next(districts);
            var first = district * DistrictSize;
            var size = Math.Min(DistrictSize, programs - first);
            var home = first + random.Next(size);
            var privileged = random.NextDouble() < 0.05;
            var choiceCount = random.Between(1, Math.Min(DeferredAcceptance.MaxChoices, programs));

            chosen.Clear();
            chosen.Add(random.NextDouble() < 0.6 ? home : first + Popular(random, size));
            while (chosen.Count < choiceCount)
            {
                var candidate = random.NextDouble() < 0.8 ? first + Popular(random, size) : random.Next(programs);
                if (!chosen.Contains(candidate))
                {
                    chosen.Add(candidate);
                }
                else if (size <= chosen.Count)
                {
                    chosen.Add(NextUnchosen(chosen, programs));
                }
            }

            var choices = new string[chosen.Count];
            var priorities = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var j = 0; j < chosen.Count; j++)
            {
                choices[j] = programList[chosen[j]].Id;
                var priorityClass = privileged ? PriorityClasses.PriorityCategory
                    : chosen[j] == home ? PriorityClasses.MicroDistrict
                    : PriorityClasses.Others;
                if (priorityClass != PriorityClasses.Others)
                {
                    priorities[choices[j]] = priorityClass;
                }
            }

            studentList[s] = new StudentPreferences(id, choices, priorities, LotteryTiebreak.For(seed, id));

            var roll = random.NextDouble();
            if (roll < 0.03)
            {
                var held = roll < 0.002 ? home : chosen[random.Next(chosen.Count)];
                if (freeForHolds[held] > 0)
                {
                    freeForHolds[held]--;
                    holds[id] = programList[held].Id;
                }
            }
        }

        return new AllocationInstance(programList, studentList, holds);
    }

    private static string ProgramId(int index, int width) =>
        "P" + (index + 1).ToString("D" + width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    // Skewed towards the first programs of a district: a few schools are in demand.
    private static int Popular(SplitMix64 random, int size)
    {
        var u = random.NextDouble();
        return Math.Min(size - 1, (int)(u * u * size));
    }

    private static int NextUnchosen(List<int> chosen, int programs)
    {
        var candidate = chosen[^1];
        do
        {
            candidate = (candidate + 1) % programs;
        }
        while (chosen.Contains(candidate));
        return candidate;
    }

    private static ulong SeedOf(string seed)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes("generator:" + seed), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
