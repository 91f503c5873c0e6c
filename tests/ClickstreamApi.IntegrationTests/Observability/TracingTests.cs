using System.Collections.Concurrent;
using System.Diagnostics;
using ClickstreamApi.Diagnostics;
using ClickstreamApi.IntegrationTests.Infrastructure;
using ClickstreamApi.Observability;

namespace ClickstreamApi.IntegrationTests.Observability;

/// <summary>An app with tracing on (as with OTEL_EXPORTER_OTLP_ENDPOINT set), without an exporter.</summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class TracingAppFactory() : ClickstreamAppFactory(new Dictionary<string, string?>
{
    ["Telemetry:Tracing"] = "true",
});

/// <summary>One event followed across Kafka: the consume activity continues the produce activity's trace.</summary>
public sealed class TracingTests(TracingAppFactory factory) : IClassFixture<TracingAppFactory>
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task The_consume_activity_is_a_child_of_the_produce_activity_through_the_traceparent_header()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == Instrumentation.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var run = await _api.CompleteRunAsync(new { maxEvents = 20 });
        var events = await _api.RunEventsAsync(run.RunId!, 20);

        // Other tests' apps in this process may produce while the listener is on: pair activities by id only.
        var (produce, consume) = await Eventually.Until(
            () => Task.FromResult(Pair(stopped)),
            pair => pair.Consume is not null,
            "a consume activity whose parent is a produce activity");

        Assert.Equal(ActivityKind.Producer, produce!.Kind);
        Assert.Equal(ActivityKind.Consumer, consume!.Kind);
        Assert.Equal(produce.TraceId, consume.TraceId);
        Assert.Equal(produce.SpanId, consume.ParentSpanId);
        Assert.True(consume.HasRemoteParent);
        Assert.Equal("send user_clickstream", produce.DisplayName);
        Assert.Equal("process user_clickstream", consume.DisplayName);
        Assert.Equal("kafka", consume.GetTagItem("messaging.system"));

        // The consume activity names the event it wrote to the ring buffer: one of this run's.
        var eventIds = events.Select(e => e.GetProperty("eventId").GetString()).ToHashSet();
        var traced = stopped.Where(a => a.Kind == ActivityKind.Consumer && a.GetTagItem("clickstream.event.id") is string id && eventIds.Contains(id)).ToList();
        Assert.NotEmpty(traced);
        Assert.All(traced, c => Assert.Contains(stopped, p => p.Kind == ActivityKind.Producer && p.SpanId == c.ParentSpanId && p.TraceId == c.TraceId));
    }

    private static (Activity? Produce, Activity? Consume) Pair(IEnumerable<Activity> activities)
    {
        var list = activities.ToList();
        var producers = list.Where(a => a.Kind == ActivityKind.Producer).ToDictionary(a => a.SpanId);
        foreach (var consume in list.Where(a => a.Kind == ActivityKind.Consumer))
        {
            if (producers.TryGetValue(consume.ParentSpanId, out var produce))
            {
                return (produce, consume);
            }
        }

        return (null, null);
    }
}
