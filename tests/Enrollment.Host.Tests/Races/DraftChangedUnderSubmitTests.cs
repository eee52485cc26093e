using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Registry;
using Enrollment.Host.Tests.Scale;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Races;

/// <summary>
/// Stage One with a population registry that, once armed, changes the parent's draft in the database while a submit is
/// between reading that draft and saving it — the moment a concurrent change of the same draft would land.
/// </summary>
public sealed class DraftChangingFactory : ApplicationsFactory
{
    private readonly Lock _lock = new();
    private string? _armedFor;

    /// <summary>The next family check of this parent first bumps the version of the parent's stored draft, once.</summary>
    public void ArmFor(string parentPin)
    {
        lock (_lock)
        {
            _armedFor = parentPin;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s =>
        {
            s.WrapPopulationRegistry((sp, inner) => new DraftChangingRegistry(inner, sp.GetRequiredService<IServiceScopeFactory>(), this));
        });
    }

    internal bool Disarm(string parentPin)
    {
        lock (_lock)
        {
            if (_armedFor != parentPin)
            {
                return false;
            }

            _armedFor = null;
            return true;
        }
    }
}

internal sealed class DraftChangingRegistry(IPopulationRegistry inner, IServiceScopeFactory scopes, DraftChangingFactory factory) : IPopulationRegistry
{
    public async Task<RegistryLookup<IReadOnlyList<RegistryLinkedChild>>> GetLinkedChildrenAsync(Pin parentPin, CancellationToken ct)
    {
        if (factory.Disarm(parentPin.Value))
        {
            await using var scope = scopes.CreateAsyncScope();
            var changed = await scope.ServiceProvider.GetRequiredService<RegistryDbContext>().Applications
                .Where(a => a.ApplicantPin == parentPin.Value && a.Status == ApplicationStatus.Draft)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.Version, a => a.Version + 1), ct);
            Assert.Equal(1, changed);
        }

        return await inner.GetLinkedChildrenAsync(parentPin, ct);
    }

    public Task<RegistryLookup<RegistryPerson>> FindPersonAsync(Pin pin, CancellationToken ct) => inner.FindPersonAsync(pin, ct);

    public Task<RegistryLookup<IReadOnlyList<RegistryParentLink>>> GetParentsAsync(Pin childPin, CancellationToken ct) => inner.GetParentsAsync(childPin, ct);

    public Task<RegistryLookup<RegistryDocument>> GetBirthCertificateAsync(Pin childPin, CancellationToken ct) => inner.GetBirthCertificateAsync(childPin, ct);

    public Task<RegistryLookup<RegistryDocument>> GetPassportAsync(Pin pin, CancellationToken ct) => inner.GetPassportAsync(pin, ct);

    public Task<RegistryLookup<RegistryAddress>> GetRegisteredAddressAsync(Pin pin, CancellationToken ct) => inner.GetRegisteredAddressAsync(pin, ct);
}

public sealed class DraftChangedUnderSubmitTests : IClassFixture<DraftChangingFactory>
{
    private readonly DraftChangingFactory _factory;

    public DraftChangedUnderSubmitTests(DraftChangingFactory factory) => _factory = factory;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_submit_whose_draft_changed_underneath_is_saved_on_the_stored_draft_not_refused_as_an_existing_application(bool withKey)
    {
        // CI once refused one of 2,000 opening-morning submits with APPLICATION_EXISTS although the child had only the
        // parent's own draft: a lost version check on the draft was reported as if another application held the child.
        var client = _factory.CreateClient();
        var family = Families.Eligible[withKey ? 40 : 41];
        var token = await client.SignUpAsync(family);
        var draft = await client.DraftAsync(token, family);
        var resident = draft["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        var program = (await client.ProgramsAsync(resident)).First();

        _factory.ArmFor(family.ParentPin);
        var (_, body) = await client.PostAsync(Families.Submit, Families.SubmitInput(family, [program], key: withKey ? "changed-under-" + family.ChildPin : null), token);

        Assert.False(_factory.Disarm(family.ParentPin), body.Pretty()); // the draft was changed during the submit
        Assert.True(body["errors"] is null, body.Pretty());
        var application = body["data"]!["submitApplication"]!;
        Assert.Equal(draft.Id(), application.Id());
        Assert.Equal("SUBMITTED", application.Status());
        await using var scope = _factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<RegistryDbContext>().Applications.AsNoTracking()
            .Include(a => a.History).Include(a => a.Choices).SingleAsync(a => a.ChildPin == family.ChildPin);
        Assert.Equal(ApplicationStatus.Submitted, stored.Status);
        Assert.Equal([ApplicationStatus.Draft, ApplicationStatus.Submitted], stored.History.OrderBy(h => h.Sequence).Select(h => h.To));
        Assert.Equal(program.School, Assert.Single(stored.Choices).SchoolCode);
    }
}
