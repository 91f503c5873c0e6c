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

    [Fact]
    public async Task Ten_thousand_poison_messages_among_valid_events_are_all_counted_and_stop_nothing()
    {
        const int RunEvents = 5_000;
        const int Oversized = 3;
        const int ByKcat = 1_000;
        const int ByProducer = 10_000 - ByKcat - Oversized;
        var ct = TestContext.Current.CancellationToken;
        var kafka = await _api.GetKafkaAsync();
        await _api.StopAsync();
        var rejectedBefore = (await _api.GetRejectedAsync()).GetProperty("total").GetInt64();
        await _api.SetRateAsync(2_000);
        var run = await _api.StartAsync(new { maxEvents = RunEvents });

        // Malformed JSON, JSON that is not an event, empty values, binary, and 1 MB values (which needs a
        // producer allowed to send them; the consumer fetches a message larger than its fetch sizes anyway).
        var config = new ProducerConfig { BootstrapServers = kafka.BootstrapServers, MessageMaxBytes = 2_000_000, LingerMs = 5 };
        var random = new Random(6);
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(config).Build())
        {
            for (var i = 0; i < ByProducer; i++)
            {
                byte[]? value = (i % 5) switch
                {
                    0 => System.Text.Encoding.UTF8.GetBytes($"{{\"eventId\": \"poison-{i}\", \"userId\": "),
                    1 => System.Text.Encoding.UTF8.GetBytes($"[\"not\", \"an\", \"object\", {i}]"),
                    2 => i % 2 == 0 ? null : [],
                    3 => RandomBytes(random, 1 + (i % 300)),
                    _ => System.Text.Encoding.UTF8.GetBytes($"{{\"eventId\":\"{Guid.NewGuid()}\",\"userId\":42,\"eventType\":\"click\",\"page\":\"/x\",\"occurredAt\":\"now\"}}"),
                };
                producer.Produce(kafka.Topic, new Message<byte[]?, byte[]?> { Value = value });
                if (i % 500 == 0)
                {
                    await Task.Delay(20, ct); // interleave with the generator's events
                }
            }

            for (var i = 0; i < Oversized; i++)
            {
                producer.Produce(kafka.Topic, new Message<byte[]?, byte[]?> { Value = RandomBytes(random, 1024 * 1024) });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }

        var lines = string.Join("\n", Enumerable.Range(0, ByKcat).Select(i => $"kcat poison {i} {{not json")) + "\n";
        var kcat = ExternalTool.Find("kcat");
        if (kcat is not null)
        {
            var (exitCode, _, error) = await ExternalTool.RunAsync(kcat, ["-b", kafka.BootstrapServers, "-P", "-t", kafka.Topic], input: lines);
            Assert.True(exitCode == 0, $"kcat failed: {error}");
        }
        else
        {
            // Without kcat the same lines go through the raw producer, so the count still adds up.
            TestContext.Current.TestOutputHelper!.WriteLine("kcat is not installed (apt-get install kcat): its 1,000 lines were written by the raw producer instead");
            using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
            foreach (var line in lines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                producer.Produce(kafka.Topic, new Message<Null, string> { Value = line });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        var rejected = await Eventually.Until(
            () => _api.GetRejectedAsync(),
            r => r.GetProperty("total").GetInt64() >= rejectedBefore + 10_000,
            "all 10,000 poison messages to be rejected",
            TimeSpan.FromSeconds(90));
        var done = await Eventually.Until(_api.GetGeneratorAsync, s => s.RunId == run.RunId && !s.Running, "the run to complete", TimeSpan.FromSeconds(60));
        // Everything on the topic read: no rejection is still on its way.
        await TopicEnds.AwaitConsumedAsync(_api, TopicEnds.Query(kafka.BootstrapServers, kafka.Topic), TimeSpan.FromSeconds(90));
        var seen = await Reliability.RunReconciliation.AwaitAsync(_api, run.RunId!, RunEvents);
        var total = (await _api.GetRejectedAsync()).GetProperty("total").GetInt64() - rejectedBefore;
        var (response, stats) = await _api.GetJsonAsync("/api/stats");
        response.Dispose();

        var byReason = rejected.GetProperty("byReason");
        TestContext.Current.TestOutputHelper!.WriteLine(
            $"poison figures: 10000 bad messages written ({ByProducer} by a raw producer, {ByKcat} by {(kcat is null ? "the raw producer" : "kcat")}, {Oversized} of 1 MiB); "
            + $"rejected {total} ({byReason.GetRawText()}); valid events {RunEvents} generated, {seen.Received} consumed (missing {seen.Missing}, duplicates {seen.Duplicates})");
        Assert.Equal(10_000, total);
        Assert.Equal(RunEvents, seen.Received);
        Assert.Equal(0, seen.Missing);
        Assert.Equal(0, seen.Duplicates);
        Assert.Equal(0, done.Failed - run.Failed);
        Assert.True(stats.GetProperty("consumer").GetProperty("running").GetBoolean());
        foreach (var reason in new[] { "not_json", "not_an_object", "empty", "too_large", "invalid_field" })
        {
            Assert.True(byReason.TryGetProperty(reason, out var count) && count.GetInt64() > 0, $"no {reason} rejections");
        }
    }

    [Fact]
    public async Task Text_from_the_topic_comes_back_as_escaped_json_data_never_markup()
    {
        var kafka = await _api.GetKafkaAsync();
        var marker = Guid.NewGuid().ToString("N");
        var script = $"<script>alert('{marker}')</script>";
        var json = $$"""{"eventId":"{{Guid.NewGuid()}}","userId":"<b>{{marker}}</b>","eventType":"click","page":"/{{script}}","referrer":"javascript:alert(1)","userAgent":"<img src=x onerror=alert(1)>","occurredAt":"{{DateTime.UtcNow:O}}"}""";
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(kafka.Topic, new Message<Null, string> { Value = json }, TestContext.Current.CancellationToken);
            await producer.ProduceAsync(kafka.Topic, new Message<Null, string> { Value = $"not an event {script}" }, TestContext.Current.CancellationToken);
        }

        await Eventually.Until(() => _api.GetRecentAsync(1000), e => e.Any(x => x.GetProperty("userId").GetString() == $"<b>{marker}</b>"), "the event with markup in recent");
        await Eventually.Until(() => _api.GetRejectedAsync(), r => r.GetProperty("messages").GetRawText().Contains(marker, StringComparison.Ordinal), "the rejected message with markup");

        foreach (var path in new[] { "/api/events/recent?limit=1000", "/api/events/rejected" })
        {
            using var response = await _api.Http.GetAsync(path, TestContext.Current.CancellationToken);
            var raw = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Contains(marker, raw, StringComparison.Ordinal);
            Assert.DoesNotContain("<script>", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("<img", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("<b>", raw, StringComparison.Ordinal);
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        bytes[0] = 0xFF; // never valid UTF-8 JSON
        return bytes;
    }
}
