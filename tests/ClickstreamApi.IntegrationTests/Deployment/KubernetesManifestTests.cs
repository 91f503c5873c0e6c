using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using ClickstreamApi.Api;
using ClickstreamApi.Fleet;
using ClickstreamApi.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Hosting;
using YamlDotNet.RepresentationModel;

namespace ClickstreamApi.IntegrationTests.Deployment;

/// <summary>
/// No cluster runs on the build machines, so the manifests in deploy/kubernetes are checked against
/// the app they deploy: the configuration it reads, the health endpoints it serves, the port it
/// listens on, the way a fleet member is named, and how long it takes to stop.
/// </summary>
public sealed class KubernetesManifestTests
{
    private const double Mebibyte = 1024 * 1024;

    private static readonly string Folder = Repository.File("deploy", "kubernetes");

    /// <summary>Every document of every manifest (multi-document files allowed), with the file it came from.</summary>
    private readonly List<(string File, YamlMappingNode Document)> _documents = [];

    public KubernetesManifestTests()
    {
        foreach (var path in Manifests().Append(Path.Combine(Folder, "kustomization.yaml")))
        {
            using var reader = new StreamReader(path);
            var yaml = new YamlStream();
            yaml.Load(reader);
            _documents.AddRange(yaml.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().Select(d => (Path.GetFileName(path), d)));
        }
    }

    [Fact]
    public void The_kustomization_lists_every_manifest_in_the_folder_and_nothing_else()
    {
        var listed = Sequence(Single("Kustomization"), "resources").Select(r => Scalar(r)).ToList();

        Assert.Equal(listed.Distinct().Count(), listed.Count);
        Assert.Equal(Manifests().Select(Path.GetFileName).Order(), listed.Order());
    }

    [Fact]
    public void Every_configmap_key_and_container_variable_is_a_configuration_key_the_app_reads()
    {
        var names = Mapping(Single("ConfigMap"), "data").Children.Keys.Select(Scalar)
            .Concat(Sequence(Container(), "env").Select(e => Scalar(((YamlMappingNode)e)["name"])))
            .ToList();

        Assert.Contains("Kafka__BootstrapServers", names);
        foreach (var name in names)
        {
            // A name without "__" is no configuration key: only the framework's own variables may be one.
            Assert.True(name.Contains("__", StringComparison.Ordinal) || ConfigurationKeys.FrameworkVariables.Contains(name), $"{name} is neither a configuration key nor a framework variable");
            ConfigurationKeys.AssertReadByTheApp(name, "deploy/kubernetes");
        }
    }

    [Fact]
    public void The_deployment_reads_the_configmap_and_runs_a_fleet_of_more_than_one_on_an_external_cluster()
    {
        var configMaps = Sequence(Container(), "envFrom").Cast<YamlMappingNode>()
            .Where(e => e.Children.ContainsKey(new YamlScalarNode("configMapRef")))
            .Select(e => Scalar(Mapping(e, "configMapRef")["name"]));
        Assert.Contains(Scalar(Mapping(Single("ConfigMap"), "metadata")["name"]), configMaps);

        Assert.True(int.Parse(Scalar(Mapping(Single("Deployment"), "spec")["replicas"]), CultureInfo.InvariantCulture) > 1, "a fleet of one is no fleet");
        var environment = Environment();
        Assert.Equal("true", environment["Fleet__Enabled"]);
        Assert.Matches(typeof(FleetOptions).GetProperty(nameof(FleetOptions.Name))!.GetCustomAttribute<RegularExpressionAttribute>()!.Pattern, environment["Fleet__Name"]);

        // Without a bootstrap address every pod would start an embedded cluster of its own, and each
        // would be a fleet of one.
        Assert.False(string.IsNullOrWhiteSpace(environment.GetValueOrDefault("Kafka__BootstrapServers")), "Kafka__BootstrapServers is empty");
    }

    [Fact]
    public void Each_member_is_named_after_its_pod()
    {
        var member = Sequence(Container(), "env").Cast<YamlMappingNode>().Single(e => Scalar(e["name"]) == "Fleet__MemberName");

        Assert.False(member.Children.ContainsKey(new YamlScalarNode("value")), "a fixed Fleet__MemberName makes every pod the same member");
        Assert.Equal("metadata.name", Scalar(Mapping(Mapping(member, "valueFrom"), "fieldRef")["fieldPath"]));
        Assert.False(Mapping(Single("ConfigMap"), "data").Children.ContainsKey(new YamlScalarNode("Fleet__MemberName")), "the ConfigMap would give every pod the same member name");
    }

    /// <summary>
    /// Liveness (and the start-up probe, which holds liveness off) on /health/live: a pod must not be
    /// restarted because Kafka is away, which is what /health/ready reports.
    /// </summary>
    [Fact]
    public void The_probes_ask_the_health_endpoints_on_the_container_port()
    {
        var container = Container();
        var probes = new[] { ("livenessProbe", HealthApi.LivePath), ("readinessProbe", HealthApi.ReadyPath), ("startupProbe", HealthApi.LivePath) };

        foreach (var (probe, path) in probes.Where(p => p.Item1 != "startupProbe" || container.Children.ContainsKey(new YamlScalarNode(p.Item1))))
        {
            var get = Mapping(Mapping(container, probe), "httpGet");
            Assert.Equal(path, Scalar(get["path"]));
            Assert.Equal(ContainerPort(), ResolvePort(get["port"]));
        }
    }

    [Fact]
    public void The_container_port_is_the_one_the_app_listens_on_and_the_service_targets_it()
    {
        var port = ContainerPort();
        Assert.Equal(port.ToString(CultureInfo.InvariantCulture), Environment()["ASPNETCORE_HTTP_PORTS"]);
        Assert.Contains($"EXPOSE {port}", System.IO.File.ReadAllText(Repository.File("Dockerfile")), StringComparison.Ordinal);

        var spec = Mapping(Single("Service"), "spec");
        Assert.Equal("ClusterIP", spec.Children.TryGetValue(new YamlScalarNode("type"), out var type) ? Scalar(type) : "ClusterIP");
        var servicePort = (YamlMappingNode)Sequence(spec, "ports").Single();
        Assert.Equal("8080", Scalar(servicePort["port"]));
        Assert.Equal(port, ResolvePort(servicePort["targetPort"]));
    }

    [Fact]
    public void The_service_and_the_deployment_select_the_deployments_pods()
    {
        var deployment = Mapping(Single("Deployment"), "spec");
        var podLabels = Labels(Mapping(Mapping(deployment, "template"), "metadata"), "labels");
        var serviceSelector = Labels(Mapping(Single("Service"), "spec"), "selector");
        var deploymentSelector = Labels(Mapping(deployment, "selector"), "matchLabels");

        Assert.NotEmpty(serviceSelector);
        Assert.Subset(podLabels.ToHashSet(), serviceSelector.ToHashSet());
        Assert.NotEmpty(deploymentSelector);
        Assert.Subset(podLabels.ToHashSet(), deploymentSelector.ToHashSet());
    }

    [Fact]
    public void Resources_are_requested_and_within_their_limits()
    {
        var resources = Mapping(Container(), "resources");
        var requests = Mapping(resources, "requests");
        var limits = resources.Children.ContainsKey(new YamlScalarNode("limits")) ? Mapping(resources, "limits") : null;

        foreach (var resource in new[] { "cpu", "memory" })
        {
            var request = Quantity(Scalar(requests[resource]));
            Assert.True(request > 0, $"requests.{resource} is {request}");
            if (limits is not null && limits.Children.TryGetValue(new YamlScalarNode(resource), out var limit))
            {
                Assert.True(Quantity(Scalar(limit)) >= request, $"limits.{resource} {Scalar(limit)} is below requests.{resource} {Scalar(requests[resource])}");
            }
        }

        // BENCHMARKS.md: 130 MiB at ready, a 351 MiB peak at 50,000 events/s. A request below the idle
        // process reserves nothing it can run in; a limit below the peak kills a busy member.
        Assert.True(Quantity(Scalar(requests["memory"])) >= 130 * Mebibyte, $"requests.memory {Scalar(requests["memory"])} is below the RSS at ready (130 MiB)");
        if (limits is not null && limits.Children.TryGetValue(new YamlScalarNode("memory"), out var memoryLimit))
        {
            Assert.True(Quantity(Scalar(memoryLimit)) >= 351 * Mebibyte, $"limits.memory {Scalar(memoryLimit)} is below the RSS seen at 50,000 events/s (351 MiB)");
        }
    }

    /// <summary>
    /// On SIGTERM the member flushes, leaves the group and publishes its departure within the host's
    /// shutdown time-out; the kubelet's grace period starts before the preStop hook and must cover both,
    /// or the member is killed mid-handover and its shards wait out the session time-out.
    /// </summary>
    [Fact]
    public void The_grace_period_covers_the_pre_stop_pause_and_the_hosts_shutdown()
    {
        var pod = Mapping(Mapping(Mapping(Single("Deployment"), "spec"), "template"), "spec");
        var grace = double.Parse(Scalar(pod["terminationGracePeriodSeconds"]), CultureInfo.InvariantCulture);
        var preStop = PreStopSeconds(Container());
        var shutdown = new HostOptions().ShutdownTimeout.TotalSeconds;

        Assert.True(grace > preStop + shutdown, $"terminationGracePeriodSeconds {grace} does not cover the preStop pause ({preStop} s) and the host's shutdown time-out ({shutdown} s)");
    }

    [Fact]
    public void The_image_is_the_one_the_compose_file_builds()
    {
        using var reader = new StreamReader(Repository.File("docker-compose.yml"));
        var compose = new YamlStream();
        compose.Load(reader);
        var project = Scalar(((YamlMappingNode)compose.Documents[0].RootNode)["name"]);

        // Compose tags the api service's image <project>-<service>.
        Assert.Equal($"{project}-api", Scalar(Container()["image"]).Split(':')[0]);
    }

    private static IEnumerable<string> Manifests() =>
        Directory.EnumerateFiles(Folder)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f) is not ("kustomization.yaml" or "kustomization.yml"));

    private YamlMappingNode Single(string kind)
    {
        var found = _documents.Where(d => d.Document.Children.TryGetValue(new YamlScalarNode("kind"), out var k) && Scalar(k) == kind).ToList();
        Assert.True(found.Count == 1, $"{found.Count} documents of kind {kind} in deploy/kubernetes");
        return found[0].Document;
    }

    private YamlMappingNode Container() =>
        (YamlMappingNode)Sequence(Mapping(Mapping(Mapping(Single("Deployment"), "spec"), "template"), "spec"), "containers").Single();

    /// <summary>What the container's environment is: the ConfigMap, then the container's own values on top.</summary>
    private Dictionary<string, string> Environment()
    {
        var environment = Mapping(Single("ConfigMap"), "data").Children.ToDictionary(e => Scalar(e.Key), e => Scalar(e.Value));
        foreach (var variable in Sequence(Container(), "env").Cast<YamlMappingNode>().Where(e => e.Children.ContainsKey(new YamlScalarNode("value"))))
        {
            environment[Scalar(variable["name"])] = Scalar(variable["value"]);
        }

        return environment;
    }

    private int ContainerPort() =>
        int.Parse(Scalar(((YamlMappingNode)Sequence(Container(), "ports").Single())["containerPort"]), CultureInfo.InvariantCulture);

    /// <summary>A probe's or a Service's port: a number, or the name of one of the container's ports.</summary>
    private int ResolvePort(YamlNode port)
    {
        var value = Scalar(port);
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        var named = Sequence(Container(), "ports").Cast<YamlMappingNode>()
            .SingleOrDefault(p => p.Children.TryGetValue(new YamlScalarNode("name"), out var name) && Scalar(name) == value);
        Assert.True(named is not null, $"no container port is named {value}");
        return int.Parse(Scalar(named!["containerPort"]), CultureInfo.InvariantCulture);
    }

    /// <summary>How long the preStop hook waits: `sleep N` as a command, or the sleep action; 0 without one.</summary>
    private static double PreStopSeconds(YamlMappingNode container)
    {
        if (!container.Children.TryGetValue(new YamlScalarNode("lifecycle"), out var lifecycle)
            || !((YamlMappingNode)lifecycle).Children.TryGetValue(new YamlScalarNode("preStop"), out var hook))
        {
            return 0;
        }

        var preStop = (YamlMappingNode)hook;
        if (preStop.Children.TryGetValue(new YamlScalarNode("sleep"), out var sleep))
        {
            return double.Parse(Scalar(((YamlMappingNode)sleep)["seconds"]), CultureInfo.InvariantCulture);
        }

        var command = Sequence(Mapping(preStop, "exec"), "command").Select(Scalar).ToList();
        Assert.True(command is ["sleep", _], $"the preStop hook runs {string.Join(' ', command)}, whose duration this test cannot tell");
        return double.Parse(command[1], CultureInfo.InvariantCulture);
    }

    /// <summary>A Kubernetes quantity ("500m", "2", "384Mi", "1G") in cores or bytes.</summary>
    private static double Quantity(string value)
    {
        var suffixes = new (string Suffix, double Factor)[]
        {
            ("Ki", 1024), ("Mi", Math.Pow(1024, 2)), ("Gi", Math.Pow(1024, 3)), ("Ti", Math.Pow(1024, 4)),
            ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("m", 1e-3),
        };
        foreach (var (suffix, factor) in suffixes)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal))
            {
                return double.Parse(value[..^suffix.Length], CultureInfo.InvariantCulture) * factor;
            }
        }

        return double.Parse(value, CultureInfo.InvariantCulture);
    }

    private static List<KeyValuePair<string, string>> Labels(YamlMappingNode parent, string key) =>
        Mapping(parent, key).Children.Select(l => KeyValuePair.Create(Scalar(l.Key), Scalar(l.Value))).ToList();

    private static YamlMappingNode Mapping(YamlMappingNode parent, string key) => (YamlMappingNode)parent[key];

    private static IList<YamlNode> Sequence(YamlMappingNode parent, string key) => ((YamlSequenceNode)parent[key]).Children;

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value!;
}
