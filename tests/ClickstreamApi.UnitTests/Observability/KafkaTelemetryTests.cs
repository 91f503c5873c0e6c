using System.Diagnostics;
using System.Text;
using ClickstreamApi.Kafka;
using ClickstreamApi.Observability;
using Confluent.Kafka;

namespace ClickstreamApi.UnitTests.Observability;

public sealed class KafkaTelemetryTests
{
    // Shaped like librdkafka 2.x output (STATISTICS.md), trimmed: a bootstrap entry, a real broker, a coordinator.
    private const string ProducerReport = """
        {
          "name": "clickstream-api-producer#producer-1", "type": "producer", "ts": 123, "time": 1764028800,
          "replyq": 3, "msg_cnt": 1200, "msg_size": 240000, "msg_max": 100000, "msg_size_max": 1073741824,
          "brokers": {
            "127.0.0.1:9092/bootstrap": { "name": "127.0.0.1:9092/bootstrap", "nodeid": -1, "state": "UP", "outbuf_cnt": 0, "waitresp_cnt": 0,
              "rtt": { "min": 0, "max": 0, "avg": 0, "p50": 0, "p99": 0 } },
            "127.0.0.1:9092/1": { "name": "127.0.0.1:9092/1", "nodeid": 1, "state": "UP", "outbuf_cnt": 2, "waitresp_cnt": 5,
              "rtt": { "min": 40, "max": 900, "avg": 120, "p50": 100, "p95": 500, "p99": 800 } },
            "GroupCoordinator": { "name": "GroupCoordinator", "nodeid": -1, "state": "UP" }
          },
          "topics": {
            "user_clickstream": { "partitions": {
              "0": { "partition": 0, "fetchq_cnt": 7, "msgq_cnt": 1 },
              "-1": { "partition": -1, "fetchq_cnt": -1 }
            } }
          }
        }
        """;

    [Fact]
    public void A_statistics_report_becomes_queue_depths_and_round_trip_times_of_real_brokers()
    {
        var statistics = KafkaStatistics.Parse("producer", ProducerReport);

        Assert.NotNull(statistics);
        Assert.Equal((1200L, 240000L, 3L, 7L), (statistics.QueuedMessages, statistics.QueuedBytes, statistics.ReplyQueue, statistics.FetchQueueMessages));
        var broker = Assert.Single(statistics.Brokers);
        Assert.Equal(("127.0.0.1:9092/1", 1, "UP"), (broker.Name, broker.NodeId, broker.State));
        Assert.Equal((120L, 800L, 2L, 5L), (broker.RttAverageMicros, broker.RttP99Micros, broker.OutboundRequests, broker.AwaitingResponse));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void A_report_that_is_not_one_is_counted_not_thrown(string json)
    {
        var statistics = new KafkaStatistics();

        statistics.Update("consumer", json);

        Assert.Equal((0L, 1L), (statistics.Reports, statistics.Unreadable));
        Assert.Empty(statistics.Latest);
    }

    [Fact]
    public void The_latest_report_of_each_client_replaces_the_previous_one()
    {
        var statistics = new KafkaStatistics();

        statistics.Update("producer", ProducerReport);
        statistics.Update("producer", ProducerReport.Replace("\"msg_cnt\": 1200", "\"msg_cnt\": 5", StringComparison.Ordinal));
        statistics.Update("consumer", "{}");

        Assert.Equal(3, statistics.Reports);
        Assert.Equal(5, statistics.Latest.Single(c => c.Client == "producer").QueuedMessages);
        Assert.Empty(statistics.Latest.Single(c => c.Client == "consumer").Brokers);
    }

    [Fact]
    public void With_a_listener_the_produce_activity_puts_its_traceparent_on_the_message_and_the_consume_activity_continues_it()
    {
        using var listener = ListenToClickstream();
        var message = new Message<byte[], byte[]> { Key = "42"u8.ToArray(), Value = "{}"u8.ToArray() };

        using (var produce = KafkaTelemetry.StartProduce(message, "user_clickstream"))
        {
            Assert.NotNull(produce);
            var header = Assert.Single(message.Headers);
            Assert.Equal(ClickstreamTelemetry.TraceParentHeader, header.Key);
            Assert.Equal(produce.Id, Encoding.ASCII.GetString(header.GetValueBytes()));

            using var consume = KafkaTelemetry.StartConsume(message.Headers, "user_clickstream", 3, 17);

            Assert.NotNull(consume);
            Assert.Equal(produce.TraceId, consume.TraceId);
            Assert.Equal(produce.SpanId, consume.ParentSpanId);
            Assert.Equal(3, consume.GetTagItem("messaging.destination.partition.id"));
        }
    }

    [Fact]
    public void Without_a_listener_nothing_is_created_and_the_message_gets_no_header()
    {
        // The tests that listen are in this class, so they never run at the same time as this one.
        var message = new Message<byte[], byte[]> { Key = "42"u8.ToArray(), Value = "{}"u8.ToArray() };

        Assert.False(ClickstreamTelemetry.Source.HasListeners());
        Assert.Null(KafkaTelemetry.StartProduce(message, "user_clickstream"));
        Assert.Null(message.Headers);
    }

    [Fact]
    public void A_message_without_a_traceparent_starts_no_consume_activity()
    {
        using var listener = ListenToClickstream();

        Assert.Null(KafkaTelemetry.StartConsume(null, "t", 0, 0));
        Assert.Null(KafkaTelemetry.StartConsume([], "t", 0, 0));
        Assert.Null(KafkaTelemetry.StartConsume([new Header("traceparent", "garbage"u8.ToArray())], "t", 0, 0));
    }

    private static ActivityListener ListenToClickstream()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ClickstreamTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
