namespace ClickstreamApi.LoadBench.Harness;

/// <summary>Paths in the repository the harness runs from.</summary>
internal static class Repository
{
    /// <summary>The directory holding ClickstreamApi.sln, found upwards from the harness's binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The Release build of the service that <c>dotnet build -c Release</c> leaves.</summary>
    public static string ReleaseService()
    {
        var candidate = Path.Combine(Root, "src", "ClickstreamApi", "bin", "Release", "net10.0", "ClickstreamApi.dll");
        return File.Exists(candidate)
            ? candidate
            : throw new FileNotFoundException($"No Release build of the service at {candidate}; run `dotnet build -c Release` first, or pass --service PATH.");
    }

    /// <summary>The original Python exercise, kept beside the repository (../shared/seed).</summary>
    public static string SeedDirectory => Path.GetFullPath(Path.Combine(Root, "..", "shared", "seed"));

    /// <summary>
    /// A setting as shipped in the repository's appsettings.json (<c>Kafka:Producer:linger.ms</c>),
    /// so the report's notes say what the measured service ran with; "?" when it is not there.
    /// </summary>
    public static string ShippedSetting(string key)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "appsettings.json")));
        var element = document.RootElement;
        foreach (var part in key.Split(':'))
        {
            if (element.ValueKind != System.Text.Json.JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return "?";
            }
        }

        return element.ToString();
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ClickstreamApi.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("ClickstreamApi.sln not found above the harness's binaries.");
    }
}
