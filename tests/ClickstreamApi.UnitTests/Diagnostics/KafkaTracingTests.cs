using System.Diagnostics;
using System.Text;
using ClickstreamApi.Diagnostics;
using Confluent.Kafka;

namespace ClickstreamApi.UnitTests.Diagnostics;

public sealed class KafkaTracingTests
{
    // OpenTelemetry's SDK installs the W3C propagator behind Propagators.DefaultTextMapPropagator; the service always has the SDK.
    static KafkaTracingTests() => OpenTelemetry.Sdk.CreateTracerProviderBuilder();

    [Fact]
    public void With_a_listener_the_produce_activity_puts_its_traceparent_on_the_message_and_the_consume_activity_continues_it()
    {
        using var listener = ListenToClickstream();
        var message = new Message<byte[], byte[]> { Key = "42"u8.ToArray(), Value = "{}"u8.ToArray() };

        using (var produce = KafkaTracing.StartProduce(message, "user_clickstream"))
        {
            Assert.NotNull(produce);
            var header = Assert.Single(message.Headers);
            Assert.Equal("traceparent", header.Key);
            Assert.Equal(produce.Id, Encoding.ASCII.GetString(header.GetValueBytes()));

            using var consume = KafkaTracing.StartConsume(message.Headers, "user_clickstream", 3, 17);

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

        Assert.False(Instrumentation.ActivitySource.HasListeners());
        Assert.Null(KafkaTracing.StartProduce(message, "user_clickstream"));
        Assert.Null(message.Headers);
    }

    [Fact]
    public void A_message_without_a_traceparent_starts_no_consume_activity()
    {
        using var listener = ListenToClickstream();

        Assert.Null(KafkaTracing.StartConsume(null, "t", 0, 0));
        Assert.Null(KafkaTracing.StartConsume([], "t", 0, 0));
        Assert.Null(KafkaTracing.StartConsume([new Header("traceparent", "garbage"u8.ToArray())], "t", 0, 0));
    }

    private static ActivityListener ListenToClickstream()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == Instrumentation.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
