using System.Diagnostics;
using System.Text;

namespace ClickstreamApi.LoadBench.Tools;

/// <summary>An outside command, timed from just before it starts until it has exited.</summary>
internal static class ExternalProcess
{
    /// <summary>
    /// Runs <paramref name="file"/> and waits for it. Its standard output is captured unless
    /// <paramref name="discardOutput"/> is set, in which case it goes straight to /dev/null through
    /// <c>sh -c 'exec ... &gt;/dev/null'</c> (so neither a pipe nor this process slows the tool down).
    /// </summary>
    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken, bool discardOutput = false)
    {
        var start = new ProcessStartInfo(discardOutput ? "/bin/sh" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (discardOutput)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("exec \"$0\" \"$@\" >/dev/null");
            start.ArgumentList.Add(file);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var error = new StringBuilder();
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return new ProcessResult(-1, Stopwatch.GetElapsedTime(started).TotalSeconds, Text(output), Text(error), TimedOut: true);
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new ProcessResult(process.ExitCode, elapsed, Text(output), Text(error), TimedOut: false);
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.AppendLine(line);
        }
    }

    private static string Text(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }
}

/// <summary>How an outside command ended.</summary>
/// <param name="ExitCode">Its exit code (-1 when it was killed at the time limit).</param>
/// <param name="Seconds">Start to exit.</param>
/// <param name="Output">Its standard output, unless discarded.</param>
/// <param name="Error">Its standard error.</param>
/// <param name="TimedOut">Whether it was killed at the time limit.</param>
internal sealed record ProcessResult(int ExitCode, double Seconds, string Output, string Error, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>A short reason for a failure, for a table cell.</summary>
    public string Failure => TimedOut
        ? "timed out"
        : $"exit code {ExitCode}: {FirstLine(Error)}";

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? string.Empty;
        return line.Length > 120 ? line[..120] + "..." : line;
    }
}
