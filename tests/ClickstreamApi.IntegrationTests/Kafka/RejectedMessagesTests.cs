using System.Text;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;
using Confluent.Kafka;

namespace ClickstreamApi.IntegrationTests.Kafka;

/// <summary>Messages written straight to the topic by another producer, good and bad.</summary>
public sealed class RejectedMessagesTests(ClickstreamAppFactory factory) : IClassFixture<ClickstreamAppFactory>
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task Messages_that_are_not_events_show_up_in_rejected_while_valid_events_keep_flowing()
    {
        var kafka = await _api.GetKafkaAsync();
        await _api.SetRateAsync(50);
        var run = await _api.StartAsync();
        await Eventually.Until(() => _api.GetRecentAsync(), e => e.Any(x => x.GetProperty("runId").GetString() == run.RunId), "generated events");
        var before = (await _api.GetRejectedAsync()).GetProperty("total").GetInt64();
        var marker = Guid.NewGuid().ToString("N");

        using (var producer = new ProducerBuilder<string?, byte[]?>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            var ct = TestContext.Current.CancellationToken;
            await producer.ProduceAsync(kafka.Topic, new Message<string?, byte[]?> { Key = "k", Value = Encoding.UTF8.GetBytes($"not an event {marker}") }, ct);
            await producer.ProduceAsync(kafka.Topic, new Message<string?, byte[]?> { Key = "k", Value = Encoding.UTF8.GetBytes($$"""{"marker":"{{marker}}"}""") }, ct);
            await producer.ProduceAsync(kafka.Topic, new Message<string?, byte[]?> { Key = "k", Value = [0xFF, 0x00, 0xFE, .. Encoding.UTF8.GetBytes(marker)] }, ct);
            await producer.ProduceAsync(kafka.Topic, new Message<string?, byte[]?> { Key = null, Value = null }, ct);
        }

        var rejected = await Eventually.Until(
            () => _api.GetRejectedAsync(),
            r => r.GetProperty("total").GetInt64() >= before + 4,
            "four more rejected messages");

        var messages = rejected.GetProperty("messages").EnumerateArray().ToList();
        var notJson = messages.Single(m => m.GetProperty("preview").GetString()!.Contains($"not an event {marker}", StringComparison.Ordinal));
        Assert.Equal("not_json", notJson.GetProperty("reason").GetString());
        Assert.InRange(notJson.GetProperty("partition").GetInt32(), 0, kafka.Partitions - 1);
        Assert.True(notJson.GetProperty("offset").GetInt64() >= 0);

        var missing = messages.Single(m => m.GetProperty("preview").GetString()!.Contains($"\"marker\":\"{marker}\"", StringComparison.Ordinal));
        Assert.Equal("missing_field", missing.GetProperty("reason").GetString());
        Assert.Contains("'eventId'", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var binary = messages.Single(m => m.GetProperty("preview").GetString()!.EndsWith(marker, StringComparison.Ordinal)
            && m.GetProperty("preview").GetString()!.StartsWith("\\x", StringComparison.Ordinal));
        Assert.StartsWith("\\xFF\\u0000\\xFE", binary.GetProperty("preview").GetString(), StringComparison.Ordinal);

        Assert.Contains(messages, m => m.GetProperty("reason").GetString() == "empty");
        Assert.True(rejected.GetProperty("byReason").GetProperty("not_json").GetInt64() >= 1);

        // The consumer carried on: events generated after the bad ones still arrive.
        var producedAfter = (await _api.GetGeneratorAsync()).Produced;
        await Eventually.Until(
            () => _api.GetRecentAsync(1),
            e => e.Count == 1 && e[0].GetProperty("runId").GetString() == run.RunId && e[0].GetProperty("seq").GetInt64() > producedAfter - run.Produced,
            "an event generated after the bad messages");
        await _api.StopAsync();
    }

    [Fact]
    public async Task A_valid_event_from_another_producer_is_consumed_like_our_own()
    {
        var kafka = await _api.GetKafkaAsync();
        var eventId = Guid.NewGuid();
        var json = $$"""{"eventId":"{{eventId}}","userId":"outsider","eventType":"click","page":"/from-elsewhere","occurredAt":"{{DateTime.UtcNow:O}}"}""";

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(kafka.Topic, new Message<string, string> { Key = "outsider", Value = json }, TestContext.Current.CancellationToken);
        }

        var recent = await Eventually.Until(
            () => _api.GetRecentAsync(1000),
            e => e.Any(x => x.GetProperty("eventId").GetString() == eventId.ToString()),
            "the outside event in recent");
        var outside = recent.Single(x => x.GetProperty("eventId").GetString() == eventId.ToString());
        Assert.Equal("/from-elsewhere", outside.GetProperty("page").GetString());
        Assert.Equal(JsonValueKind.Null, outside.GetProperty("seq").ValueKind);
    }
}
