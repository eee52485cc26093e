using Enrollment.Host.Tests.GraphQL;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Schools;

/// <summary>Two hosts on one database: a micro-district edit on one is resolved by the other without a restart.</summary>
public sealed class IndexStampTests : IDisposable
{
    /// <summary>A host whose index checks the database stamp before every resolution (interval 0).</summary>
    private sealed class EagerHost : EnrollmentFactory
    {
        private readonly EnrollmentFactory? _shared;

        public EagerHost(EnrollmentFactory? shared = null) => _shared = shared;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Schools:IndexStampCheckInterval", "00:00:00");
            if (_shared is not null)
            {
                builder.UseSetting("Database:DataDirectory", _shared.DataDirectory);
                if (_shared.PostgresConnectionString is not null)
                {
                    builder.UseSetting("Database:ConnectionString", _shared.PostgresConnectionString);
                }
            }
        }
    }

    private readonly EagerHost _first = new();
    private readonly EagerHost _second;

    public IndexStampTests()
    {
        _ = _first.Services; // starts, migrates and seeds before the second host opens the same database
        _second = new EagerHost(_first);
    }

    public void Dispose()
    {
        _second.Dispose();
        _first.Dispose();
    }

    private static async Task<AddressResolutionDto> ResolveAsync(EnrollmentFactory host, string settlement, string street)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ResolveAddress(new AddressDto(settlement, street, "7")));
    }

    [Fact]
    public async Task A_rule_saved_on_one_host_resolves_on_another_host_of_the_same_database()
    {
        var school = Tiny.Data.Schools.First(s => s.ParticipatesInEnrollment);
        Assert.Empty((await ResolveAsync(_second, school.SettlementCode, "улица Двух Хостов")).Matches); // the second host has built its index

        var client = _first.CreateClient();
        var ministry = Tiny.Account("MinistryAdmin");
        var token = await client.LoginAsync(ministry.UserName, ministry.Password);
        var saved = await client.QueryAsync("""
            mutation($s: String!, $l: String!) { saveMicrodistrictRule(schoolCode: $s, settlementCode: $l, street: "улица Двух Хостов", houseSet: "*") { applied ruleId } }
            """, new { s = school.Code, l = school.SettlementCode }, token);
        Assert.True(saved.Json["errors"] is null, saved.Text);

        Assert.Equal(school.Code, Assert.Single((await ResolveAsync(_second, school.SettlementCode, "ул. Двух Хостов")).Matches).SchoolCode);

        var deleted = await client.QueryAsync("mutation($id: ID!) { deleteMicrodistrictRule(ruleId: $id) { applied } }",
            new { id = saved.Json["data"]!["saveMicrodistrictRule"]!["ruleId"]!.GetValue<string>() }, token);
        Assert.True(deleted.Json["errors"] is null, deleted.Text);
        Assert.Empty((await ResolveAsync(_second, school.SettlementCode, "улица Двух Хостов")).Matches);
    }
}
