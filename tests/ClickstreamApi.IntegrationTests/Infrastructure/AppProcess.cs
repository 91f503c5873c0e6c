using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ClickstreamApi.IntegrationTests.Infrastructure;

/// <summary>The built service started as its own process on a free loopback port, its console output captured.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private int _lineCount;

    private readonly Stopwatch _sinceStart = Stopwatch.StartNew();

    private AppProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    /// <summary>The HTTP port it listens on (with its host name, this names its default consumer group).</summary>
    public int Port { get; }

    /// <summary>Time since the process was started.</summary>
    public TimeSpan Age => _sinceStart.Elapsed;

    /// <summary>Lines the process wrote to stdout and stderr so far.</summary>
    public int LineCount
    {
        get
        {
            lock (_output)
            {
                return _lineCount;
            }
        }
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static AppProcess Start(IReadOnlyDictionary<string, string> environment, int? port = null)
    {
        Assert.True(File.Exists(Repository.AppAssembly), $"{Repository.AppAssembly} is missing; build the solution first");
        port ??= FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Repository.AppAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var app = new AppProcess(process, port.Value);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Waits until the HTTP API answers at all (not necessarily ready).</summary>
    public async Task WaitForHttpAsync() =>
        await Eventually.Until(
            async () =>
            {
                try
                {
                    using var response = await Http.GetAsync("/health/live", TestContext.Current.CancellationToken);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            up => up,
            "the process to answer HTTP",
            TimeSpan.FromSeconds(60));

    /// <summary>Sends SIGKILL: the process dies at once, committing nothing.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Sends SIGTERM, as a container runtime or systemd would.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Waits for the process to exit; false if it did not within the time given.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        Http.Dispose();
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
            if (line is not null)
            {
                _lineCount++;
            }
        }
    }
}
