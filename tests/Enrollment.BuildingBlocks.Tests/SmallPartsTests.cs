using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Time;
using Enrollment.BuildingBlocks.Validation;
using Mediator;

namespace Enrollment.BuildingBlocks.Tests;

public sealed class SmallPartsTests
{
    [Fact]
    public void Stage_opening_at_ten_in_Bishkek_is_four_utc()
    {
        var utc = Bishkek.ToUtc(new DateTime(2026, 4, 1, 10, 0, 0));
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero), utc);
        Assert.Equal(10, Bishkek.ToLocal(utc).Hour);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(49)]
    [InlineData(123456)]
    public void Cursor_round_trips(int offset)
    {
        Assert.True(Cursor.TryDecode(Cursor.Encode(offset), out var decoded));
        Assert.Equal(offset, decoded);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("bzotMQ==")] // "o:-1"
    [InlineData("eDox")] // "x:1"
    public void Foreign_cursors_are_refused(string cursor) => Assert.False(Cursor.TryDecode(cursor, out _));

    [Theory]
    [InlineData("RegionCode", "region_code")]
    [InlineData("ParticipatesInEnrollment", "participates_in_enrollment")]
    [InlineData("AspNetUsers", "asp_net_users")]
    [InlineData("URLValue", "url_value")]
    public void Names_become_snake_case(string name, string expected) => Assert.Equal(expected, ModuleDbContexts.SnakeCase(name));

    [Fact]
    public void Validation_errors_name_the_field_and_refuse_control_characters()
    {
        var errors = new ValidationErrors();
        errors.Required("name", "", 10);
        errors.MaxLength("search", "a\u0001b", 10);
        errors.MaxLength("search2", new string('x', 11), 10);
        errors.Range("first", 0, 1, 200);
        Assert.Equal(["REQUIRED", "CONTROL_CHARACTERS", "TOO_LONG", "OUT_OF_RANGE"], errors.Items.Select(e => e.Code));
    }

    private sealed record Ping(string Name) : IQuery<string>;

    private sealed class PingValidator : IValidator<Ping>
    {
        public void Validate(Ping message, ValidationErrors errors) => errors.Required("name", message.Name, 5);
    }

    [Fact]
    public async Task Validation_behaviour_refuses_before_the_handler_runs()
    {
        var behaviour = new ValidationBehavior<Ping, string>([new PingValidator()]);
        var called = false;
        var failure = await Assert.ThrowsAsync<ValidationFailed>(async () => await behaviour.Handle(new Ping(""), (m, ct) =>
        {
            called = true;
            return ValueTask.FromResult("pong");
        }, CancellationToken.None));
        Assert.False(called);
        Assert.Equal("VALIDATION_FAILED", failure.Code);
        Assert.Equal("pong", await behaviour.Handle(new Ping("ok"), (m, ct) => ValueTask.FromResult("pong"), CancellationToken.None));
    }

    [Fact]
    public void Fake_clock_moves_only_when_told()
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 3, 31, 23, 0, 0, TimeSpan.FromHours(6)));
        var before = clock.UtcNow;
        clock.Advance(TimeSpan.FromHours(11));
        Assert.Equal(before.AddHours(11), clock.UtcNow);
        Assert.Equal(TimeSpan.Zero, clock.UtcNow.Offset);
    }
}
