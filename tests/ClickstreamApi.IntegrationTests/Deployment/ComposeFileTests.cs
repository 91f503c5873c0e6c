using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace ClickstreamApi.IntegrationTests.Deployment;

/// <summary>
/// Docker cannot run on the build machines, so docker-compose.yml and the Dockerfile are checked
/// against the configuration the app really reads.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly HashSet<string> FrameworkVariables = ["ASPNETCORE_HTTP_PORTS", "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"];

    private readonly YamlMappingNode _services;
    private readonly HashSet<string> _configurationKeys;

    public ComposeFileTests()
    {
        using var reader = new StreamReader(Repository.File("docker-compose.yml"));
        var yaml = new YamlStream();
        yaml.Load(reader);
        _services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        using var appsettings = JsonDocument.Parse(System.IO.File.ReadAllText(Repository.File("appsettings.json")));
        _configurationKeys = Flatten(appsettings.RootElement, prefix: null).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void Every_api_environment_variable_is_a_configuration_key_the_app_reads()
    {
        foreach (var name in Environment("api").Keys)
        {
            if (FrameworkVariables.Contains(name))
            {
                continue;
            }

            var key = name.Replace("__", ":", StringComparison.Ordinal);
            Assert.True(_configurationKeys.Contains(key), $"docker-compose.yml sets {name}, but appsettings.json has no {key}");
        }
    }

    [Fact]
    public void The_api_points_at_the_kafka_service_on_an_advertised_listener()
    {
        var bootstrap = Environment("api")["Kafka__BootstrapServers"];
        var host = bootstrap.Split(':')[0];

        Assert.True(_services.Children.ContainsKey(new YamlScalarNode(host)), $"{bootstrap} names no service");
        var advertised = Environment(host)["KAFKA_ADVERTISED_LISTENERS"];
        Assert.Contains($"//{bootstrap}", advertised, StringComparison.Ordinal);
        var depends = (YamlMappingNode)Service("api")["depends_on"];
        Assert.True(depends.Children.ContainsKey(new YamlScalarNode(host)));
    }

    [Fact]
    public void The_kafka_service_is_single_node_kraft_from_the_official_image()
    {
        var kafka = Service("kafka");
        var environment = Environment("kafka");

        Assert.StartsWith("apache/kafka:", ((YamlScalarNode)kafka["image"]).Value, StringComparison.Ordinal);
        Assert.Equal("broker,controller", environment["KAFKA_PROCESS_ROLES"]);
        Assert.Equal("1", environment["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"]);
        Assert.Equal("user_clickstream", Environment("api")["Kafka__Topic"]);
    }

    [Fact]
    public void The_published_api_port_is_the_port_the_container_listens_on()
    {
        var port = Environment("api")["ASPNETCORE_HTTP_PORTS"];
        var published = ((YamlSequenceNode)Service("api")["ports"]).Children.Select(p => ((YamlScalarNode)p).Value!).ToList();
        var dockerfile = System.IO.File.ReadAllText(Repository.File("Dockerfile"));

        Assert.Contains(published, p => p.EndsWith($":{port}", StringComparison.Ordinal));
        Assert.Contains($"EXPOSE {port}", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"ASPNETCORE_HTTP_PORTS={port}", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dockerfile_builds_in_the_sdk_and_runs_unprivileged_on_the_runtime_image()
    {
        var lines = System.IO.File.ReadAllLines(Repository.File("Dockerfile"));

        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, stages.Count);
        Assert.Contains("dotnet/sdk:10.0", stages[0], StringComparison.Ordinal);
        Assert.Contains("dotnet/aspnet:10.0", stages[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("USER ", StringComparison.Ordinal) && !l.Contains("root", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("COPY appsettings.json", StringComparison.Ordinal));
        foreach (var copy in lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal)))
        {
            foreach (var source in copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1])
            {
                Assert.True(Path.Exists(Repository.File(source.TrimEnd('/'))), $"Dockerfile copies {source}, which does not exist");
            }
        }
    }

    private YamlMappingNode Service(string name) => (YamlMappingNode)_services[name];

    private Dictionary<string, string> Environment(string service) =>
        ((YamlMappingNode)Service(service)["environment"]).Children
            .ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!);

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
