using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit.Sdk;

namespace Kontor.Tests.Infrastructure;

/// <summary>
/// Kontor.Web as a real operating-system process (<c>dotnet Kontor.Web.dll --urls …</c>), for tests that must kill it the way a
/// power cut or the OOM killer does: <see cref="KillHard"/> is SIGKILL (no shutdown hooks, no flush), <see cref="StartAsync"/>
/// starts it again on the same database, port and keys. The process is killed when this object is disposed, when the test
/// host exits, and on every failed start, so no server is left holding the port or the database file.
/// </summary>
public sealed class KontorServerProcess : IAsyncDisposable
{
    /// <summary>Overrides where Kontor.Web.dll is looked for (default: next to the test assembly, which references Kontor.Web).</summary>
    public const string DllVariable = "KONTOR_WEB_DLL";

    private static readonly ConcurrentDictionary<KontorServerProcess, byte> Live = new();

    static KontorServerProcess() =>
        // A test host that exits (or is stopped with Ctrl-C / SIGTERM) without disposing takes its servers with it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { foreach (var server in Live.Keys) server.KillHard(); };

    private readonly string dll;
    private readonly IReadOnlyDictionary<string, string> environment;
    private readonly ConcurrentQueue<string> output = new();
    private Process? process;

    public KontorServerProcess(IReadOnlyDictionary<string, string> environment)
    {
        dll = LocateWebDll();
        this.environment = environment;
        Port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        Live[this] = 0;
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>How many times the server was started (the first start included).</summary>
    public int Starts { get; private set; }

    /// <summary>How long each start took until /health answered.</summary>
    public List<TimeSpan> StartTimes { get; } = [];

    public bool IsRunning => process is { HasExited: false };

    /// <summary>Kontor.Web.dll with its runtimeconfig (next to the tests, or <see cref="DllVariable"/>); a clear failure when the build output is not there.</summary>
    public static string LocateWebDll()
    {
        var candidate = Environment.GetEnvironmentVariable(DllVariable) is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "Kontor.Web.dll");
        var runtimeConfig = Path.ChangeExtension(candidate, ".runtimeconfig.json");
        if (!File.Exists(candidate) || !File.Exists(runtimeConfig))
            throw new XunitException(
                $"Kontor.Web's build output was not found: {candidate} (with {Path.GetFileName(runtimeConfig)}) does not exist. " +
                $"Build the tests (`dotnet build tests/Kontor.Tests`, which builds Kontor.Web beside them) or set {DllVariable} to a built Kontor.Web.dll.");
        return candidate;
    }

    /// <summary>Starts the server and waits until <c>/health</c> answers (migrations and start-up recovery have run by then).</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        var (started, start) = Launch();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(90);
        while (deadline.Elapsed < limit)
        {
            if (started.HasExited)
                throw new XunitException($"Kontor.Web exited with code {started.ExitCode} during start {start} before answering /health.\n{Output()}");
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    StartTimes.Add(deadline.Elapsed);
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(100);
        }
        KillHard();
        throw new XunitException($"Kontor.Web did not answer /health within {limit.TotalSeconds:0} s (start {start}).\n{Output()}");
    }

    /// <summary>Starts the process without waiting for it (a test may kill it while it is still starting up).</summary>
    public (Process Process, int Start) Launch()
    {
        if (IsRunning) throw new InvalidOperationException("The server is already running.");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var started = Process.Start(info) ?? throw new XunitException("dotnet could not be started.");
        var start = ++Starts;
        started.OutputDataReceived += (_, e) => Keep(start, e.Data);
        started.ErrorDataReceived += (_, e) => Keep(start, e.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process?.Dispose();
        process = started;
        return (started, start);
    }

    /// <summary>SIGKILL (Process.Kill on Unix), then waits until the process is gone so the port and files are free.</summary>
    public void KillHard()
    {
        var current = process;
        if (current is null) return;
        try
        {
            if (!current.HasExited)
            {
                current.Kill(entireProcessTree: true);
                current.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException) { }   // already gone
        catch (System.ComponentModel.Win32Exception) { }
    }

    /// <summary>The server's recent console output (both streams, every start), for failure messages.</summary>
    public string Output(int lastLines = 60) => string.Join('\n', output.TakeLast(lastLines));

    private void Keep(int start, string? line)
    {
        if (line is null) return;
        output.Enqueue($"[{start}] {line}");
        while (output.Count > 2000) output.TryDequeue(out _);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        KillHard();
        process?.Dispose();
        process = null;
        Live.TryRemove(this, out _);
        return ValueTask.CompletedTask;
    }
}
