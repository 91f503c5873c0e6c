using ClickstreamApi.Diagnostics;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.UnitTests.Diagnostics;

public sealed class LibrdkafkaStatisticsTests
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
        var statistics = LibrdkafkaStatistics.Parse("producer", ProducerReport);

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
        var statistics = new LibrdkafkaStatistics(Options.Create(new TelemetryOptions()));

        statistics.Update("consumer", json);

        Assert.Equal((0L, 1L), (statistics.Reports, statistics.Unreadable));
        Assert.Empty(statistics.Latest);
    }

    [Fact]
    public void The_latest_report_of_each_client_replaces_the_previous_one()
    {
        var statistics = new LibrdkafkaStatistics(Options.Create(new TelemetryOptions()));

        statistics.Update("producer", ProducerReport);
        statistics.Update("producer", ProducerReport.Replace("\"msg_cnt\": 1200", "\"msg_cnt\": 5", StringComparison.Ordinal));
        statistics.Update("consumer", "{}");

        Assert.Equal(3, statistics.Reports);
        Assert.Equal(5, statistics.Latest.Single(c => c.Client == "producer").QueuedMessages);
        Assert.Empty(statistics.Latest.Single(c => c.Client == "consumer").Brokers);
    }
}
