using System.ComponentModel.DataAnnotations;
using ClickstreamApi.Consumption;
using ClickstreamApi.Generation;
using ClickstreamApi.Kafka;
using ClickstreamApi.Diagnostics;

namespace ClickstreamApi.UnitTests.Configuration;

public sealed class OptionsValidationTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(Validate(new KafkaOptions()));
        Assert.Empty(Validate(new GeneratorOptions()));
        Assert.Empty(Validate(new RingBufferOptions()));
        Assert.Empty(Validate(new ConsumerOptions()));
        Assert.Empty(Validate(new ObservabilityOptions()));
        Assert.Empty(Validate(new TelemetryOptions()));
        Assert.Empty(Validate(new ClickstreamApi.Fleet.FleetOptions()));
    }

    [Fact]
    public void Fleet_settings_out_of_range_are_refused_naming_the_key()
    {
        Assert.Contains("Fleet:Shards", Assert.Single(Validate(new ClickstreamApi.Fleet.FleetOptions { Shards = 0 })), StringComparison.Ordinal);
        Assert.Contains("Fleet:Name", Assert.Single(Validate(new ClickstreamApi.Fleet.FleetOptions { Name = "a b" })), StringComparison.Ordinal);
        Assert.Contains("Fleet:MemberName", Assert.Single(Validate(new ClickstreamApi.Fleet.FleetOptions { MemberName = "a/b" })), StringComparison.Ordinal);
        Assert.Contains("Fleet:SessionTimeoutMilliseconds", Assert.Single(Validate(new ClickstreamApi.Fleet.FleetOptions { SessionTimeoutMilliseconds = 100 })), StringComparison.Ordinal);
        Assert.Contains("Fleet:StatusIntervalMilliseconds", Assert.Single(Validate(new ClickstreamApi.Fleet.FleetOptions { StatusIntervalMilliseconds = 0 })), StringComparison.Ordinal);
        Assert.Empty(Validate(new ClickstreamApi.Fleet.FleetOptions { MemberName = "" }));
    }

    [Fact]
    public void Telemetry_settings_out_of_range_are_refused_naming_the_key()
    {
        Assert.Contains("Telemetry:KafkaStatisticsIntervalMs", Assert.Single(Validate(new TelemetryOptions { KafkaStatisticsIntervalMs = -1 })), StringComparison.Ordinal);
        Assert.Contains("Telemetry:TraceSampleRatio", Assert.Single(Validate(new TelemetryOptions { TraceSampleRatio = 1.5 })), StringComparison.Ordinal);
    }

    [Fact]
    public void Embedded_mode_is_the_default_and_any_bootstrap_address_means_external()
    {
        Assert.True(new KafkaOptions().IsEmbedded);
        Assert.True(new KafkaOptions { BootstrapServers = "  " }.IsEmbedded);
        Assert.False(new KafkaOptions { BootstrapServers = "kafka:9092" }.IsEmbedded);
    }

    [Theory]
    [InlineData("", "Kafka:Topic")]
    [InlineData("has spaces", "Kafka:Topic")]
    [InlineData("a/b", "Kafka:Topic")]
    public void Bad_topic_names_are_refused_naming_the_key(string topic, string key) =>
        Assert.Contains(Validate(new KafkaOptions { Topic = topic }), message => message.Contains(key, StringComparison.Ordinal) || message.Contains("Topic", StringComparison.Ordinal));

    [Fact]
    public void Partition_counts_outside_1_to_1000_are_refused_naming_the_key()
    {
        Assert.Contains("Kafka:Partitions", Assert.Single(Validate(new KafkaOptions { Partitions = 0 })), StringComparison.Ordinal);
        Assert.Contains("Kafka:Partitions", Assert.Single(Validate(new KafkaOptions { Partitions = 1001 })), StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_embedded_read_retention_is_refused_naming_the_key()
    {
        Assert.Contains("Kafka:EmbeddedReadRetention", Assert.Single(Validate(new KafkaOptions { EmbeddedReadRetention = -1 })), StringComparison.Ordinal);
        Assert.Empty(Validate(new KafkaOptions { EmbeddedReadRetention = 0 }));
    }

    [Fact]
    public void A_ring_buffer_needs_room_for_at_least_one_event() =>
        Assert.Contains("RingBuffer:Capacity", Assert.Single(Validate(new RingBufferOptions { Capacity = 0 })), StringComparison.Ordinal);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(2_000_000)]
    [InlineData(double.NaN)]
    public void The_start_up_rate_must_be_positive_and_within_the_maximum(double rate) =>
        Assert.Contains("Generator:EventsPerSecond", Assert.Single(Validate(new GeneratorOptions { EventsPerSecond = rate })), StringComparison.Ordinal);

    [Fact]
    public void The_user_population_must_not_be_empty() =>
        Assert.Contains("Generator:Users", Assert.Single(Validate(new GeneratorOptions { Users = 0 })), StringComparison.Ordinal);

    private static List<string> Validate(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? string.Empty)];
    }
}
