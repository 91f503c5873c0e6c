using ClickstreamApi.Diagnostics;
using ClickstreamApi.Consumption;
using ClickstreamApi.Generation;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Observability;

/// <summary>
/// Logs one summary line per interval (rates, totals, lag) while anything moves, which is what
/// the log shows at rates where one line per event would be noise.
/// </summary>
internal sealed partial class StreamSummaryService(
    ClickProducer producer,
    ConsumerState consumer,
    RejectedMessageLog rejected,
    RingBuffer<Events.ConsumedEvent> buffer,
    Analytics.StreamAnalytics analytics,
    Kafka.KafkaEnvironment kafka,
    GeneratorCounters generator,
    IOptions<ObservabilityOptions> options,
    TimeProvider time,
    ILogger<StreamSummaryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.SummaryIntervalSeconds;
        if (seconds == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), time);
        var last = Snapshot.Take(producer, consumer, rejected, buffer, time);
        long lastDuplicates = 0;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = Snapshot.Take(producer, consumer, rejected, buffer, time);
            if (!now.HasActivitySince(last))
            {
                last = now;
                continue;
            }

            var elapsed = time.GetElapsedTime(last.Timestamp, now.Timestamp).TotalSeconds;
            var runs = analytics.Latest.Integrity.Runs;
            long missing = 0, beforeJoin = 0, duplicates = 0;
            foreach (var run in runs)
            {
                missing += run.Missing;
                beforeJoin += run.BeforeJoin;
                duplicates += run.Duplicates;
            }

            LogSummary(
                (now.Produced - last.Produced) / elapsed,
                (now.Consumed - last.Consumed) / elapsed,
                now.Delivered,
                now.Failed,
                now.Produced - now.Delivered - now.Failed,
                now.Consumed,
                now.Rejected,
                now.Skipped,
                now.Lag,
                now.Evicted,
                missing,
                beforeJoin,
                duplicates);
            // Duplicates this instance's generator injected on purpose need no explanation.
            var unexplained = Math.Max(0, duplicates - generator.Injected.Duplicate);
            if (unexplained > lastDuplicates)
            {
                LogDuplicates(unexplained - lastDuplicates, kafka.DuplicatesNote ?? "The same seq arrived more than once: written twice by a producer (look for the copies' offsets with kcat).");
            }

            lastDuplicates = unexplained;
            last = now;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Stream: {ProducedPerSecond:F1} produced/s, {ConsumedPerSecond:F1} consumed/s; delivered {Delivered}, failed {Failed}, queued {Queued}; consumed {Consumed}, rejected {Rejected}, skipped {Skipped}, lag {Lag}; ring evicted {Evicted}; runs missing {Missing}, before join {BeforeJoin}, duplicates {Duplicates}")]
    private partial void LogSummary(
        double producedPerSecond,
        double consumedPerSecond,
        long delivered,
        long failed,
        long queued,
        long consumed,
        long rejected,
        long skipped,
        long lag,
        long evicted,
        long missing,
        long beforeJoin,
        long duplicates);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{NewDuplicates} more duplicate event(s) in the current runs, not injected by this generator. {Explanation}")]
    private partial void LogDuplicates(long newDuplicates, string explanation);

    private sealed record Snapshot(long Timestamp, long Produced, long Delivered, long Failed, long Consumed, long Rejected, long Skipped, long Lag, long Evicted)
    {
        public static Snapshot Take(
            ClickProducer producer,
            ConsumerState consumer,
            RejectedMessageLog rejected,
            RingBuffer<Events.ConsumedEvent> buffer,
            TimeProvider time) =>
            new(time.GetTimestamp(), producer.Produced, producer.Delivered, producer.Failed, consumer.Consumed, rejected.Total, consumer.Skipped, consumer.Lag, buffer.Evicted);

        public bool HasActivitySince(Snapshot previous) =>
            Produced != previous.Produced || Delivered != previous.Delivered || Failed != previous.Failed
            || Consumed != previous.Consumed || Rejected != previous.Rejected || Skipped != previous.Skipped || Lag > 0;
    }
}
