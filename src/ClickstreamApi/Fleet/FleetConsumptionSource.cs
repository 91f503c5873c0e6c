using ClickstreamApi.Analytics;
using ClickstreamApi.Consumption;
using ClickstreamApi.Kafka;

namespace ClickstreamApi.Fleet;

/// <summary>Takes the consumption part of this member's snapshot from its consumer and analytics.</summary>
public sealed class FleetConsumptionSource(StreamAnalytics analytics, ConsumerState consumer, KafkaEnvironment kafka)
{
    /// <summary>Asks the analytics to keep their sketches from now on (a fleet member's snapshots carry them).</summary>
    public void Begin() => analytics.KeepsSketches = true;

    /// <summary>The member's consumption now; null while its consumer is not running or its analytics have no sketches yet.</summary>
    public FleetConsumption? Take()
    {
        var snapshot = analytics.Latest;
        if (!consumer.IsRunning || snapshot.Sketches is not { } sketches)
        {
            return null;
        }

        static TopPagesWindow Cut(TopPagesWindow window) => window with { Top = [.. window.Top.Take(FleetConsumption.SharedTop)] };
        return new FleetConsumption(
            kafka.GroupId,
            kafka.Partitions,
            [.. consumer.Partitions.Select(p => p.Partition).Order()],
            consumer.Consumed,
            snapshot.TakenAt,
            snapshot.Rates,
            sketches.ActiveUsers,
            sketches.Latency,
            snapshot.TopPages with { Last1m = Cut(snapshot.TopPages.Last1m), Last5m = Cut(snapshot.TopPages.Last5m) },
            [.. snapshot.Windows.Windows.Take(FleetConsumption.SharedWindows).Select(w => w with { TopPages = [.. w.TopPages.Take(FleetConsumption.SharedTop)] })],
            [.. snapshot.Integrity.Runs.Take(FleetConsumption.SharedRuns)]);
    }
}
