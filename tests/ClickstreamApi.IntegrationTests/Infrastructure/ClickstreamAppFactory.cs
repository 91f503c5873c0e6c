using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace ClickstreamApi.IntegrationTests.Infrastructure;

/// <summary>
/// The real application, in process, with its own embedded Kafka cluster on real TCP ports.
/// Tests start the generator themselves unless a subclass says otherwise.
/// </summary>
public class ClickstreamAppFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Generator:AutoStart"] = "false",
        ["Observability:SummaryIntervalSeconds"] = "0",
        ["Observability:EventLogLinesPerSecond"] = "0",
        ["Serilog:MinimumLevel:Default"] = "Warning",
        ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Warning",
    };

    public ClickstreamAppFactory()
    {
    }

    protected ClickstreamAppFactory(IReadOnlyDictionary<string, string?> overrides)
    {
        foreach (var (key, value) in overrides)
        {
            _settings[key] = value;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
}

/// <summary>An app whose generator starts with the service, as it does for users.</summary>
public sealed class AutoStartAppFactory() : ClickstreamAppFactory(new Dictionary<string, string?>
{
    ["Generator:AutoStart"] = "true",
    ["Generator:EventsPerSecond"] = "20",
});

/// <summary>A small ring buffer and quick heartbeats, to watch eviction, drops and stream limits happen.</summary>
public sealed class SmallBufferAppFactory() : ClickstreamAppFactory(new Dictionary<string, string?>
{
    ["RingBuffer:Capacity"] = "100",
    ["Stream:HeartbeatSeconds"] = "1",
    ["Stream:MaxClients"] = "3",
});

/// <summary>Quick heartbeats and a low cap on open streams.</summary>
public sealed class LiveTailAppFactory() : ClickstreamAppFactory(new Dictionary<string, string?>
{
    ["Stream:HeartbeatSeconds"] = "1",
    ["Stream:MaxClients"] = "3",
});

/// <summary>
/// Subjects named by topic and record (Confluent's TopicRecordNameStrategy), so runs in Avro and in
/// JSON Schema can share the topic: under the default topic strategy one subject holds one schema type.
/// </summary>
public sealed class TopicRecordSubjectsAppFactory() : ClickstreamAppFactory(new Dictionary<string, string?>
{
    ["SchemaRegistry:SubjectNameStrategy"] = "topic-record",
});

/// <summary>An app with the test's own settings on top of the test defaults.</summary>
public sealed class ConfiguredAppFactory(Dictionary<string, string?> settings) : ClickstreamAppFactory(settings);

/// <summary>
/// The embedded cluster with the chaos endpoints switched on, and 12 partitions so that the broker
/// keeps (about 5 MiB per partition) every event of a test run while the consumer is cut off.
/// </summary>
public sealed class ChaosAppFactory() : ClickstreamAppFactory(new Dictionary<string, string?>
{
    ["Chaos:Enabled"] = "true",
    ["Kafka:Partitions"] = "12",
});

/// <summary>
/// A small population whose dimensions change often: thousands of price and user changes and
/// hundreds of deleted accounts in ten simulated minutes, for the stream-table join tests.
/// </summary>
public sealed class DimensionChangesAppFactory() : ClickstreamAppFactory(new Dictionary<string, string?>
{
    ["Generator:Users"] = "2000",
    ["Dimensions:PriceChangesPerHour"] = "20000",
    ["Dimensions:UserChangesPerHour"] = "20000",
    ["Dimensions:AccountDeletionsPerHour"] = "2400",
});
