using System.Reflection;
using System.Text.Json;
using ClickstreamApi.Chaos;
using ClickstreamApi.Consumption;
using ClickstreamApi.Diagnostics;
using ClickstreamApi.Generation;
using ClickstreamApi.IntegrationTests.Infrastructure;
using ClickstreamApi.Kafka;
using ClickstreamApi.Observability;
using ClickstreamApi.Security;

namespace ClickstreamApi.IntegrationTests.Deployment;

/// <summary>The root appsettings.json is the one configuration file, and it is read.</summary>
public sealed class ConfigurationFileTests
{
    public static TheoryData<string, Type> Sections => new()
    {
        { KafkaOptions.SectionName, typeof(KafkaOptions) },
        { GeneratorOptions.SectionName, typeof(GeneratorOptions) },
        { ConsumerOptions.SectionName, typeof(ConsumerOptions) },
        { RingBufferOptions.SectionName, typeof(RingBufferOptions) },
        { ObservabilityOptions.SectionName, typeof(ObservabilityOptions) },
        { StreamOptions.SectionName, typeof(StreamOptions) },
        { TelemetryOptions.SectionName, typeof(TelemetryOptions) },
        { ChaosOptions.SectionName, typeof(ChaosOptions) },
        { SecurityOptions.SectionName, typeof(SecurityOptions) },
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

    [Fact]
    public void The_app_and_the_tests_read_the_same_file()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "appsettings.json");

        Assert.True(File.Exists(copied));
        Assert.Equal(File.ReadAllText(Repository.File("appsettings.json")), File.ReadAllText(copied));
        Assert.False(File.Exists(Repository.File("src", "ClickstreamApi", "appsettings.json")), "a second appsettings.json would shadow the root one");
    }
}
