using System.Reflection;
using System.Text.Json;
using ClickstreamApi.Chaos;
using ClickstreamApi.Consumption;
using ClickstreamApi.Diagnostics;
using ClickstreamApi.Fleet;
using ClickstreamApi.Generation;
using ClickstreamApi.IntegrationTests.Infrastructure;
using ClickstreamApi.Kafka;
using ClickstreamApi.Observability;
using ClickstreamApi.Security;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClickstreamApi.IntegrationTests.Deployment;

/// <summary>The root appsettings.json is the one configuration file, and it is read.</summary>
public sealed class ConfigurationFileTests
{
    public static TheoryData<string, Type> Sections => new()
    {
        { KafkaOptions.SectionName, typeof(KafkaOptions) },
        { GeneratorOptions.SectionName, typeof(GeneratorOptions) },
        { DimensionOptions.SectionName, typeof(DimensionOptions) },
        { ConsumerOptions.SectionName, typeof(ConsumerOptions) },
        { RingBufferOptions.SectionName, typeof(RingBufferOptions) },
        { ObservabilityOptions.SectionName, typeof(ObservabilityOptions) },
        { StreamOptions.SectionName, typeof(StreamOptions) },
        { TelemetryOptions.SectionName, typeof(TelemetryOptions) },
        { ChaosOptions.SectionName, typeof(ChaosOptions) },
        { SecurityOptions.SectionName, typeof(SecurityOptions) },
        { FleetOptions.SectionName, typeof(FleetOptions) },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void Every_key_in_appsettings_is_an_option_and_every_option_is_in_appsettings(string section, Type optionsType)
    {
        using var appsettings = JsonDocument.Parse(File.ReadAllText(Repository.File("appsettings.json")));
        var keys = appsettings.RootElement.GetProperty(section).EnumerateObject().Select(p => p.Name).ToHashSet();
        var properties = optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => p.Name)
            .ToHashSet();

        Assert.Equal(properties.Order(), keys.Order());
    }

    /// <summary>
    /// The README's "Kafka client defaults" table says what the clients run with; the code sets what
    /// correctness rests on and appsettings.json the tunables. The table must match the two combined.
    /// </summary>
    [Fact]
    public void The_readme_table_of_kafka_client_defaults_is_what_the_clients_get()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Repository.File("appsettings.json")).Build();
        var options = configuration.GetSection(KafkaOptions.SectionName).Get<KafkaOptions>()!;
        options.BootstrapServers = "kafka.invalid:9092";
        using var kafka = new KafkaEnvironment(Microsoft.Extensions.Options.Options.Create(options), configuration, NullLogger<KafkaEnvironment>.Instance);
        var producer = kafka.CreateProducerConfig();
        var consumer = kafka.CreateConsumerConfig();

        var readme = File.ReadAllText(Repository.File("README.md"));
        var table = readme[readme.IndexOf("| Client | Setting | Default | Why |", StringComparison.Ordinal)..];
        var rows = table.Split('\n').Skip(2).TakeWhile(line => line.StartsWith('|')).ToList();
        Assert.True(rows.Count >= 10, $"only {rows.Count} rows found in the README's Kafka client defaults table");
        var checkedSettings = 0;
        foreach (var row in rows)
        {
            var cells = row.Split('|').Select(c => c.Trim()).ToArray();
            var (client, settings, defaults) = (cells[1], Ticked(cells[2]), Ticked(cells[3]));
            if (settings is ["group.id"])
            {
                Assert.Equal(kafka.DefaultGroupId, consumer.GroupId);
                continue;
            }

            Assert.Equal(settings.Length, defaults.Length);
            foreach (var (setting, expected) in settings.Zip(defaults))
            {
                foreach (var config in client switch { "producer" => new ClientConfig[] { producer }, "consumer" => [consumer], _ => [producer, consumer] })
                {
                    var actual = config.Get(setting);
                    Assert.True(
                        string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase) || (setting == "acks" && actual == "-1" && expected == "all"),
                        $"README says {client} {setting} = {expected}; the client gets {actual ?? "(librdkafka's default)"}");
                    checkedSettings++;
                }
            }
        }

        Assert.True(checkedSettings >= 12, $"only {checkedSettings} settings checked");
    }

    private static string[] Ticked(string cell) =>
        [.. System.Text.RegularExpressions.Regex.Matches(cell, "`([^`]+)`").Select(m => m.Groups[1].Value)];

    [Fact]
    public void The_app_and_the_tests_read_the_same_file()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "appsettings.json");

        Assert.True(File.Exists(copied));
        Assert.Equal(File.ReadAllText(Repository.File("appsettings.json")), File.ReadAllText(copied));
        Assert.False(File.Exists(Repository.File("src", "ClickstreamApi", "appsettings.json")), "a second appsettings.json would shadow the root one");
    }
}
