using System.Buffers.Binary;
using Enrollment.Host.Auth;
using Enrollment.Host.Tests.GraphQL;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Enrollment.Host.Tests.Security;

/// <summary>
/// <c>Auth:PasswordHashIterations</c>: benchmarks may sign parents up with cheaper hashes the day before; Production never
/// (docs/benchmarks.md, README settings).
/// </summary>
public sealed class PasswordHashIterationsTests
{
    [Fact]
    public async Task Without_the_setting_sign_up_hashes_with_Identity_default_of_100000_iterations()
    {
        using var factory = new SecurityFactory();

        Assert.Equal(100_000, await SignUpAndReadIterationsAsync(factory));
    }

    [Fact]
    public async Task Outside_Production_the_setting_sets_the_iterations_of_new_password_hashes_and_sign_in_still_works()
    {
        using var factory = new CheapHashFactory();

        Assert.Equal(1_000, await SignUpAndReadIterationsAsync(factory));
        var parent = SecurityData.ParentsWithoutAccount[0];
        Assert.False(string.IsNullOrEmpty(await factory.CreateClient().LoginAsync(parent.Pin, SecurityData.StrongPassword)));
    }

    [Theory]
    [InlineData("Production", 1_000, "remove it in Production")]
    [InlineData("Benchmark", 0, "at least 1")]
    public void A_Production_host_or_a_count_below_one_is_refused(string environment, int iterations, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            AuthOptions.PasswordHashIterationsFor(new AuthOptions { PasswordHashIterations = iterations }, Environment(environment)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unset_means_Identity_default_in_every_environment() =>
        Assert.Null(AuthOptions.PasswordHashIterationsFor(new AuthOptions(), Environment("Production")));

    private static async Task<int> SignUpAndReadIterationsAsync(EnrollmentFactory factory)
    {
        var parent = SecurityData.ParentsWithoutAccount[0];
        var (_, body) = await factory.CreateClient().PostAsync(SignUpTests.SignUp, new { pin = parent.Pin, p = SecurityData.StrongPassword });
        Assert.True(body["errors"] is null, body.Pretty());

        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByNameAsync(parent.Pin) ?? throw new InvalidOperationException("The account was not created.");

        // Identity's v3 format: 0x01, PRF (4 bytes), iteration count (4 bytes, big-endian), salt length, salt, subkey.
        var hash = Convert.FromBase64String(user.PasswordHash!);
        Assert.Equal(0x01, hash[0]);
        return (int)BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5, 4));
    }

    private static HostingEnvironment Environment(string name) => new() { EnvironmentName = name };

    private sealed class CheapHashFactory : SecurityFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Auth:PasswordHashIterations"] = "1000",
        };
    }
}
