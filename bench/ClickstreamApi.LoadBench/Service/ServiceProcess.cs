using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using ClickstreamApi.LoadBench.Harness;

namespace ClickstreamApi.LoadBench.Service;

/// <summary>The real service, started as users start it (<c>dotnet ClickstreamApi.dll</c>, embedded Kafka), on a free port.</summary>
internal sealed partial class ServiceProcess : IAsyncDisposable
{
    // Enough of the service's own output (warnings and errors) to diagnose a problem without flooding the progress log.
    private const int ForwardedLines = 20;
    private readonly Process _process;
    private int _forwarded;

    private ServiceProcess(Process process, Uri baseAddress, long launchedAt)
    {
        _process = process;
        BaseAddress = baseAddress;
        LaunchedAt = launchedAt;
    }

    public Uri BaseAddress { get; }

    /// <summary>When the process was started (a <see cref="Stopwatch.GetTimestamp"/> value).</summary>
    public long LaunchedAt { get; }

    /// <summary>Starts the service and waits until <c>/health/ready</c> answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(string assembly, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var service = Launch(assembly, environment);
        try
        {
            await service.WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the service without waiting for it.</summary>
    public static ServiceProcess Launch(string assembly, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var launchedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the service");
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"), launchedAt);
        // Drain both pipes so the service never blocks on a full one; pass on the first lines
        // (the service logs warnings and errors only).
        process.OutputDataReceived += (_, e) => service.Forward(e.Data);
        process.ErrorDataReceived += (_, e) => service.Forward(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the service exited with code {_process.ExitCode} during start-up");
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"the service did not become ready within {timeout.TotalSeconds:F0} s");
    }

    /// <summary>
    /// CPU time (user + system) the process has used so far: on Linux, .NET reads it from utime + stime
    /// of /proc/&lt;pid&gt;/stat (clock ticks, 10 ms). Every scenario's "service CPU" and "CPU µs/event" come from here.
    /// </summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Throws when the service has exited (with its exit code: 137 = SIGKILL, from outside or the OOM killer).</summary>
    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"the service (pid {_process.Id}) exited with code {_process.ExitCode} while being measured");
        }
    }

    /// <summary>Resident set size now, in MiB, from /proc (what the kernel really holds in memory).</summary>
    public double ResidentMebibytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kilobytes = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                return kilobytes / 1024.0;
            }
        }

        return double.NaN;
    }

    /// <summary>The highest resident set size the process has had, in MiB (VmHWM from /proc).</summary>
    public double PeakResidentMebibytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kilobytes = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                return kilobytes / 1024.0;
            }
        }

        return double.NaN;
    }

    /// <summary>Stops the service as an operator would (SIGTERM), killing it only if it does not stop within 20 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = NativeMethods.Kill(_process.Id, NativeMethods.SignalTerminate);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Progress.Write($"service {_process.Id} did not stop within 20 s of SIGTERM; killing it");
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private void Forward(string? line)
    {
        // The hosting lifetime's "Now listening on ..." lines are information, not news.
        if (string.IsNullOrEmpty(line) || line.Contains(" INF] ", StringComparison.Ordinal))
        {
            return;
        }

        var count = Interlocked.Increment(ref _forwarded);
        if (count <= ForwardedLines)
        {
            Console.Error.WriteLine($"  service {_process.Id}: {line}");
        }
        else if (count == ForwardedLines + 1)
        {
            Console.Error.WriteLine($"  service {_process.Id}: (further output not shown)");
        }
    }

    private static partial class NativeMethods
    {
        public const int SignalTerminate = 15;

        // .NET can only SIGKILL another process; SIGTERM lets the service stop the way it is meant to.
        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static partial int Kill(int pid, int signal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
