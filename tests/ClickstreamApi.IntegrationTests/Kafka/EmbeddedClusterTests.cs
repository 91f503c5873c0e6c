using ClickstreamApi.IntegrationTests.Infrastructure;
using Confluent.Kafka;

namespace ClickstreamApi.IntegrationTests.Kafka;

/// <summary>The embedded cluster is a real Kafka-protocol server that other clients can use.</summary>
public sealed class EmbeddedClusterTests(AutoStartAppFactory factory) : IClassFixture<AutoStartAppFactory>
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task The_api_reports_embedded_mode_with_a_loopback_bootstrap_address()
    {
        var kafka = await _api.GetKafkaAsync();

        Assert.Equal("embedded", kafka.Mode);
        Assert.StartsWith("127.0.0.1:", kafka.BootstrapServers, StringComparison.Ordinal);
        Assert.Equal("user_clickstream", kafka.Topic);
        Assert.Equal(6, kafka.Partitions);
    }

    [Fact]
    public async Task Another_consumer_reads_the_auto_started_stream_over_tcp()
    {
        var kafka = await _api.GetKafkaAsync();
        var config = new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "test-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(kafka.Topic);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            ConsumeResult<string, string>? result = null;
            while (result is null && DateTime.UtcNow < deadline)
            {
                result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            }

            Assert.NotNull(result);
            Assert.True(ClickstreamApi.Events.ClickEventReader.TryRead(System.Text.Encoding.UTF8.GetBytes(result.Message.Value), out var clickEvent, out _));
            Assert.Equal(clickEvent.UserId, result.Message.Key);
        }
        finally
        {
            consumer.Close();
        }
    }
}
