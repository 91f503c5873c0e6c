using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using ClickstreamApi.Fleet;
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
    private readonly YamlMappingNode _services;

    public ComposeFileTests()
    {
        using var reader = new StreamReader(Repository.File("docker-compose.yml"));
        var yaml = new YamlStream();
        yaml.Load(reader);
        _services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    [Theory]
    [InlineData("api")]
    [InlineData("fleet")]
    public void Every_environment_variable_of_the_app_is_a_configuration_key_the_app_reads(string service)
    {
        Assert.NotEmpty(Environment(service));
        foreach (var name in Environment(service).Keys)
        {
            ConfigurationKeys.AssertReadByTheApp(name, $"docker-compose.yml ({service})");
        }
    }

    [Theory]
    [InlineData("api")]
    [InlineData("fleet")]
    public void The_app_points_at_the_kafka_service_on_an_advertised_listener(string service)
    {
        var bootstrap = Environment(service)["Kafka__BootstrapServers"];
        var host = bootstrap.Split(':')[0];

        Assert.True(_services.Children.ContainsKey(new YamlScalarNode(host)), $"{bootstrap} names no service");
        var advertised = Environment(host)["KAFKA_ADVERTISED_LISTENERS"];
        Assert.Contains($"//{bootstrap}", advertised, StringComparison.Ordinal);
        var depends = (YamlMappingNode)Service(service)["depends_on"];
        Assert.True(depends.Children.ContainsKey(new YamlScalarNode(host)));
    }

    /// <summary>
    /// `--scale fleet=N` needs replicas that can coexist: no fixed host port (the second replica could
    /// not bind it), no container_name (Docker refuses to scale one) and no fixed host name or member
    /// name (every replica would then be the same member). The container port alone is published,
    /// and it is the one the app listens on, so `docker compose port --index N fleet 8080` finds it.
    /// </summary>
    [Fact]
    public void The_fleet_service_scales_with_host_ports_docker_picks_and_a_member_name_per_replica()
    {
        var fleet = Service("fleet");
        var port = Environment("fleet")["ASPNETCORE_HTTP_PORTS"];
        var ports = ((YamlSequenceNode)fleet["ports"]).Children.ToList();

        Assert.NotEmpty(ports);
        foreach (var entry in ports)
        {
            var (target, published) = PortOf(entry);
            Assert.True(published is null, $"the fleet service publishes host port {published}, which only one replica can bind");
            Assert.Equal(port, target);
        }

        foreach (var key in new[] { "container_name", "hostname" })
        {
            Assert.False(fleet.Children.ContainsKey(new YamlScalarNode(key)), $"the fleet service sets {key}, which every replica would share");
        }

        Assert.False(Environment("fleet").TryGetValue("Fleet__MemberName", out var member) && !string.IsNullOrWhiteSpace(member), $"every replica would be the member {member}");
    }

    [Fact]
    public void The_fleet_service_is_an_enabled_fleet_of_the_api_image_only_with_its_profile()
    {
        var fleet = Service("fleet");
        var environment = Environment("fleet");

        Assert.Equal(["fleet"], ((YamlSequenceNode)fleet["profiles"]).Children.Select(p => ((YamlScalarNode)p).Value));
        Assert.True(bool.TryParse(environment["Fleet__Enabled"], out var enabled) && enabled, $"Fleet__Enabled is {environment["Fleet__Enabled"]}");
        Assert.Matches(typeof(FleetOptions).GetProperty(nameof(FleetOptions.Name))!.GetCustomAttribute<RegularExpressionAttribute>()!.Pattern, environment["Fleet__Name"]);

        // The same image, waiting for the same services, and a healthcheck exactly when the api has one.
        Assert.Equal(((YamlScalarNode)Service("api")["build"]).Value, ((YamlScalarNode)fleet["build"]).Value);
        Assert.Equal(DependsOn("api"), DependsOn("fleet"));
        Assert.Equal(Service("api").Children.ContainsKey(new YamlScalarNode("healthcheck")), fleet.Children.ContainsKey(new YamlScalarNode("healthcheck")));
        Assert.Equal(Environment("api")["SchemaRegistry__Url"], environment["SchemaRegistry__Url"]);
        Assert.True(ClickstreamApi.Schemas.OutputFormats.TryParse(environment["Output__Format"], out _));

        // A topic of its own: not the api's (its generator would mix its users in), nor one of the
        // api topic's fleet topics.
        var apiTopic = Environment("api")["Kafka__Topic"];
        Assert.DoesNotContain(environment["Kafka__Topic"], new[] { apiTopic, apiTopic + "_fleet", apiTopic + "_fleet_status" });
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

    /// <summary>
    /// A ports entry: the short syntax "8080" publishes the container port on a host port Docker picks,
    /// "9000:8080" or "127.0.0.1:9000:8080" fix one ("127.0.0.1::8080" does not); the long syntax fixes one with "published".
    /// </summary>
    private static (string Target, string? Published) PortOf(YamlNode entry)
    {
        if (entry is YamlScalarNode scalar)
        {
            var parts = scalar.Value!.Split('/')[0].Split(':');
            return (parts[^1], parts.Length > 1 && parts[^2].Length > 0 ? parts[^2] : null);
        }

        var mapping = (YamlMappingNode)entry;
        var published = mapping.Children.TryGetValue(new YamlScalarNode("published"), out var node) ? ((YamlScalarNode)node).Value : null;
        return (((YamlScalarNode)mapping["target"]).Value!, published);
    }

    private List<string> DependsOn(string service) =>
        ((YamlMappingNode)Service(service)["depends_on"]).Children
            .Select(d => $"{((YamlScalarNode)d.Key).Value}: {((YamlScalarNode)((YamlMappingNode)d.Value)["condition"]).Value}")
            .Order()
            .ToList();

    private Dictionary<string, string> Environment(string service) =>
        ((YamlMappingNode)Service(service)["environment"]).Children
            .ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!);
}
