using Enrollment.DemoData;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Schools.Contracts;

namespace Enrollment.Host.Tests.Registry;

/// <summary>
/// Stage One admits a child when at least one parent/legal representative linked to the child has a registered address in
/// the school's micro-district (domain.md; ADR 0304) — the applicant's own address or the other parent's.
/// </summary>
public sealed class StageOneAddressTests(ApplicationsFactory factory) : IClassFixture<ApplicationsFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static DemoDataset D => Tiny.Data;

    private async Task<IReadOnlyList<string>> ResidentSchoolsAsync(string pin)
    {
        var a = D.Addresses.FirstOrDefault(x => x.Pin == pin);
        return a is null ? [] : (await factory.SendAsync(new ResolveAddress(new AddressDto(a.SettlementCode, a.Street, a.House, a.Latitude, a.Longitude)))).SchoolCodes;
    }

    /// <summary>An applicant (no demo account, adult, with passport) and an eligible child whose other linked parent's address resolves to a school the applicant's does not.</summary>
    private async Task<(Family Family, string School)> FamilyWhereOnlyTheOtherParentIsResidentAsync()
    {
        var persons = D.Persons.ToDictionary(p => p.Pin);
        var accounts = D.Accounts.Where(a => a.Pin is not null).Select(a => a.Pin!).ToHashSet();
        var programs = (await _client.ProgramsAsync(null)).Select(p => p.School).ToHashSet();
        foreach (var child in D.ParentLinks.Where(l => l.Relation is "Mother" or "Father").GroupBy(l => l.ChildPin).Where(g => g.Count() >= 2))
        {
            var kid = persons[child.Key];
            if (kid.BirthCertificateNumber is null || kid.BirthDate < new DateOnly(2019, 1, 1) || kid.BirthDate > new DateOnly(2020, 12, 31))
            {
                continue;
            }

            foreach (var applicant in child)
            {
                var parent = persons[applicant.ParentPin];
                if (accounts.Contains(parent.Pin) || parent.PassportNumber is null || parent.BirthDate.AddYears(19) > new DateOnly(2026, 1, 1))
                {
                    continue;
                }

                var own = await ResidentSchoolsAsync(parent.Pin);
                foreach (var other in child.Where(l => l.ParentPin != parent.Pin))
                {
                    if ((await ResidentSchoolsAsync(other.ParentPin)).FirstOrDefault(s => !own.Contains(s) && programs.Contains(s)) is { } school)
                    {
                        return (new Family(parent.Pin, kid.Pin), school);
                    }
                }
            }
        }

        throw new InvalidOperationException("The Tiny dataset has no family whose parents live in different micro-districts.");
    }

    [Fact]
    public async Task Stage_one_accepts_school_of_the_other_parents_registered_address()
    {
        var (family, school) = await FamilyWhereOnlyTheOtherParentIsResidentAsync();
        var token = await _client.SignUpAsync(family);

        var draft = await _client.DraftAsync(token, family);
        Assert.Contains(school, draft["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()));
        var program = (await _client.ProgramsAsync([school])).First();
        var (_, body) = await _client.PostAsync(Families.Submit, Families.SubmitInput(family, [program]), token);

        Assert.True(body["errors"] is null, body.ToJsonString());
        var application = body["data"]!["submitApplication"]!;
        Assert.Equal("SUBMITTED", application.Status());
        Assert.Equal(school, application["choices"]![0]!["schoolCode"]!.GetValue<string>());
    }
}
