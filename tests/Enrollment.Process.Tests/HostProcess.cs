using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace Enrollment.Process.Tests;

/// <summary>
/// One data directory (and optionally one PostgreSQL database) shared by host processes that are started, SIGKILLed and
/// restarted on it, with the Testing environment's clock file (<c>Testing:ClockFile</c>) so every host is in the same
/// campaign stage and the test can move time for all of them.
/// </summary>
public sealed class HostEnvironment : IAsyncDisposable
{
    private readonly List<HostProcess> _hosts = [];
    private readonly ITestOutputHelper _output;

    public HostEnvironment(ITestOutputHelper output, DateTimeOffset now, string? postgres = null, string? parentDirectory = null)
    {
        _output = output;
        DataDirectory = Path.Combine(parentDirectory ?? Path.Combine(Path.GetTempPath(), "enrollment-process-tests"), Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        Postgres = postgres;
        SetClock(now);
    }

    public string DataDirectory { get; }

    /// <summary>Outside the data directory (which a test may fill up).</summary>
    public string ClockFile => Path.Combine(Path.GetTempPath(), "enrollment-process-tests", Path.GetFileName(DataDirectory) + ".clock");

    public string? Postgres { get; }

    public string DatabaseFile => Path.Combine(DataDirectory, "enrollment.db");

    /// <summary>Notifications' outbox: a SQLite file of its own (ADR 0907).</summary>
    public string NotificationsFile => Path.Combine(DataDirectory, "notifications.db");

    /// <summary>Longer than the running hosts' clock-file re-read interval (100 ms, TestingClock).</summary>
    private static readonly TimeSpan ClockPropagation = TimeSpan.FromMilliseconds(250);

    /// <summary>Every host's "now" becomes <paramref name="now"/> (and runs on from there in real time) before this returns.</summary>
    public void SetClock(DateTimeOffset now)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ClockFile)!);
        var temp = ClockFile + ".tmp";
        File.WriteAllText(temp, now.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        File.Move(temp, ClockFile, overwrite: true);
        File.SetLastWriteTimeUtc(ClockFile, DateTime.UtcNow);
        // A host re-reads the file at most every 100 ms (TestingClock): without this pause a request sent at once could still
        // run on the old clock (CI 2026-11-29: a dead host's allocation lock looked unexpired after the clock moved on).
        Thread.Sleep(ClockPropagation);
    }

    public async Task<HostProcess> StartAsync(bool jobServer = false, IDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>
        {
            ["Database:DataDirectory"] = DataDirectory,
            ["DemoData:Profile"] = "Tiny",
            ["Reporting:OpenData:MaxAge"] = "00:00:00", // open data read right after changes (ADR 0912)
            ["Jobs:Server"] = jobServer ? "true" : "false",
            ["Jobs:PollInterval"] = "00:00:01",
            ["Testing:ClockFile"] = ClockFile,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Auth:AccessTokenLifetime"] = "400.00:00:00",
        };
        if (Postgres is not null)
        {
            all["Database:Provider"] = "Postgres";
            all["Database:ConnectionString"] = Postgres;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var host = await HostProcess.StartAsync(all, _output);
        _hosts.Add(host);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
            File.Delete(ClockFile);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>The host as its own OS process: <c>dotnet Enrollment.Host.dll</c> with its settings in environment variables.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly StringBuilder _log = new();

    private HostProcess(System.Diagnostics.Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>src/Host/bin/&lt;configuration&gt;/net10.0 of the repository this test assembly was built in.</summary>
    public static string HostDirectory
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = output.Parent!.Name;
            var root = output;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Enrollment.sln")))
            {
                root = root.Parent;
            }

            return Path.Combine(root?.FullName ?? throw new InvalidOperationException("Enrollment.sln not found above " + output.FullName),
                "src", "Host", "bin", configuration, output.Name);
        }
    }

    public static async Task<HostProcess> StartAsync(IDictionary<string, string> settings, ITestOutputHelper output)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = HostDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(HostDirectory, "Enrollment.Host.dll"));
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var host = new HostProcess(process, port);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var started = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with {process.ExitCode} while starting:\n{host.Log}");
            }

            try
            {
                using var probe = new HttpClient { BaseAddress = host.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
                var health = await probe.GetAsync("/healthz");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    output.WriteLine($"host pid {process.Id} on port {port} ready after {started.Elapsed.TotalSeconds:F1} s");
                    return host;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (started.Elapsed > TimeSpan.FromSeconds(120))
            {
                await host.DisposeAsync();
                throw new TimeoutException($"The host did not become healthy in 120 s:\n{host.Log}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, no disposing — what a power cut or the OOM killer does.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        Client.Dispose();
        _process.Dispose();
        await Task.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length < 200_000)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
