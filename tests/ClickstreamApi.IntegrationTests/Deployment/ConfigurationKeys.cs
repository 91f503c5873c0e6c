using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Deployment;

/// <summary>
/// What a deployment file may set as an environment variable: a configuration key of appsettings.json
/// (':' written as '__'), or one of the few variables the framework itself reads. A name that is
/// neither is a typo or a setting the app dropped, and would be ignored without a word.
/// </summary>
internal static class ConfigurationKeys
{
    public static readonly HashSet<string> FrameworkVariables = ["ASPNETCORE_HTTP_PORTS", "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"];

    /// <summary>Every key of appsettings.json, flattened as configuration sees it (Kafka:Consumer:group.id).</summary>
    public static HashSet<string> All { get; } = Load();

    /// <summary>Fails unless <paramref name="variable"/> is a framework variable or sets a key of appsettings.json.</summary>
    public static void AssertReadByTheApp(string variable, string file)
    {
        if (FrameworkVariables.Contains(variable))
        {
            return;
        }

        var key = variable.Replace("__", ":", StringComparison.Ordinal);
        Assert.True(All.Contains(key), $"{file} sets {variable}, but appsettings.json has no {key}");
    }

    private static HashSet<string> Load()
    {
        using var appsettings = JsonDocument.Parse(File.ReadAllText(Repository.File("appsettings.json")));
        return Flatten(appsettings.RootElement, prefix: null).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> Flatten(JsonElement element, string? prefix)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            yield return prefix!;
            yield break;
        }

        foreach (var property in element.EnumerateObject())
        {
            var key = prefix is null ? property.Name : $"{prefix}:{property.Name}";
            foreach (var nested in Flatten(property.Value, key))
            {
                yield return nested;
            }
        }
    }
}
