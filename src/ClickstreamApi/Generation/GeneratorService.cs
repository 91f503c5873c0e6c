using ClickstreamApi.Analytics;
using ClickstreamApi.Generation.Dimensions;
using ClickstreamApi.Generation.Model;
using ClickstreamApi.Generation.Pacing;
using ClickstreamApi.Generation.Truth;
using ClickstreamApi.Hosting;
using ClickstreamApi.Kafka;
using ClickstreamApi.Schemas;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Generation;

/// <summary>
/// Generates click events on the controls' rate profile and hands them to the producer. Sleeps
/// between events at low rates, produces in small batches at high ones, and reacts to start, stop,
/// profile and fault changes at once.
/// </summary>
internal sealed partial class GeneratorService(
    GeneratorControls controls,
    GeneratorCounters counters,
    ClickProducer producer,
    RunEncoderSetup encoderSetup,
    RunSender sender,
    DimensionTopics dimensionTopics,
    KafkaClusterStatus cluster,
    TruthStore truths,
    ConsumerLeadGate consumerLead,
    ScheduledSendTimes scheduledSends,
    IOptions<GeneratorOptions> options,
    IOptions<OutputOptions> output,
    IOptions<DimensionOptions> dimensions,
    TimeProvider time,
    ILogger<GeneratorService> logger) : BackgroundService
{
    // Timers tick in milliseconds: never sleep less (no busy waiting); batches cover the rest.
    private static readonly TimeSpan MinSleep = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan DeliveryPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan ConsumerWait = TimeSpan.FromMilliseconds(5);
    private const long MaxBatch = 4096;

    private readonly GeneratorOptions _options = options.Value;
    private readonly DedicatedThread _thread = new();
    private readonly bool _headers = output.Value.Headers;
    private readonly DimensionRates _rates = new(dimensions.Value.PriceChangesPerHour, dimensions.Value.UserChangesPerHour, dimensions.Value.AccountDeletionsPerHour);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.AutoStart)
        {
            controls.Start();
        }

        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Everything handed to the producer is delivered or counted as failed before Kafka goes away.
        producer.Flush(TimeSpan.FromSeconds(_options.FlushTimeoutSeconds));
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _thread.Run("clickstream-generator", () => GenerateAsync(stoppingToken));

    private async Task GenerateAsync(CancellationToken stoppingToken)
    {
        GeneratorRun? run = null;
        long version = -1;

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var changed = controls.Changed;
                var state = controls.Current;
                if (!state.Running)
                {
                    counters.ReportApplied(state.Version);
                    if (run is { Active: true })
                    {
                        run.Active = false;
                        run.Truth?.Finish();
                        LogStopped(run.Id, run.Seq);
                    }

                    counters.EndRun();

                    version = state.Version;
                    await changed.WaitAsync(stoppingToken);
                    continue;
                }

                if (state.Version != version || run is null)
                {
                    version = state.Version;
                    if (run is null || run.Number != state.RunNumber)
                    {
                        run?.Dispose();
                        run = new GeneratorRun(state, _options) { Headers = _headers ? new EventHeaders(state.RunId!, state.Format) : null };
                        counters.BeginRun(state.RunNumber);
                        if (!await encoderSetup.PrepareAsync(run, stoppingToken))
                        {
                            // Stopped (or replaced) while the registry did not answer: nothing was generated.
                            continue;
                        }

                        run.Truth = truths.Begin(run.Id, state.Seed!.Value, state.Clock);
                        LogStarted(run.Id, state.Seed!.Value, state.Profile.Kind, state.Profile.EventsPerSecond, state.MaxEvents);
                        if (state.Clock is { } simulated)
                        {
                            LogSimulated(run.Id, simulated.StartAt, simulated.AsFastAsPossible ? "as fast as possible" : $"{simulated.Speed}x real time", simulated.EndAt);
                        }

                        if (run.DimensionEncoder is { } dimensionEncoder)
                        {
                            // The run's start on its clock (the simulated start, or now on the wall clock), moved
                            // back as far as the late fault reaches: a late first event still joins to its user.
                            var late = state.Faults.Late > 0 ? TimeSpan.FromSeconds(state.Faults.LateMaxSeconds) : TimeSpan.Zero;
                            var start = (state.Clock?.StartAt ?? time.GetUtcNow()) - late;
                            run.Dimensions = new RunDimensions(run.Simulator, dimensionEncoder, dimensionTopics, _rates, state.Seed!.Value, start, _headers ? run.Id : null);
                            if (!await sender.PublishSnapshotAsync(run, run.Dimensions, MaxBatch, stoppingToken))
                            {
                                continue;
                            }
                        }

                        // The schedule starts once the snapshot is handed over: its first event is due now, not
                        // when the run was asked for (a large population takes a while to publish).
                        run.Schedule = state.Clock is { } clock
                            ? new SimulatedSchedule(clock, state.Profile, run.Timing, time)
                            : new RealTimeSchedule(state.Profile, run.Timing, time);
                        scheduledSends.BeginRun(run.Id);
                    }
                    else if (run.Profile != state.Profile)
                    {
                        run.Schedule!.Change(state.Profile);
                        LogProfileChanged(state.Profile.Kind, state.Profile.EventsPerSecond);
                    }

                    run.Profile = state.Profile;
                    run.Faults = state.Faults;
                    run.Simulator.SetRate(state.Profile.EventsPerSecond);
                    if (!ReferenceEquals(run.Simulator.Shards, state.Shards))
                    {
                        run.Simulator.Restrict(state.Shards);
                    }

                    counters.ReportApplied(state.Version);
                }

                if (run.Finished)
                {
                    // A bounded run ends once everything it produced is delivered (or failed).
                    // Dimension rows count too, once their topics exist; rows for topics still missing wait in the
                    // producer's queue (GET /api/generator shows them) without holding the run open.
                    if (producer.Queued == 0 && (producer.DimensionsQueued == 0 || !cluster.Current.DimensionTopicsReady))
                    {
                        controls.Complete(run.Number);
                        run.Truth?.Finish();
                        LogCompleted(run.Id, run.Seq);
                        continue;
                    }

                    await Task.WhenAny(Task.Delay(DeliveryPoll, time, stoppingToken), changed);
                    continue;
                }

                var schedule = run.Schedule!;
                if (schedule.Ended)
                {
                    run.Finished = true;
                    continue;
                }

                if (run.Simulated && consumerLead.ShouldWait())
                {
                    counters.CountConsumerWait();
                    await Task.WhenAny(Task.Delay(ConsumerWait, time, stoppingToken), changed);
                    continue;
                }

                var due = schedule.Due(MaxBatch);
                if (run.MaxEvents is { } max)
                {
                    due = Math.Min(due, max - run.Seq);
                }

                // A stop (or a new run) takes effect between two events, not at the end of the batch.
                var produced = 0L;
                while (produced < due && !schedule.Ended && run.IsCurrent(controls.Current)
                    && await TryProduceNextAsync(run, stoppingToken))
                {
                    produced++;
                }

                counters.CountEvents(produced);
                counters.ReportSchedule(schedule.ScheduleResets, schedule.SkippedEvents, schedule.CurrentRate);
                counters.ReportClock(run.Simulated ? schedule.Now : null);
                if (run.MaxEvents is { } limit && run.Seq >= limit)
                {
                    run.Finished = true;
                    continue;
                }

                var wait = schedule.UntilNext();
                if (wait > TimeSpan.Zero)
                {
                    await PaceAsync(wait < MinSleep ? MinSleep : wait, changed, state.Version, stoppingToken);
                }
            }
        }
        finally
        {
            // Shutdown: whoever waits for the loop to stop is released.
            counters.EndRun();
            run?.Dispose();
        }
    }

    /// <summary>
    /// Waits until the next event is due, or until the controls change. On the system clock the loop's
    /// own thread blocks in the wait (no spinning), which wakes within about 0.15 ms of a millisecond;
    /// a timer (Task.Delay) took 3.6 ms at the median for 1 ms on this machine, and every event due
    /// meanwhile was that much late against its schedule (BENCHMARKS.md, issue 15).
    /// </summary>
    private ValueTask PaceAsync(TimeSpan wait, Task changed, long version, CancellationToken stoppingToken)
    {
        if (time != TimeProvider.System || !_thread.IsCurrent)
        {
            return new ValueTask(Task.WhenAny(Task.Delay(wait, time, stoppingToken), changed));
        }

        try
        {
            controls.WaitForChange(version, wait, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the loop sees it next.
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Generates the next event and sends it, with any faults due; false if the run ended meanwhile.</summary>
    private async ValueTask<bool> TryProduceNextAsync(GeneratorRun run, CancellationToken stoppingToken)
    {
        var (at, scheduledAt) = run.Schedule!.Take();
        // Every change due by the event's time is on its topic first, so the event joins to it.
        if (run.Dimensions is { } dimensions && dimensions.NextChangeAt <= at && !await sender.PublishChangesAsync(run, dimensions, at, stoppingToken))
        {
            return false;
        }

        var (clickEvent, key) = run.Simulator.Next(run.Id, run.Seq + 1, at);
        if (scheduledAt is { } due)
        {
            // Before the send, so the consumer finds it however soon the event comes back.
            scheduledSends.Record(run.Seq + 1, due);
        }

        clickEvent = run.Injector.MaybeLate(clickEvent, run.Faults, out var late);
        var value = await run.Encoder!.EncodeAsync(clickEvent);
        var headers = run.Headers?.For(clickEvent);
        if (!await sender.SendAsync(run, key, value, clickEvent.OccurredAt, headers, stoppingToken))
        {
            return false;
        }

        run.Seq++;
        run.Truth?.Record(clickEvent, late, run.Faults);
        if (late)
        {
            counters.Injected.CountLate();
        }

        // Each message gets headers of its own: tracing adds its traceparent to them.
        if (run.Injector.ShouldDuplicate(run.Faults) && await sender.SendAsync(run, key, value, clickEvent.OccurredAt, run.Headers?.For(clickEvent), stoppingToken))
        {
            run.Truth?.RecordDuplicate(clickEvent);
            counters.Injected.CountDuplicate();
        }

        if (run.Injector.MaybeMalformed(run.Faults, value, run.Seq) is { } malformed
            && await sender.SendAsync(run, key, malformed, clickEvent.OccurredAt, run.Headers?.For(clickEvent), stoppingToken))
        {
            run.Truth?.RecordMalformed(clickEvent);
            counters.Injected.CountMalformed();
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator run {RunId} started (seed {Seed}): {Profile} at {EventsPerSecond} events/s, max events {MaxEvents}")]
    private partial void LogStarted(string runId, int seed, RateProfileKind profile, double eventsPerSecond, long? maxEvents);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator run {RunId} runs on a simulated clock from {StartAt:O}, {Pace}, until {EndAt:O}")]
    private partial void LogSimulated(string runId, DateTimeOffset startAt, string pace, DateTimeOffset? endAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator run {RunId} stopped after {Events} events")]
    private partial void LogStopped(string runId, long events);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator run {RunId} completed: all {Events} events handed over and acknowledged")]
    private partial void LogCompleted(string runId, long events);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator rate set to {Profile} at {EventsPerSecond} events/s")]
    private partial void LogProfileChanged(RateProfileKind profile, double eventsPerSecond);
}
