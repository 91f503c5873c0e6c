using System.Text.Json;
using System.Text.RegularExpressions;
using ClickstreamApi.IntegrationTests.Infrastructure;
using ClickstreamApi.IntegrationTests.Observability;
using ClickstreamApi.Observability;
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

    [Fact]
    public void The_api_uses_the_schema_registry_service_which_stores_its_schemas_in_the_kafka_service()
    {
        var registry = Service("schema-registry");
        var environment = Environment("schema-registry");
        Assert.StartsWith("confluentinc/cp-schema-registry:", ((YamlScalarNode)registry["image"]).Value, StringComparison.Ordinal);
        var listener = new Uri(environment["SCHEMA_REGISTRY_LISTENERS"]);
        var url = new Uri(Environment("api")["SchemaRegistry__Url"]);
        Assert.Equal(("schema-registry", listener.Port), (url.Host, url.Port));
        Assert.Equal("schema-registry", environment["SCHEMA_REGISTRY_HOST_NAME"]);
        Assert.Contains($"//{Environment("api")["Kafka__BootstrapServers"]}", environment["SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS"], StringComparison.Ordinal);
        Assert.True(((YamlMappingNode)Service("api")["depends_on"]).Children.ContainsKey(new YamlScalarNode("schema-registry")));
        Assert.True(ClickstreamApi.Schemas.OutputFormats.TryParse(Environment("api")["Output__Format"], out _));
    }

    [Fact]
    public void Prometheus_and_grafana_start_only_with_the_monitoring_profile()
    {
        foreach (var name in new[] { "prometheus", "grafana" })
        {
            var profiles = ((YamlSequenceNode)Service(name)["profiles"]).Children.Select(p => ((YamlScalarNode)p).Value).ToList();
            Assert.Equal(["monitoring"], profiles);
        }

        // `docker compose up` without the profile still starts exactly Kafka, the registry and the API.
        var always = _services.Children.Where(s => !((YamlMappingNode)s.Value).Children.ContainsKey(new YamlScalarNode("profiles")))
            .Select(s => ((YamlScalarNode)s.Key).Value).Order().ToList();
        Assert.Equal(["api", "kafka", "schema-registry"], always);
    }

    [Fact]
    public void Every_file_mounted_into_a_container_is_in_the_repository()
    {
        var mounts = _services.Children.Values.Cast<YamlMappingNode>()
            .Where(s => s.Children.ContainsKey(new YamlScalarNode("volumes")))
            .SelectMany(s => ((YamlSequenceNode)s["volumes"]).Children.Select(v => ((YamlScalarNode)v).Value!))
            .ToList();

        Assert.NotEmpty(mounts);
        foreach (var mount in mounts)
        {
            var source = mount.Split(':')[0];
            Assert.StartsWith("./", source, StringComparison.Ordinal);
            Assert.True(Path.Exists(Repository.File(source[2..])), $"docker-compose.yml mounts {source}, which does not exist");
        }
    }

    [Fact]
    public void Prometheus_scrapes_the_metrics_path_of_the_api_on_the_port_it_listens_on()
    {
        var config = LoadYaml("deploy", "prometheus", "prometheus.yml");
        var job = (YamlMappingNode)((YamlSequenceNode)config["scrape_configs"]).Children.Single();
        var targets = ((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)job["static_configs"]).Children.Single())["targets"]).Children
            .Select(t => ((YamlScalarNode)t).Value).ToList();

        Assert.Equal(OpenTelemetrySetup.MetricsPath, ((YamlScalarNode)job["metrics_path"]).Value);
        Assert.Equal([$"api:{Environment("api")["ASPNETCORE_HTTP_PORTS"]}"], targets);
    }

    [Fact]
    public void Grafana_reads_the_prometheus_service_and_its_dashboard_charts_only_metrics_the_app_exports()
    {
        var datasources = LoadYaml("deploy", "grafana", "provisioning", "datasources", "prometheus.yml");
        var datasource = (YamlMappingNode)((YamlSequenceNode)datasources["datasources"]).Children.Single();
        Assert.Equal("http://prometheus:9090", ((YamlScalarNode)datasource["url"]).Value);
        Assert.Contains("9090:9090", ((YamlSequenceNode)Service("prometheus")["ports"]).Children.Select(p => ((YamlScalarNode)p).Value));

        using var dashboard = JsonDocument.Parse(System.IO.File.ReadAllText(Repository.File("deploy", "grafana", "dashboards", "clickstream.json")));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        var uid = ((YamlScalarNode)datasource["uid"]).Value;
        Assert.All(dashboard.RootElement.GetProperty("panels").EnumerateArray(), p => Assert.Equal(uid, p.GetProperty("datasource").GetProperty("uid").GetString()));

        var used = expressions.SelectMany(e => Regex.Matches(e, @"\bclickstream_[a-z0-9_]+").Select(m => m.Value)).ToHashSet();
        Assert.NotEmpty(used);
        foreach (var metric in used)
        {
            var name = Regex.Replace(metric, "_(bucket|sum|count)$", string.Empty);
            Assert.True(ExportedMetrics.Names.Contains(name), $"the Grafana dashboard charts {metric}, which the app does not export");
        }
    }

    private static YamlMappingNode LoadYaml(params string[] path)
    {
        using var reader = new StreamReader(Repository.File(path));
        var yaml = new YamlStream();
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
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
