namespace ClickstreamApi.IntegrationTests.Infrastructure;

/// <summary>Paths in the repository checkout the tests run from.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: whatever this test assembly was built as (the app is built alongside).</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string AppAssembly => Path.Combine(Root, "src", "ClickstreamApi", "bin", Configuration, "net10.0", "ClickstreamApi.dll");

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "ClickstreamApi.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ClickstreamApi.sln above {AppContext.BaseDirectory}.");
    }
}
