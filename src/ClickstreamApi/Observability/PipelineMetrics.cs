using System.Diagnostics.Metrics;
using ClickstreamApi.Diagnostics;
using ClickstreamApi.Consumption;
using ClickstreamApi.Events;
using ClickstreamApi.Generation;
using ClickstreamApi.Kafka;

namespace ClickstreamApi.Observability;

/// <summary>
/// The service's metrics on the <c>ClickstreamApi</c> meter. Almost all are observable: they read
/// the counters the pipeline keeps anyway, only when a collector asks (a Prometheus scrape, an OTLP
/// export), so they add nothing per event. The one exception is the latency histogram, recorded per
/// consumed event, and only while something listens to it.
/// </summary>
public sealed class PipelineMetrics
{
    // Milliseconds to a minute: the embedded cluster's latencies are a few ms, overload pushes them to seconds.
    private static readonly double[] LatencyBuckets = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60];

    private readonly Histogram<double> _latency;

    public PipelineMetrics(
        IMeterFactory meterFactory,
        ClickProducer producer,
        GeneratorCounters generator,
        GeneratorControls controls,
        ConsumerState consumer,
        RingBuffer<ConsumedEvent> buffer,
        StreamHub hub,
        LibrdkafkaStatistics kafka)
    {
        var meter = meterFactory.Create(Instrumentation.Name);

        meter.CreateObservableCounter("clickstream.events.produced", () => producer.Produced, "{event}", "Events handed to the Kafka producer.");
        meter.CreateObservableCounter("clickstream.events.delivered", () => producer.Delivered, "{event}", "Events the Kafka cluster acknowledged.");
        meter.CreateObservableCounter("clickstream.events.failed", () => producer.Failed, "{event}", "Events that could not be delivered, or were abandoned at shutdown.");
        meter.CreateObservableUpDownCounter("clickstream.producer.queued", () => producer.Queued, "{event}", "Events handed to the producer and not yet delivered or failed.");
        meter.CreateObservableCounter("clickstream.events.consumed", () => consumer.Consumed, "{event}", "Valid events the consumer wrote to the ring buffer.");
        meter.CreateObservableCounter("clickstream.events.rejected", () => consumer.Rejected, "{message}", "Messages on the topic that were not valid events.");
        meter.CreateObservableCounter("clickstream.events.skipped", () => consumer.Skipped, "{message}", "Messages the broker evicted before the consumer read them.");
        meter.CreateObservableCounter("clickstream.events.evicted", () => buffer.Evicted, "{event}", "Events pushed out of the ring buffer by newer ones.");
        meter.CreateObservableUpDownCounter("clickstream.buffer.events", () => (long)buffer.Count, "{event}", "Events held in the ring buffer.");

        meter.CreateObservableGauge("clickstream.generator.rate", () => generator.Achieved.LastSecond, "{event}/s", "Achieved generation rate over the last second.");
        meter.CreateObservableGauge("clickstream.generator.target_rate", () => controls.Current.Running ? generator.CurrentTarget : 0, "{event}/s", "The rate profile's target at this moment (0 when stopped).");
        meter.CreateObservableUpDownCounter("clickstream.generator.running", () => controls.Current.Running ? 1 : 0, "{run}", "1 while the generator runs.");

        meter.CreateObservableGauge("clickstream.consumer.lag", () => Lag(consumer), "{message}", "Messages in each assigned partition not yet read.");

        meter.CreateObservableUpDownCounter("clickstream.streams.open", () => hub.Clients, "{connection}", "Live-tail (SSE) streams open.");
        meter.CreateObservableCounter("clickstream.streams.sent", () => hub.Sent, "{event}", "Events written to live-tail streams.");
        meter.CreateObservableCounter("clickstream.streams.dropped", () => hub.Dropped, "{event}", "Events slow live-tail clients lost.");
        meter.CreateObservableCounter("clickstream.streams.refused", () => hub.Refused, "{connection}", "Live-tail streams refused at Stream:MaxClients.");

        meter.CreateObservableGauge("clickstream.kafka.broker.rtt.avg", () => Brokers(kafka, b => b.RttAverageMicros / 1e6), "s", "Average broker round-trip time in librdkafka's last statistics window.");
        meter.CreateObservableGauge("clickstream.kafka.broker.rtt.p99", () => Brokers(kafka, b => b.RttP99Micros / 1e6), "s", "99th percentile broker round-trip time in librdkafka's last statistics window.");
        meter.CreateObservableGauge("clickstream.kafka.broker.outbuf", () => Brokers(kafka, b => (double)b.OutboundRequests), "{request}", "Requests waiting to be sent to the broker.");
        meter.CreateObservableGauge("clickstream.kafka.broker.waitresp", () => Brokers(kafka, b => (double)b.AwaitingResponse), "{request}", "Requests sent to the broker and awaiting a response.");
        meter.CreateObservableGauge("clickstream.kafka.client.queue.messages", () => Clients(kafka, c => c.QueuedMessages), "{message}", "Messages in the producer's queues (librdkafka msg_cnt).");
        meter.CreateObservableGauge("clickstream.kafka.client.queue.bytes", () => Clients(kafka, c => c.QueuedBytes), "By", "Bytes in the producer's queues (librdkafka msg_size).");
        meter.CreateObservableGauge("clickstream.kafka.client.replyq", () => Clients(kafka, c => c.ReplyQueue), "{op}", "Callbacks and messages waiting for the application to poll.");
        meter.CreateObservableGauge("clickstream.kafka.consumer.fetchq.messages", () => Clients(kafka, c => c.FetchQueueMessages, "consumer"), "{message}", "Messages fetched and not yet consumed.");

        _latency = meter.CreateHistogram(
            "clickstream.event.latency",
            "s",
            "End-to-end latency from an event's occurredAt to its consumption.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    }

    /// <summary>Records one consumed event's end-to-end latency; a field read when nothing listens.</summary>
    public void RecordLatency(DateTimeOffset occurredAt, DateTimeOffset consumedAt)
    {
        if (_latency.Enabled)
        {
            _latency.Record(Math.Max(0, (consumedAt - occurredAt).TotalSeconds));
        }
    }

    private static IEnumerable<Measurement<long>> Lag(ConsumerState consumer)
    {
        foreach (var partition in consumer.Partitions)
        {
            if (partition.Lag is { } lag)
            {
                yield return new Measurement<long>(lag, new KeyValuePair<string, object?>("partition", partition.Partition));
            }
        }
    }

    private static IEnumerable<Measurement<double>> Brokers(LibrdkafkaStatistics kafka, Func<BrokerStatistics, double> value)
    {
        foreach (var client in kafka.Latest)
        {
            foreach (var broker in client.Brokers)
            {
                yield return new Measurement<double>(
                    value(broker),
                    new KeyValuePair<string, object?>("client", client.Client),
                    new KeyValuePair<string, object?>("broker", broker.Name));
            }
        }
    }

    private static IEnumerable<Measurement<long>> Clients(LibrdkafkaStatistics kafka, Func<KafkaClientStatistics, long> value, string? only = null)
    {
        foreach (var client in kafka.Latest)
        {
            if (only is not null && client.Client != only)
            {
                continue;
            }

            yield return new Measurement<long>(value(client), new KeyValuePair<string, object?>("client", client.Client));
        }
    }
}
