using System.Text;
using Enrollment.Allocation.Engine;

namespace Enrollment.Allocation.Tests;

public sealed class AllocationJsonTests
{
    private const string Example = """
        {"programs":[{"id":"P1","capacity":1},{"id":"P2","capacity":1}],
         "students":[{"id":"c2","choices":["P1"],"tiebreak":7},
                     {"id":"c1","choices":["P1","P2"],"priorities":{"P1":1,"P2":2},"tiebreak":42},
                     {"id":"c7","choices":["P1"],"priorities":{"P1":2},"tiebreak":-9223372036854775808}],
         "holds":{"c7":"P2"}}
        """;

    [Fact]
    public void Instance_is_read_with_optional_priorities_and_holds()
    {
        var instance = AllocationJson.ReadInstance(Example);

        Assert.Equal(2, instance.Programs.Count);
        var c1 = instance.Students.Single(s => s.Id == "c1");
        Assert.Equal(["P1", "P2"], c1.Choices);
        Assert.Equal(1, c1.Priorities["P1"]);
        Assert.Equal(42, c1.Tiebreak);
        Assert.Empty(instance.Students.Single(s => s.Id == "c2").Priorities);
        Assert.Equal(long.MinValue, instance.Students.Single(s => s.Id == "c7").Tiebreak);
        Assert.Equal("P2", instance.Holds!["c7"]);
    }

    [Fact]
    public void Result_is_written_as_indented_assignments_sorted_by_id_with_nulls()
    {
        var result = DeferredAcceptance.Run(AllocationJson.ReadInstance(Example));

        var json = Encoding.UTF8.GetString(AllocationJson.ResultToUtf8(result));

        // c1 class 1 beats c2 at P1; c7 tries P1 first (class 2, lowest tie-break) but c1 wins; keeps P2.
        Assert.Equal(
            "{\n  \"assignments\": {\n    \"c1\": \"P1\",\n    \"c2\": null,\n    \"c7\": \"P2\"\n  }\n}\n",
            json);
    }

    [Fact]
    public void Explanations_json_matches_snapshot()
    {
        var result = DeferredAcceptance.Run(AllocationJson.ReadInstance(Example));

        var json = Encoding.UTF8.GetString(AllocationJson.ExplanationsToUtf8(result));

        Assert.Equal(
            """
            {
              "programs": [
                {
                  "id": "P1",
                  "capacity": 1,
                  "admitted": 1,
                  "cutoff": {
                    "class": 1,
                    "tiebreak": 42
                  }
                },
                {
                  "id": "P2",
                  "capacity": 1,
                  "admitted": 1,
                  "cutoff": {
                    "class": -1,
                    "tiebreak": -9223372036854775808
                  }
                }
              ],
              "students": [
                {
                  "id": "c1",
                  "assigned": "P1",
                  "held": null,
                  "choices": [
                    {
                      "rank": 1,
                      "program": "P1",
                      "outcome": "Admitted",
                      "class": 1,
                      "admittedRank": 1
                    },
                    {
                      "rank": 2,
                      "program": "P2",
                      "outcome": "NotConsidered",
                      "class": 2
                    }
                  ]
                },
                {
                  "id": "c2",
                  "assigned": null,
                  "held": null,
                  "choices": [
                    {
                      "rank": 1,
                      "program": "P1",
                      "outcome": "NotAdmitted",
                      "class": 2,
                      "cutoff": {
                        "class": 1,
                        "tiebreak": 42
                      },
                      "waitlistPosition": 2
                    }
                  ]
                },
                {
                  "id": "c7",
                  "assigned": "P2",
                  "held": "P2",
                  "choices": [
                    {
                      "rank": 1,
                      "program": "P1",
                      "outcome": "NotAdmitted",
                      "class": 2,
                      "cutoff": {
                        "class": 1,
                        "tiebreak": 42
                      },
                      "waitlistPosition": 1
                    },
                    {
                      "rank": 2,
                      "program": "P2",
                      "outcome": "Held",
                      "class": -1,
                      "admittedRank": 1,
                      "fromHold": true
                    }
                  ]
                }
              ]
            }

            """.ReplaceLineEndings("\n"),
            json);
    }

    [Fact]
    public void Written_instance_reads_back_to_the_same_result()
    {
        var instance = InstanceGenerator.Generate(2_000, 40, "roundtrip");

        var bytes = AllocationJson.InstanceToUtf8(instance);
        var reread = AllocationJson.ReadInstance(bytes);

        Assert.Equal(bytes, AllocationJson.InstanceToUtf8(reread));
        Assert.Equal(
            AllocationJson.ExplanationsToUtf8(DeferredAcceptance.Run(instance)),
            AllocationJson.ExplanationsToUtf8(DeferredAcceptance.Run(reread)));
    }

    [Theory]
    [InlineData("{", "malformed JSON")]
    [InlineData("[]", "$: expected an object")]
    [InlineData("""{"students":[]}""", "$: missing 'programs'")]
    [InlineData("""{"programs":[],"students":[],"extra":1}""", "$: unknown property 'extra'")]
    [InlineData("""{"programs":[{"id":"P","capacity":1.5}],"students":[]}""", "$.programs[0].capacity: expected a 32-bit integer")]
    [InlineData("""{"programs":[],"students":[{"id":"c","choices":[],"tiebreak":"42"}]}""", "$.students[0].tiebreak: expected a 64-bit integer")]
    [InlineData("""{"programs":[],"students":[{"id":"c","choices":[],"tiebreak":9223372036854775808}]}""", "$.students[0].tiebreak: expected a 64-bit integer")]
    [InlineData("""{"programs":[],"students":[{"id":"c","choices":[1],"tiebreak":1}]}""", "$.students[0].choices[0]: expected a string")]
    [InlineData("""{"programs":[],"students":[{"id":"c","tiebreak":1}]}""", "$.students[0]: missing 'choices'")]
    [InlineData("""{"programs":[],"students":[{"id":"c","choices":[],"tiebreak":1,"tiebreak":2}]}""", "$.students[0]: duplicate property 'tiebreak'")]
    [InlineData("""{"programs":[],"students":[{"id":"c","choices":[],"priorities":{"P":1,"P":2},"tiebreak":1}]}""", "$.students[0].priorities: duplicate key 'P'")]
    [InlineData("""{"programs":[],"students":[],"holds":{"c":"P","c":"Q"}}""", "$.holds: duplicate key 'c'")]
    public void Malformed_or_misshapen_json_is_rejected_with_the_path(string json, string expected)
    {
        var error = Assert.Throws<InvalidAllocationInstanceException>(() => AllocationJson.ReadInstance(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Top_level_meta_is_ignored_and_null_holds_mean_none()
    {
        var instance = AllocationJson.ReadInstance("""{"meta":{"campaign":"2026/27"},"programs":[],"students":[],"holds":null}""");

        Assert.Null(instance.Holds);
    }
}
