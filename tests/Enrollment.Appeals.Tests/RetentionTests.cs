using Enrollment.Appeals.Features;
using Enrollment.Registry.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enrollment.Appeals.Tests;

/// <summary>Data retention: the appeals of anonymized applications lose the parent's PIN and every text of their thread, once.</summary>
public sealed class RetentionTests : IDisposable
{
    private readonly Harness _h = new();

    public void Dispose() => _h.Dispose();

    private async Task Erase(params Guid[] applications)
    {
        await using var db = _h.Db();
        await new AppealsRetention(db, NullLogger<AppealsRetention>.Instance)
            .Handle(new ApplicationsAnonymized(_h.Directory.Campaign.Id, applications, Guid.NewGuid()), default);
    }

    [Fact]
    public async Task Appeals_of_anonymized_applications_lose_pin_and_texts_and_others_are_untouched_and_a_rerun_changes_nothing()
    {
        var gone = _h.Application(Harness.PinA, "D1");
        var kept = _h.Application(Harness.PinB, "D1");
        var appeal = await _h.File(Harness.ParentA, gone, text: "Aida Asanova lives at Toktogul 12");
        await _h.Message(Harness.ParentA, appeal.Id, "Aida's phone is +996 555 000111");
        await _h.Answer(Harness.Officer1, appeal.Id, text: "Aida Asanova stays rejected.");
        var other = await _h.File(Harness.ParentB, kept, text: "Bakyt is our son.");

        await Erase(gone);

        await using (var db = _h.Db())
        {
            var erased = await db.Appeals.AsNoTracking().Include(a => a.Messages).SingleAsync(a => a.Id == appeal.Id);
            Assert.Equal("", erased.ApplicantPin);
            Assert.Equal("", erased.Text);
            Assert.Equal(2, erased.Messages.Count);
            Assert.All(erased.Messages, m => Assert.Equal("", m.Text));
            Assert.Equal("district1", erased.AnsweredBy); // staff and the decision stay: the statistics still count
            Assert.NotNull(erased.Decision);

            var untouched = await db.Appeals.AsNoTracking().SingleAsync(a => a.Id == other.Id);
            Assert.Equal(Harness.PinB, untouched.ApplicantPin);
            Assert.Equal("Bakyt is our son.", untouched.Text);
        }

        await using var check = _h.Db();
        var again = await new AppealsRetention(check, NullLogger<AppealsRetention>.Instance).EraseAsync([gone], default);
        Assert.Equal((0, 0), again);
    }
}
