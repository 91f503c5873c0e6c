namespace ClickstreamApi.IntegrationTests.Observability;

/// <summary>The service's own metrics as Prometheus names, the contract /metrics, the README and the Grafana dashboard share.</summary>
public static class ExportedMetrics
{
    public static readonly string[] Names =
    [
        "clickstream_events_produced_total",
        "clickstream_events_delivered_total",
        "clickstream_events_failed_total",
        "clickstream_events_consumed_total",
        "clickstream_events_rejected_total",
        "clickstream_events_skipped_total",
        "clickstream_events_evicted_total",
        "clickstream_producer_queued",
        "clickstream_buffer_events",
        "clickstream_generator_rate_per_second",
        "clickstream_generator_target_rate_per_second",
        "clickstream_generator_running",
        "clickstream_consumer_lag",
        "clickstream_event_latency_seconds",
        "clickstream_streams_open",
        "clickstream_streams_sent_total",
        "clickstream_streams_dropped_total",
        "clickstream_streams_refused_total",
        "clickstream_kafka_broker_rtt_avg_seconds",
        "clickstream_kafka_broker_rtt_p99_seconds",
        "clickstream_kafka_broker_outbuf",
        "clickstream_kafka_broker_waitresp",
        "clickstream_kafka_client_queue_messages",
        "clickstream_kafka_client_queue_bytes",
        "clickstream_kafka_client_replyq",
        "clickstream_kafka_consumer_fetchq_messages",
    ];
}
