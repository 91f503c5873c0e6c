using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnitV3;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace ClickstreamApi.UnitTests.Architecture;

/// <summary>
/// The service's feature folders form layers, and dependencies point down only (README, "Repository
/// layout"): the pipeline never uses what observes or serves it. A new dependency that breaks this
/// fails here, naming the types.
/// </summary>
public sealed class LayerTests
{
    /// <summary>Bottom to top. A folder may use folders of lower layers only, never its peers or anything above.</summary>
    public static readonly string[][] Layers =
    [
        ["Hosting", "Events"],
        ["Diagnostics"],
        ["Kafka", "Analytics", "Schemas"],
        ["Generation", "Consumption", "Chaos"],
        ["Observability", "Security", "Fleet"],
        ["Api", "Dashboard", "Registry"],
    ];

    private static readonly ArchUnitNET.Domain.Architecture Service =
        new ArchLoader().LoadAssemblies(typeof(Program).Assembly).Build();

    public static TheoryData<string> Folders => [.. Layers.SelectMany(layer => layer)];

    [Fact]
    public void The_feature_folders_depend_on_each_other_without_a_cycle()
    {
        // Folder -> folders it uses, with one type dependency as the example of each edge.
        var edges = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var type in Service.Types)
        {
            var from = Folder(type.Namespace?.FullName);
            foreach (var dependency in type.Dependencies)
            {
                var to = Folder(dependency.Target?.Namespace?.FullName);
                if (from is not null && to is not null && from != to)
                {
                    var targets = edges.TryGetValue(from, out var known) ? known : edges[from] = new(StringComparer.Ordinal);
                    targets.TryAdd(to, $"{type.FullName} -> {dependency.Target!.FullName}");
                }
            }
        }

        var cycle = FindCycle(edges);
        Assert.True(cycle is null, cycle is null ? null : "Folders in a cycle:\n" + string.Join("\n", cycle!));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void A_folder_uses_only_the_layers_below_it(string folder)
    {
        var layer = Array.FindIndex(Layers, l => l.Contains(folder));
        var forbidden = Layers.Skip(layer).SelectMany(l => l).Where(other => other != folder).ToArray();

        IArchRule rule = Types().That().ResideInNamespaceMatching($"^ClickstreamApi\\.{folder}(\\..*)?$")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching($"^ClickstreamApi\\.({string.Join('|', forbidden)})(\\..*)?$"))
            .Because($"{folder} is in layer {layer} and may use only {string.Join(", ", Layers.Take(layer).SelectMany(l => l).DefaultIfEmpty("nothing"))}");
        rule.Check(Service);
    }

    /// <summary>The top-level folder of a namespace of the service (ClickstreamApi.Consumption.Sinks: Consumption).</summary>
    private static string? Folder(string? ns) =>
        ns is not null && ns.StartsWith("ClickstreamApi.", StringComparison.Ordinal) ? ns.Split('.')[1] : null;

    /// <summary>A cycle in the folder graph as its edges (with an example each), or null.</summary>
    private static List<string>? FindCycle(Dictionary<string, Dictionary<string, string>> edges)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the path, 2 done
        var path = new List<string>();

        List<string>? Visit(string folder)
        {
            state[folder] = 1;
            path.Add(folder);
            foreach (var (next, _) in edges.GetValueOrDefault(folder) ?? [])
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    var loop = path.Skip(path.IndexOf(next)).Append(next).ToList();
                    return [.. loop.Zip(loop.Skip(1), (a, b) => $"{a} -> {b} (e.g. {edges[a][b]})")];
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[folder] = 2;
            return null;
        }

        foreach (var folder in edges.Keys)
        {
            if (state.GetValueOrDefault(folder) == 0 && Visit(folder) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    [Fact]
    public void Every_folder_of_the_service_has_its_place_in_a_layer()
    {
        var namespaces = Service.Namespaces
            .Select(n => n.FullName)
            .Where(n => n.StartsWith("ClickstreamApi.", StringComparison.Ordinal))
            .Select(n => n.Split('.')[1])
            .Distinct()
            .Order();

        Assert.All(namespaces, folder => Assert.Contains(folder, Layers.SelectMany(l => l)));
    }
}
