using System.Net;
using ClickstreamApi.IntegrationTests.Infrastructure;

namespace ClickstreamApi.IntegrationTests.Observability;

/// <summary>An app with a small ring buffer (so evictions happen) and frequent librdkafka statistics.</summary>
public sealed class MetricsAppFactory() : ClickstreamAppFactory(new Dictionary<string, string?>
{
    ["RingBuffer:Capacity"] = "100",
    ["Telemetry:KafkaStatisticsIntervalMs"] = "500",
});

/// <summary>/metrics, scraped as Prometheus would, after a short real run.</summary>
/// <remarks>Each test gets an app of its own (xunit makes a new instance per test): no state is left for the next one to undo.</remarks>
public sealed class MetricsTests : IAsyncDisposable
{
    private readonly MetricsAppFactory _factory = new();
    private readonly ApiClient _api;

    public MetricsTests() => _api = new ApiClient(_factory.CreateClient());

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task Metrics_expose_the_pipeline_kafka_http_and_runtime_in_prometheus_text()
    {
        await _api.SetFaultsAsync(new { malformed = 0.05 });
        await _api.SetRateAsync(200);
        await _api.StartAsync();
        // A live tail open while scraping, so the stream gauges have something to show.
        using var stream = await _api.Http.GetAsync("/api/events/stream", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var reader = new SseReader(await stream.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        await reader.ReadUntilAsync(m => m.Event == "click");

        var samples = await Eventually.Until(
            async () => new Scrape(await ScrapeAsync()),
            s => Value(s, "clickstream_events_consumed_total") >= 300 && Value(s, "clickstream_events_rejected_total") > 0
                && Has(s, "clickstream_kafka_broker_rtt_avg_seconds", "client=\"producer\"")
                && Has(s, "clickstream_kafka_broker_rtt_avg_seconds", "client=\"consumer\"")
                && Has(s, "clickstream_consumer_lag", "partition=\"0\""),
            "300 consumed events, a rejected one, and librdkafka statistics from both clients in /metrics",
            TimeSpan.FromSeconds(60));
        await _api.StopAsync();

        var produced = Value(samples, "clickstream_events_produced_total");
        var delivered = Value(samples, "clickstream_events_delivered_total");
        var consumed = Value(samples, "clickstream_events_consumed_total");
        Assert.True(produced >= delivered && delivered > 0, $"produced {produced}, delivered {delivered}");
        Assert.Equal(0, Value(samples, "clickstream_events_failed_total"));
        Assert.True(consumed <= delivered, $"consumed {consumed} of {delivered} delivered");
        Assert.True(Value(samples, "clickstream_events_rejected_total") > 0);
        Assert.True(Value(samples, "clickstream_events_evicted_total") > 0, "a 100-event ring buffer evicts after 300 events");
        Assert.Equal(0, Value(samples, "clickstream_events_skipped_total"));
        Assert.True(Value(samples, "clickstream_generator_rate_per_second") > 0);
        Assert.Equal(200, Value(samples, "clickstream_generator_target_rate_per_second"));
        Assert.Equal(1, Value(samples, "clickstream_generator_running"));

        Assert.Equal(6, samples.Where(s => s.Name == "clickstream_consumer_lag").Count());

        // The histogram: cumulative buckets ending in +Inf that count every consumed event so far.
        var count = Value(samples, "clickstream_event_latency_seconds_count");
        // Instruments are read one after another during a scrape while events flow: allow for the ones in between.
        Assert.True(count >= 300 && count <= produced + 50, $"latency count {count}, produced {produced}");
        var infinity = samples.Single(s => s.Name == "clickstream_event_latency_seconds_bucket" && s.Labels.Contains("le=\"+Inf\"", StringComparison.Ordinal));
        Assert.Equal(count, infinity.Value);
        var sum = Value(samples, "clickstream_event_latency_seconds_sum");
        Assert.True(sum > 0 && sum / count < 60, $"mean latency {sum / count} s");

        Assert.True(Value(samples, "clickstream_streams_open") >= 1);
        Assert.True(Value(samples, "clickstream_streams_sent_total") >= 1);
        Assert.Equal(0, Value(samples, "clickstream_streams_dropped_total"));
        Assert.Equal(0, Value(samples, "clickstream_streams_refused_total"));

        var rtt = samples.Where(s => s.Name == "clickstream_kafka_broker_rtt_avg_seconds").ToList();
        Assert.All(rtt, r => Assert.InRange(r.Value, 0, 10));
        Assert.Contains(samples, s => s.Name == "clickstream_kafka_broker_rtt_p99_seconds");
        Assert.Contains(samples, s => s.Name == "clickstream_kafka_broker_waitresp");
        Assert.Contains(samples, s => s.Name == "clickstream_kafka_client_queue_messages" && s.Labels.Contains("client=\"producer\"", StringComparison.Ordinal));
        Assert.Contains(samples, s => s.Name == "clickstream_kafka_consumer_fetchq_messages" && s.Labels.Contains("client=\"consumer\"", StringComparison.Ordinal));

        // ASP.NET Core's and the runtime's own meters.
        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.Contains("http_route=\"/api/generator/start\"", StringComparison.Ordinal));
        Assert.Contains(samples, s => s.Name.StartsWith("kestrel_", StringComparison.Ordinal) || s.Name.StartsWith("http_server_active_requests", StringComparison.Ordinal));
        Assert.True(Value(samples, "dotnet_gc_heap_total_allocated_bytes_total") > 0);

        foreach (var name in ExportedMetrics.Names)
        {
            Assert.True(samples.Any(s => s.Name == name || s.Name.StartsWith(name + "_", StringComparison.Ordinal)), $"/metrics has no {name}");
        }

        // Once the consumer has read everything on the topic, every partition's lag gauge says 0.
        var kafka = await _api.GetKafkaAsync();
        await TopicEnds.AwaitConsumedAsync(_api, TopicEnds.Query(kafka.BootstrapServers, kafka.Topic));
        var caughtUp = await Eventually.Until(
            async () => new Scrape(await ScrapeAsync()),
            s => s.Count(x => x.Name == "clickstream_consumer_lag") == 6 && s.Where(x => x.Name == "clickstream_consumer_lag").All(x => x.Value == 0),
            "every partition's lag gauge to read 0 once everything is consumed");
        Assert.Equal(6, caughtUp.Count(s => s.Name == "clickstream_consumer_lag"));
    }

    [Fact]
    public async Task The_metrics_endpoint_is_prometheus_text_and_not_an_api_operation()
    {
        using var response = await _api.Http.GetAsync("/metrics", TestContext.Current.CancellationToken);
        using var openApi = await _api.Http.GetAsync("/swagger/v1/swagger.json", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE clickstream_events_produced_total counter", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.DoesNotContain("\"/metrics\"", await openApi.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    /// <summary>A scrape that describes itself when a wait for it times out.</summary>
    private sealed class Scrape(List<PrometheusSample> samples) : List<PrometheusSample>(samples)
    {
        public override string ToString() => string.Join(
            "; ",
            this.Where(s => s.Name is "clickstream_events_consumed_total" or "clickstream_events_rejected_total" or "clickstream_kafka_broker_rtt_avg_seconds" or "clickstream_consumer_lag")
                .Select(s => $"{s.Name}{{{s.Labels}}} {s.Value}"));
    }

    private async Task<List<PrometheusSample>> ScrapeAsync()
    {
        var text = await _api.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        return PrometheusText.Parse(text);
    }

    private static bool Has(List<PrometheusSample> samples, string name, string label) =>
        samples.Any(s => s.Name == name && s.Labels.Contains(label, StringComparison.Ordinal));

    private static double Value(List<PrometheusSample> samples, string name) =>
        samples.Where(s => s.Name == name).Select(s => s.Value).DefaultIfEmpty(-1).Sum();
}
