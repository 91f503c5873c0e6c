using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Reliability;

/// <summary>
/// The service started before its Kafka is there, as its own process against an external cluster:
/// the embedded cluster of an in-process instance whose only broker is down until the test brings it up.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class StartBeforeKafkaTests(ChaosAppFactory host) : IClassFixture<ChaosAppFactory>
{
    private readonly ApiClient _host = new(host.CreateClient());

    [Fact]
    public async Task A_service_started_while_its_broker_is_down_answers_at_once_and_delivers_everything_once_the_broker_is_up()
    {
        var ct = TestContext.Current.CancellationToken;
        var kafka = await _host.GetKafkaAsync();
        (await _host.Http.PostAsync("/api/embedded-kafka/brokers/1/down", null, ct)).EnsureSuccessStatusCode();
        try
        {
            await using var app = AppProcess.Start(new Dictionary<string, string>
            {
                ["Kafka__BootstrapServers"] = kafka.BootstrapServers,
                ["Generator__EventsPerSecond"] = "500",
                ["Observability__EventLogLinesPerSecond"] = "0",
            });
            var api = new ApiClient(app.Http);

            // HTTP first: live while Kafka is away, readiness says why it is not ready.
            await app.WaitForHttpAsync();
            var liveAfter = app.Age;
            var (readyStatus, readyReason) = await ReadinessAsync(app.Http);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readyStatus);
            Assert.Contains($"Kafka at {kafka.BootstrapServers}", readyReason, StringComparison.Ordinal);
            var unreachable = await Eventually.Until(() => ReadinessAsync(app.Http), r => r.Reason.Contains("unreachable for", StringComparison.Ordinal), "readiness to say Kafka is unreachable");

            // The API answers meanwhile; the generator queues in the producer and says why.
            var waiting = await Eventually.Until(api.GetGeneratorAsync, s => s.Produced >= 1_000, "1,000 events handed to the producer while the broker is down");
            Assert.Equal(0, waiting.Delivered);
            Assert.Contains("unreachable", waiting.WaitingForKafka, StringComparison.Ordinal);
            var info = await api.GetKafkaAsync();
            Assert.False(info.Reachable);
            Assert.Equal("unknown", info.TopicState);
            using (var stats = await app.Http.GetAsync("/api/stats", ct))
            {
                Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
            }

            // The broker comes up: readiness follows, and everything queued is delivered and consumed once.
            (await _host.Http.PostAsync("/api/embedded-kafka/brokers/1/up", null, ct)).EnsureSuccessStatusCode();
            var clock = Stopwatch.StartNew();
            await Eventually.Until(() => ReadinessAsync(app.Http), r => r.Status == HttpStatusCode.OK, "readiness after the broker came up", TimeSpan.FromSeconds(60));
            var readyAfter = clock.Elapsed;
            await Eventually.Until(api.GetGeneratorAsync, s => s.Delivered >= waiting.Produced, "the events queued during the outage to be delivered", TimeSpan.FromSeconds(60));
            var stopped = await api.StopAsync();
            var done = await Eventually.Until(api.GetGeneratorAsync, s => s.Queued == 0, "the queue to drain", TimeSpan.FromSeconds(60));
            var seen = await RunReconciliation.AwaitAsync(api, stopped.RunId!, done.RunEvents);

            TestContext.Current.TestOutputHelper!.WriteLine(
                $"start-before-kafka figures: live {liveAfter.TotalSeconds:F2} s after process start; '{unreachable.Reason}'; "
                + $"{waiting.Produced} handed over while the broker was down; ready {readyAfter.TotalSeconds:F1} s after it came up; "
                + $"run of {done.RunEvents}: delivered {done.Delivered}, failed {done.Failed}, consumed {seen.Received}, missing {seen.Missing}, duplicates {seen.Duplicates}");
            Assert.True(liveAfter < TimeSpan.FromSeconds(10), $"/health/live answered only {liveAfter.TotalSeconds:F1} s after start");
            Assert.Equal(0, done.Failed);
            Assert.Equal(done.Produced, done.Delivered);
            Assert.Equal(done.RunEvents, seen.Received);
            Assert.Equal(0, seen.Missing);
            Assert.Equal(0, seen.Duplicates);
            Assert.Equal(0, seen.BeforeJoin);
            Assert.Null(done.WaitingForKafka);

            // A reader that is not the service: every seq of the run once on the topic.
            if (ExternalTool.Find("kcat") is { } kcat)
            {
                var topic = await TopicContents.ReadRunAsync(kcat, kafka.BootstrapServers, kafka.Topic, stopped.RunId!);
                Assert.Equal(done.RunEvents, topic.Count);
                Assert.All(topic.Values, copies => Assert.Single(copies.Copies));
            }
        }
        finally
        {
            using var up = await _host.Http.PostAsync("/api/embedded-kafka/brokers/1/up", null, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_cluster_that_cannot_create_topics_is_recognized_reported_once_and_the_service_still_comes_up()
    {
        // The embedded cluster names no controller, so CreateTopics cannot work there; it auto-creates instead.
        var kafka = await _host.GetKafkaAsync();
        var topic = $"created_elsewhere_{Guid.NewGuid():N}"[..40];
        await using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka__Topic"] = topic,
            ["Generator__AutoStart"] = "false",
        });
        await app.WaitForHttpAsync();
        var clock = Stopwatch.StartNew();
        await Eventually.Until(() => ReadinessAsync(app.Http), r => r.Status == HttpStatusCode.OK, "readiness on a cluster that refuses CreateTopics", TimeSpan.FromSeconds(60));
        var readyAfter = clock.Elapsed;
        var info = await new ApiClient(app.Http).GetKafkaAsync();

        var log = app.Output;
        var refusals = log.Split('\n').Count(line => line.Contains($"will not create topic {topic}", StringComparison.Ordinal));
        TestContext.Current.TestOutputHelper!.WriteLine($"refusal figures: ready {readyAfter.TotalSeconds:F1} s after HTTP answered, {info.Partitions} partitions, {refusals} refusal line(s)");
        Assert.Equal(1, refusals);
        Assert.Contains("named no controller", log, StringComparison.Ordinal);
        Assert.Contains("kafka-topics.sh", log, StringComparison.Ordinal);
        Assert.Contains($"Topic {topic} was created by the cluster's automatic topic creation", log, StringComparison.Ordinal);
        Assert.Equal("ready", info.TopicState);
        Assert.True(info.Partitions > 0);
    }

    [Fact]
    public async Task Sixty_seconds_of_unreachable_kafka_write_a_bounded_number_of_log_lines()
    {
        var ct = TestContext.Current.CancellationToken;
        // A port nothing listens on: every connection is refused at once, the busiest kind of failure.
        using var refusing = new RefusingPort();
        await using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = refusing.Address,
        });
        await app.WaitForHttpAsync();
        var linesAtStart = app.LineCount;
        var clock = Stopwatch.StartNew();
        var probes = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            // What an orchestrator does meanwhile: probe liveness and readiness.
            using var live = await app.Http.GetAsync("/health/live", ct);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            using var ready = await app.Http.GetAsync("/health/ready", ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            probes++;
            await Task.Delay(2_000, ct);
        }

        var log = app.Output;
        var lines = app.LineCount;
        var attempts = System.Text.RegularExpressions.Regex.Matches(log, @"still unreachable after \d+ s, (\d+) failed connection attempts").LastOrDefault()?.Groups[1].Value;
        TestContext.Current.TestOutputHelper!.WriteLine(
            $"outage log figures: {lines} lines in all, {lines - linesAtStart} in the 60 s after HTTP answered ({probes} liveness and readiness probe pairs); last summary counts {attempts} failed connection attempts");
        Assert.True(lines <= 40, $"{lines} log lines in 60 s of unreachable Kafka:\n{log}");
        Assert.Single(log.Split('\n'), line => line.Contains("unreachable (", StringComparison.Ordinal) && line.Contains("keep retrying", StringComparison.Ordinal));
        Assert.Contains("still unreachable after", log, StringComparison.Ordinal);
        // librdkafka's own per-retry lines are counted, not written.
        Assert.DoesNotContain(log.Split('\n'), line => line.Contains("[FAIL]", StringComparison.Ordinal) || line.Contains("Local_Transport", StringComparison.Ordinal));
    }

    private static async Task<(HttpStatusCode Status, string Reason)> ReadinessAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var reason = body.GetProperty("checks").GetProperty("kafka").GetProperty("description").GetString() ?? string.Empty;
        return (response.StatusCode, reason);
    }
}
