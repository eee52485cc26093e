using System.Diagnostics;
using Enrollment.Registry.Data.Population;
using Enrollment.Registry.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Enrollment.Registry.Tests;

/// <summary>The HTTP adapter of the population registry against a fake registry service on 127.0.0.1.</summary>
public sealed class HttpPopulationRegistryTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 11, 28);
    private static readonly Pin Parent = PinOf("10503198812345");
    private static readonly Pin Child = PinOf("22007201900042");

    private FakeRegistryServer _server = null!;
    private readonly List<ServiceProvider> _providers = [];

    public async Task InitializeAsync() => _server = await FakeRegistryServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Found_person_is_read_from_the_documented_json()
    {
        _server.Handle = c => c.Request.Path == $"/persons/{Parent}"
            ? FakeRegistryServer.Json(c, $$"""{"pin":"{{Parent}}","lastName":"Асанова","firstName":"Айгүл","patronymic":"Бакытовна","sex":"F","birthDate":"1988-03-05"}""")
            : NotFound(c);
        var registry = Registry();

        var person = await registry.FindPersonAsync(Parent, CancellationToken.None);

        Assert.True(person.IsFound);
        Assert.Equal(new RegistryPerson(Parent.Value, "Асанова", "Айгүл", "Бакытовна", 'F', new DateOnly(1988, 3, 5)), person.Value);
    }

    [Fact]
    public async Task Registry_birth_date_differing_from_the_pin_is_PIN_BIRTH_DATE_MISMATCH()
    {
        _server.Handle = c => FakeRegistryServer.Json(c,
            $$"""{"pin":"{{Parent}}","lastName":"Асанова","firstName":"Айгүл","sex":"F","birthDate":"1988-05-03"}""");
        var registry = Registry();

        var refused = await Assert.ThrowsAsync<InvalidPin>(() => registry.FindVerifiedPersonAsync(Parent, CancellationToken.None));

        Assert.Equal("PIN_BIRTH_DATE_MISMATCH", refused.Code);
    }

    [Fact]
    public async Task Verified_person_whose_birth_date_matches_the_pin_is_found()
    {
        _server.Handle = c => FakeRegistryServer.Json(c,
            $$"""{"pin":"{{Parent}}","lastName":"Асанова","firstName":"Айгүл","sex":"F","birthDate":"1988-03-05"}""");

        var person = await Registry().FindVerifiedPersonAsync(Parent, CancellationToken.None);

        Assert.Equal(new DateOnly(1988, 3, 5), person.Value.BirthDate);
    }

    [Fact]
    public async Task Every_question_uses_its_documented_path_and_shape()
    {
        _server.Handle = c => c.Request.Path.Value switch
        {
            var p when p == $"/persons/{Parent}/children" => FakeRegistryServer.Json(c,
                $$"""{"children":[{"pin":"{{Child}}","lastName":"Асанов","firstName":"Бекзат","patronymic":null,"sex":"M","birthDate":"2019-07-20","relation":"Mother"}]}"""),
            var p when p == $"/children/{Child}/birth-certificate" => FakeRegistryServer.Json(c, """{"number":"I-КР № 0123456"}"""),
            var p when p == $"/persons/{Parent}/passport" => FakeRegistryServer.Json(c, """{"number":"ID1234567"}"""),
            var p when p == $"/persons/{Parent}/address" => FakeRegistryServer.Json(c,
                """{"settlementCode":"41711000000000","street":"ул. Киевская","house":"12А","apartment":"5","latitude":42.87,"longitude":74.59}"""),
            _ => NotFound(c),
        };
        var registry = Registry();

        var children = await registry.GetLinkedChildrenAsync(Parent, CancellationToken.None);
        var certificate = await registry.GetBirthCertificateAsync(Child, CancellationToken.None);
        var passport = await registry.GetPassportAsync(Parent, CancellationToken.None);
        var address = await registry.GetRegisteredAddressAsync(Parent, CancellationToken.None);

        Assert.Equal([new RegistryLinkedChild(Child.Value, "Асанов", "Бекзат", null, 'M', new DateOnly(2019, 7, 20), "Mother")], children.Value);
        Assert.Equal("I-КР № 0123456", certificate.Value.Number);
        Assert.Equal("ID1234567", passport.Value.Number);
        Assert.Equal(new RegistryAddress("41711000000000", "ул. Киевская", "12А", "5", 42.87, 74.59), address.Value);
    }

    [Fact]
    public async Task Http_404_is_not_found_for_every_question()
    {
        var registry = Registry();

        Assert.False((await registry.FindPersonAsync(Parent, CancellationToken.None)).IsFound);
        Assert.False((await registry.GetLinkedChildrenAsync(Parent, CancellationToken.None)).IsFound);
        Assert.False((await registry.GetBirthCertificateAsync(Child, CancellationToken.None)).IsFound);
        Assert.False((await registry.GetPassportAsync(Parent, CancellationToken.None)).IsFound);
        Assert.False((await registry.GetRegisteredAddressAsync(Parent, CancellationToken.None)).IsFound);
        Assert.Equal(1, _server.Hits($"/persons/{Parent}")); // no retry on 404
    }

    [Fact]
    public async Task Server_error_then_success_is_retried_and_succeeds()
    {
        var calls = 0;
        _server.Handle = c => Interlocked.Increment(ref calls) == 1
            ? Status(c, StatusCodes.Status500InternalServerError)
            : FakeRegistryServer.Json(c, """{"number":"ID7654321"}""");
        var registry = Registry(("MaxRetries", "2"));

        var passport = await registry.GetPassportAsync(Parent, CancellationToken.None);

        Assert.Equal("ID7654321", passport.Value.Number);
        Assert.Equal(2, _server.Hits($"/persons/{Parent}/passport"));
    }

    [Fact]
    public async Task Persistent_server_errors_are_REGISTRY_UNAVAILABLE_after_the_retries()
    {
        _server.Handle = c => Status(c, StatusCodes.Status503ServiceUnavailable);
        var registry = Registry(("MaxRetries", "2"));

        var refused = await Assert.ThrowsAsync<PopulationRegistryUnavailable>(() => registry.FindPersonAsync(Parent, CancellationToken.None));

        Assert.Equal("REGISTRY_UNAVAILABLE", refused.Code);
        Assert.Contains("draft", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, _server.Hits($"/persons/{Parent}"));
    }

    [Fact]
    public async Task Client_errors_other_than_404_are_REGISTRY_UNAVAILABLE_without_retry()
    {
        _server.Handle = c => Status(c, StatusCodes.Status403Forbidden);
        var registry = Registry(("MaxRetries", "2"));

        await Assert.ThrowsAsync<PopulationRegistryUnavailable>(() => registry.FindPersonAsync(Parent, CancellationToken.None));

        Assert.Equal(1, _server.Hits($"/persons/{Parent}"));
    }

    [Fact]
    public async Task Slow_registry_times_out_as_REGISTRY_UNAVAILABLE()
    {
        _server.Handle = async c =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), c.RequestAborted);
            await FakeRegistryServer.Json(c, """{"number":"late"}""");
        };
        var registry = Registry(("Timeout", "00:00:00.200"), ("TotalTimeout", "00:00:01"), ("MaxRetries", "1"), ("RetryDelay", "00:00:00.010"));
        var watch = Stopwatch.StartNew();

        var refused = await Assert.ThrowsAsync<PopulationRegistryUnavailable>(() => registry.GetPassportAsync(Parent, CancellationToken.None));

        Assert.Equal("REGISTRY_UNAVAILABLE", refused.Code);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.InRange(_server.Hits($"/persons/{Parent}/passport"), 1, 2); // the retry too timed out (it may not reach a busy server in time)
    }

    [Fact]
    public async Task Total_timeout_bounds_all_attempts()
    {
        _server.Handle = async c =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), c.RequestAborted);
            await FakeRegistryServer.Json(c, """{"number":"late"}""");
        };
        var registry = Registry(("Timeout", "00:00:00.400"), ("TotalTimeout", "00:00:00.500"), ("MaxRetries", "5"), ("RetryDelay", "00:00:00.010"));

        await Assert.ThrowsAsync<PopulationRegistryUnavailable>(() => registry.GetPassportAsync(Parent, CancellationToken.None));

        Assert.InRange(_server.Hits($"/persons/{Parent}/passport"), 1, 2);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("<html><body>Gateway</body></html>")]
    [InlineData("{\"pin\":")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("{\"pin\":\"10503198812345\",\"lastName\":\"A\",\"firstName\":\"B\",\"sex\":\"X\",\"birthDate\":\"1988-03-05\"}")]
    [InlineData("{\"pin\":\"10503198812345\",\"lastName\":\"A\",\"firstName\":\"B\",\"sex\":\"F\",\"birthDate\":\"05.03.1988\"}")]
    [InlineData("{\"pin\":\"99999999999999\",\"lastName\":\"A\",\"firstName\":\"B\",\"sex\":\"F\",\"birthDate\":\"1988-03-05\"}")]
    [InlineData("{\"pin\":12,\"lastName\":\"A\",\"firstName\":\"B\",\"sex\":\"F\",\"birthDate\":\"1988-03-05\"}")]
    public async Task Garbage_json_is_REGISTRY_UNAVAILABLE(string body)
    {
        _server.Handle = c => FakeRegistryServer.Json(c, body);
        var registry = Registry();

        var refused = await Assert.ThrowsAsync<PopulationRegistryUnavailable>(() => registry.FindPersonAsync(Parent, CancellationToken.None));

        Assert.Equal("REGISTRY_UNAVAILABLE", refused.Code);
    }

    [Theory]
    [InlineData("{\"children\":null}")]
    [InlineData("{\"children\":[null]}")]
    [InlineData("{\"children\":[{\"pin\":\"22007201900042\",\"lastName\":\"A\",\"firstName\":\"B\",\"sex\":\"M\",\"birthDate\":\"2019-07-20\",\"relation\":\"Neighbour\"}]}")]
    [InlineData("{\"children\":[{\"pin\":\"2200\",\"lastName\":\"A\",\"firstName\":\"B\",\"sex\":\"M\",\"birthDate\":\"2019-07-20\",\"relation\":\"Father\"}]}")]
    public async Task Malformed_children_list_is_REGISTRY_UNAVAILABLE(string body)
    {
        _server.Handle = c => FakeRegistryServer.Json(c, body);

        await Assert.ThrowsAsync<PopulationRegistryUnavailable>(() => Registry().GetLinkedChildrenAsync(Parent, CancellationToken.None));
    }

    [Fact]
    public async Task Unreachable_registry_is_REGISTRY_UNAVAILABLE()
    {
        var registry = Registry(("BaseUrl", ClosedPortUrl()), ("MaxRetries", "1"), ("RetryDelay", "00:00:00.010"));

        var refused = await Assert.ThrowsAsync<PopulationRegistryUnavailable>(() => registry.FindPersonAsync(Parent, CancellationToken.None));

        Assert.Equal("REGISTRY_UNAVAILABLE", refused.Code);
    }

    [Fact]
    public async Task Circuit_opens_after_repeated_failures_and_the_health_check_reports_Degraded()
    {
        _server.Handle = c => Status(c, StatusCodes.Status500InternalServerError);
        using var services = Services(("MaxRetries", "0"), ("CircuitMinimumThroughput", "3"), ("CircuitFailureRatio", "0.5"), ("CircuitBreakDuration", "00:01:00"));
        var registry = services.GetRequiredService<HttpPopulationRegistry>();

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<PopulationRegistryUnavailable>(() => registry.FindPersonAsync(Parent, CancellationToken.None));
        }

        Assert.Equal(3, _server.TotalHits);
        var refused = await Assert.ThrowsAsync<PopulationRegistryUnavailable>(() => registry.FindPersonAsync(Parent, CancellationToken.None));
        Assert.Contains("circuit", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(3, _server.TotalHits); // the open circuit answered without calling the server

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal(HealthStatus.Degraded, report.Entries["registry:population"].Status);
        Assert.Contains("circuit", report.Entries["registry:population"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_check_is_Healthy_when_the_registry_answers_and_Degraded_when_it_does_not()
    {
        _server.Handle = c => c.Request.Path == "/health" ? FakeRegistryServer.Json(c, """{"status":"ok"}""") : NotFound(c);
        using var up = Services();
        var healthy = await up.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, healthy.Entries["registry:population"].Status);

        _server.Handle = c => Status(c, StatusCodes.Status503ServiceUnavailable);
        var failing = await up.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, failing.Entries["registry:population"].Status);

        using var down = Services(("BaseUrl", ClosedPortUrl()));
        var unreachable = await down.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, unreachable.Status);
        Assert.Equal(HealthStatus.Degraded, unreachable.Entries["registry:population"].Status);
    }

    [Fact]
    public async Task Health_check_is_not_registered_in_embedded_mode()
    {
        using var embedded = Services(("Mode", "Embedded"));

        var report = await embedded.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.DoesNotContain("registry:population", report.Entries.Keys);
    }

    [Fact]
    public async Task Cached_answer_does_not_call_the_server_twice()
    {
        _server.Handle = c => c.Request.Path == $"/persons/{Parent}/passport"
            ? FakeRegistryServer.Json(c, """{"number":"ID1234567"}""")
            : NotFound(c);
        var registry = Registry();

        var first = await registry.GetPassportAsync(Parent, CancellationToken.None);
        var second = await registry.GetPassportAsync(Parent, CancellationToken.None);
        var missing1 = await registry.GetPassportAsync(Child, CancellationToken.None);
        var missing2 = await registry.GetPassportAsync(Child, CancellationToken.None);

        Assert.Equal(first.Value, second.Value);
        Assert.False(missing1.IsFound);
        Assert.False(missing2.IsFound);
        Assert.Equal(1, _server.Hits($"/persons/{Parent}/passport"));
        Assert.Equal(1, _server.Hits($"/persons/{Child}/passport"));
    }

    [Fact]
    public async Task Failures_are_never_cached()
    {
        var failing = true;
        _server.Handle = c => Volatile.Read(ref failing)
            ? Status(c, StatusCodes.Status500InternalServerError)
            : FakeRegistryServer.Json(c, """{"number":"ID1234567"}""");
        var registry = Registry(("MaxRetries", "0"));

        await Assert.ThrowsAsync<PopulationRegistryUnavailable>(() => registry.GetPassportAsync(Parent, CancellationToken.None));
        Volatile.Write(ref failing, false);
        var passport = await registry.GetPassportAsync(Parent, CancellationToken.None);

        Assert.Equal("ID1234567", passport.Value.Number);
        Assert.Equal(2, _server.Hits($"/persons/{Parent}/passport"));
    }

    [Fact]
    public async Task Cache_expires_after_its_duration()
    {
        _server.Handle = c => FakeRegistryServer.Json(c, """{"number":"ID1234567"}""");
        var registry = Registry(("CacheDuration", "00:00:00.100"));

        await registry.GetPassportAsync(Parent, CancellationToken.None);
        await Task.Delay(300);
        await registry.GetPassportAsync(Parent, CancellationToken.None);

        Assert.Equal(2, _server.Hits($"/persons/{Parent}/passport"));
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_unavailable()
    {
        _server.Handle = async c =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), c.RequestAborted);
            await FakeRegistryServer.Json(c, """{"number":"late"}""");
        };
        var registry = Registry();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => registry.GetPassportAsync(Parent, cancel.Token));

        Assert.True(cancel.IsCancellationRequested, e.ToString());
    }

    [Fact]
    public async Task Many_concurrent_questions_to_a_slow_registry_all_end_as_REGISTRY_UNAVAILABLE()
    {
        _server.Handle = async c =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), c.RequestAborted);
            await FakeRegistryServer.Json(c, """{"number":"late"}""");
        };
        var registry = Registry(("Timeout", "00:00:00.300"), ("TotalTimeout", "00:00:00.300"), ("MaxRetries", "0"), ("CircuitMinimumThroughput", "1000"));
        var watch = Stopwatch.StartNew();

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var pin = PinOf($"1050319881{i:0000}");
            try
            {
                await registry.GetPassportAsync(pin, CancellationToken.None);
                return "answered";
            }
            catch (PopulationRegistryUnavailable e)
            {
                return e.Code;
            }
        }));

        Assert.All(results, r => Assert.Equal("REGISTRY_UNAVAILABLE", r));
        // Fully asynchronous: 200 waits of 0.3 s overlap instead of queueing on the thread pool (2 cores here).
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Http_mode_without_a_base_url_fails_at_start()
    {
        using var services = Services(("BaseUrl", ""));

        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PopulationRegistryOptions>>().Value);
        Assert.Contains("Registry:Population", e.Message, StringComparison.Ordinal);
    }

    private HttpPopulationRegistry Registry(params (string Key, string Value)[] settings) =>
        Services(settings).GetRequiredService<HttpPopulationRegistry>();

    private ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Registry:Population:Mode"] = "Http",
            ["Registry:Population:BaseUrl"] = _server.BaseUrl.ToString(),
            ["Registry:Population:RetryDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in settings)
        {
            values["Registry:Population:" + key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging();
        services.AddHealthChecks();
        services.AddPopulationRegistry();
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    private static Pin PinOf(string text) =>
        Pin.TryParse(text, Today, out var pin, out var error) ? pin : throw new ArgumentException(error.Code, nameof(text));

    private static Task NotFound(HttpContext context) => Status(context, StatusCodes.Status404NotFound);

    private static Task Status(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    private static string ClosedPortUrl()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/";
    }
}
