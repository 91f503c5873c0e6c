using BenchmarkDotNet.Configs;

namespace ClickstreamApi.Benchmarks;

internal static class BenchmarkConfig
{
    /// <summary>
    /// The default config, with reports written to bench/results (git-ignored) whichever directory
    /// the command runs from; <c>--artifacts</c> on the command line still wins.
    /// </summary>
    public static IConfig Create()
    {
        var config = DefaultConfig.Instance;
        var root = FindRepositoryRoot(AppContext.BaseDirectory);
        return root is null ? config : config.WithArtifactsPath(Path.Combine(root, "bench", "results"));
    }

    private static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ClickstreamApi.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
