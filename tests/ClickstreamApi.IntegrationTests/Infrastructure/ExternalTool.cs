using System.Diagnostics;

namespace ClickstreamApi.IntegrationTests.Infrastructure;

/// <summary>Outside programs some tests use; those tests skip, saying why, when a program is missing.</summary>
public static class ExternalTool
{
    public static string? Find(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static string Require(string name, string install)
    {
        var path = Find(name);
        if (path is null)
        {
            Assert.Skip($"{name} is not installed ({install}); .ci/run installs it so this test runs in CI.");
        }

        return path;
    }

    /// <summary>Debian's python3 (or the one on PATH) if it imports <paramref name="modules"/>, else a skip naming the packages to install.</summary>
    public static string PythonWith(string modules, string packages)
    {
        foreach (var candidate in new[] { "/usr/bin/python3", Find("python3") })
        {
            if (candidate is not null && File.Exists(candidate))
            {
                using var check = Process.Start(new ProcessStartInfo(candidate, ["-c", $"import {modules}"]) { RedirectStandardError = true });
                check!.WaitForExit();
                if (check.ExitCode == 0)
                {
                    return candidate;
                }
            }
        }

        Assert.Skip($"python3 with {modules} is not installed (apt-get install {packages}); .ci/run installs them so this test runs in CI.");
        return null!;
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string path,
        IEnumerable<string> arguments,
        string? input = null,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{path} {string.Join(' ', arguments)} did not finish in time; stderr: {await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
