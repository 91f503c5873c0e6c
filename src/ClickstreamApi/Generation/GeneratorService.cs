using ClickstreamApi.Events;
using ClickstreamApi.Generation.Model;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Generation;

/// <summary>
/// Generates click events at the controller's rate and hands them to the producer. Sleeps between
/// events at low rates, produces in small batches at high ones, and reacts to start, stop and rate
/// changes at once.
/// </summary>
internal sealed partial class GeneratorService(
    GeneratorController controller,
    ClickProducer producer,
    IOptions<GeneratorOptions> options,
    TimeProvider time,
    ILogger<GeneratorService> logger) : BackgroundService
{
    // Timers tick in milliseconds: never sleep less (no busy waiting); batches cover the rest.
    private static readonly TimeSpan MinSleep = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan QueueFullBackoff = TimeSpan.FromMilliseconds(5);
    private const long MaxBatch = 4096;

    private readonly GeneratorOptions _options = options.Value;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.AutoStart)
        {
            controller.Start();
        }

        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Everything handed to the producer is delivered or counted as failed before Kafka goes away.
        producer.Flush(TimeSpan.FromSeconds(_options.FlushTimeoutSeconds));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var factory = new ClickSimulator(_options.Users, _options.BotShare, _options.Seed ?? Random.Shared.Next());
        using var serializer = new ClickEventSerializer();
        var pacer = new RatePacer(time);
        long version = -1;
        string? runId = null;
        long seq = 0;
        var running = false;
        ClickEvent? pending = null;
        byte[]? pendingKey = null;

        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = controller.Changed;
            var state = controller.Current;
            if (!state.Running)
            {
                if (running)
                {
                    running = false;
                    LogStopped(runId!, seq);
                }

                version = state.Version;
                pending = null;
                await changed.WaitAsync(stoppingToken);
                continue;
            }

            if (state.Version != version)
            {
                if (state.RunId != runId || !running)
                {
                    running = true;
                    runId = state.RunId!;
                    seq = 0;
                    pacer.Start(state.EventsPerSecond);
                    LogStarted(runId, state.EventsPerSecond);
                }
                else
                {
                    pacer.ChangeRate(state.EventsPerSecond);
                    LogRateChanged(state.EventsPerSecond);
                }

                version = state.Version;
            }

            var resets = pacer.ScheduleResets;
            var due = pacer.Due(MaxBatch);
            if (pacer.ScheduleResets != resets)
            {
                controller.CountScheduleReset();
            }

            var produced = 0L;
            while (produced < due)
            {
                if (pending is null)
                {
                    (pending, pendingKey) = factory.Next(runId!, seq + 1, time.GetUtcNow());
                }

                if (!producer.TryProduce(pendingKey!, serializer.Serialize(pending), pending.OccurredAt))
                {
                    // librdkafka's queue is full: give it time to drain, then offer the same event again.
                    await Task.Delay(QueueFullBackoff, time, stoppingToken);
                    if (controller.Current.Version != version)
                    {
                        break;
                    }

                    continue;
                }

                seq++;
                produced++;
                pending = null;
            }

            pacer.Advance(produced);
            var wait = pacer.UntilNext();
            if (wait > TimeSpan.Zero)
            {
                await Task.WhenAny(Task.Delay(wait < MinSleep ? MinSleep : wait, time, stoppingToken), changed);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator run {RunId} started at {EventsPerSecond} events/s")]
    private partial void LogStarted(string runId, double eventsPerSecond);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator run {RunId} stopped after {Events} events")]
    private partial void LogStopped(string runId, long events);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator rate set to {EventsPerSecond} events/s")]
    private partial void LogRateChanged(double eventsPerSecond);
}
