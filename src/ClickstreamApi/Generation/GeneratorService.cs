using ClickstreamApi.Generation.Model;
using ClickstreamApi.Generation.Truth;
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
    EventEncoders encoders,
    DimensionEncoders dimensionEncoders,
    DimensionTopics dimensionTopics,
    KafkaEnvironment kafka,
    KafkaClusterStatus cluster,
    SchemaRegistryRetry registry,
    TruthStore truths,
    ConsumerLeadGate consumerLead,
    IOptions<GeneratorOptions> options,
    IOptions<OutputOptions> output,
    IOptions<DimensionOptions> dimensions,
    TimeProvider time,
    ILogger<GeneratorService> logger) : BackgroundService
{
    // Timers tick in milliseconds: never sleep less (no busy waiting); batches cover the rest.
    private static readonly TimeSpan MinSleep = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan QueueFullBackoff = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan DeliveryPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan ConsumerWait = TimeSpan.FromMilliseconds(5);
    private const long MaxBatch = 4096;

    private readonly GeneratorOptions _options = options.Value;
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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
                    if (run is null || run.Id != state.RunId)
                    {
                        run?.Dispose();
                        run = new GeneratorRun(state, _options) { Headers = _headers ? new EventHeaders(state.RunId!, state.Format) : null };
                        counters.BeginRun();
                        if (!await PrepareEncoderAsync(run, stoppingToken))
                        {
                            // Stopped (or replaced) while the registry did not answer: nothing was generated.
                            continue;
                        }

                        run.Truth = truths.Begin(run.Id, state.Seed!.Value, state.Clock);
                        run.Schedule = state.Clock is { } clock
                            ? new SimulatedSchedule(clock, state.Profile, run.Timing, time)
                            : new RealTimeSchedule(state.Profile, run.Timing, time);
                        LogStarted(run.Id, state.Seed!.Value, state.Profile.Kind, state.Profile.EventsPerSecond, state.MaxEvents);
                        if (state.Clock is { } simulated)
                        {
                            LogSimulated(run.Id, simulated.StartAt, simulated.AsFastAsPossible ? "as fast as possible" : $"{simulated.Speed}x real time", simulated.EndAt);
                        }

                        if (run.DimensionEncoder is { } dimensionEncoder)
                        {
                            // The run's start on its clock: the simulated start, or now on the wall clock.
                            var start = state.Clock?.StartAt ?? time.GetUtcNow();
                            run.Dimensions = new RunDimensions(run.Simulator, dimensionEncoder, dimensionTopics, _rates, state.Seed!.Value, start, _headers ? run.Id : null);
                            if (!await PublishSnapshotAsync(run, run.Dimensions, stoppingToken))
                            {
                                continue;
                            }
                        }
                    }
                    else if (run.Profile != state.Profile)
                    {
                        run.Schedule!.Change(state.Profile);
                        LogProfileChanged(state.Profile.Kind, state.Profile.EventsPerSecond);
                    }

                    run.Profile = state.Profile;
                    run.Faults = state.Faults;
                    run.Simulator.SetRate(state.Profile.EventsPerSecond);
                }

                if (run.Finished)
                {
                    // A bounded run ends once everything it produced is delivered (or failed).
                    // Dimension rows count too, once their topics exist; rows for topics still missing wait in the
                    // producer's queue (GET /api/generator shows them) without holding the run open.
                    if (producer.Queued == 0 && (producer.DimensionsQueued == 0 || !cluster.Current.DimensionTopicsReady))
                    {
                        controls.Complete(run.Id);
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
                while (produced < due && !schedule.Ended && controls.Current is { Running: true } current && current.RunId == run.Id
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
                    await Task.WhenAny(Task.Delay(wait < MinSleep ? MinSleep : wait, time, stoppingToken), changed);
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
    /// Gives the run its encoder; for the registry formats, registers the event schema first, waiting
    /// (with back-off, counted) while the registry does not answer. False when the run was stopped or
    /// replaced meanwhile.
    /// </summary>
    private async Task<bool> PrepareEncoderAsync(GeneratorRun run, CancellationToken stoppingToken)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var prepare = PrepareAsync(run, abandon.Token);
        while (true)
        {
            var changed = controls.Changed;
            if (await Task.WhenAny(prepare, changed) == prepare)
            {
                try
                {
                    await prepare;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // An answer, not an outage: the subject refuses the schema (incompatible, or not
                    // registered while auto-registration is off). The run cannot write; it ends here.
                    var format = run.Format.Name();
                    var reason = ex.Message;
                    counters.ReportSchema(null, $"The Schema Registry refused the {format} schema: {reason}");
                    LogSchemaRefused(ex, run.Id, format, reason);
                    controls.Complete(run.Id);
                    return false;
                }

                counters.ReportSchema(run.Encoder!.Schema, null);
                if (run.Encoder.Schema is { } schema)
                {
                    var format = run.Format.Name();
                    LogSchema(run.Id, format, schema.Id, schema.Subject);
                }

                return true;
            }

            if (controls.Current is not { Running: true } state || state.RunId != run.Id)
            {
                await abandon.CancelAsync();
                try
                {
                    await prepare;
                }
                catch (OperationCanceledException) when (abandon.IsCancellationRequested)
                {
                }

                counters.ReportSchema(null, null);
                return false;
            }
        }
    }

    private async Task PrepareAsync(GeneratorRun run, CancellationToken cancellationToken)
    {
        run.Encoder = await encoders.CreateAsync(run.Format, kafka.Topic, cancellationToken);
        if (dimensionTopics.Enabled)
        {
            run.DimensionEncoder = await dimensionEncoders.CreateAsync(run.Format, dimensionTopics.Users, dimensionTopics.Products, cancellationToken);
        }

        if (!run.Format.UsesRegistry())
        {
            return;
        }

        counters.ReportSchema(null, null);
        await registry.RunAsync("registering the event schema", async () =>
        {
            try
            {
                await run.Encoder.PrepareAsync(cancellationToken);
                if (run.DimensionEncoder is { } dimensionEncoder)
                {
                    await dimensionEncoder.PrepareAsync(cancellationToken);
                }

                return true;
            }
            catch (Exception ex) when (SchemaRegistryRetry.IsNoAnswer(ex, cancellationToken))
            {
                counters.ReportSchema(null, $"Schema Registry at {encoders.RegistryUrl ?? "(starting)"} does not answer: {ex.Message}");
                throw;
            }
        }, cancellationToken);
    }

    /// <summary>Generates the next event and sends it, with any faults due; false if the run ended meanwhile.</summary>
    private async ValueTask<bool> TryProduceNextAsync(GeneratorRun run, CancellationToken stoppingToken)
    {
        var at = run.Schedule!.Take();
        // Every change due by the event's time is on its topic first, so the event joins to it.
        if (run.Dimensions is { } dimensions && dimensions.NextChangeAt <= at && !await PublishChangesAsync(run, dimensions, at, stoppingToken))
        {
            return false;
        }

        var (clickEvent, key) = run.Simulator.Next(run.Id, run.Seq + 1, at);
        clickEvent = run.Injector.MaybeLate(clickEvent, run.Faults, out var late);
        var value = await run.Encoder!.EncodeAsync(clickEvent);
        var headers = run.Headers?.For(clickEvent);
        if (!await SendAsync(run, key, value, clickEvent.OccurredAt, headers, stoppingToken))
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
        if (run.Injector.ShouldDuplicate(run.Faults) && await SendAsync(run, key, value, clickEvent.OccurredAt, run.Headers?.For(clickEvent), stoppingToken))
        {
            run.Truth?.RecordDuplicate(clickEvent);
            counters.Injected.CountDuplicate();
        }

        if (run.Injector.MaybeMalformed(run.Faults, value, run.Seq) is { } malformed
            && await SendAsync(run, key, malformed, clickEvent.OccurredAt, run.Headers?.For(clickEvent), stoppingToken))
        {
            run.Truth?.RecordMalformed(clickEvent);
            counters.Injected.CountMalformed();
        }

        return true;
    }

    /// <summary>The run's population and catalogue, stamped with its start, before its first event; false if the run ended meanwhile.</summary>
    private async ValueTask<bool> PublishSnapshotAsync(GeneratorRun run, RunDimensions dimensions, CancellationToken stoppingToken)
    {
        var sent = 0L;
        foreach (var message in dimensions.Snapshot())
        {
            if (!await SendDimensionAsync(run, dimensions, message, stoppingToken))
            {
                return false;
            }

            // A large population takes a while: a stop (or a new run) is taken in between rows.
            if (++sent % MaxBatch == 0 && (controls.Current is not { Running: true } current || current.RunId != run.Id))
            {
                return false;
            }
        }

        var counts = counters.Dimensions;
        LogDimensionsPublished(run.Id, counts.Users, dimensionTopics.Users, counts.Products, dimensionTopics.Products, dimensions.Start);
        return true;
    }

    /// <summary>Makes and hands over every change due at or before <paramref name="until"/>; false if the run ended meanwhile.</summary>
    private async ValueTask<bool> PublishChangesAsync(GeneratorRun run, RunDimensions dimensions, DateTimeOffset until, CancellationToken stoppingToken)
    {
        while (dimensions.NextChangeAt <= until)
        {
            if (dimensions.TakeChange() is { } message && !await SendDimensionAsync(run, dimensions, message, stoppingToken))
            {
                return false;
            }
        }

        return true;
    }

    private async ValueTask<bool> SendDimensionAsync(GeneratorRun run, RunDimensions dimensions, DimensionMessage message, CancellationToken stoppingToken)
    {
        while (!producer.TryProduceDimension(message.Topic, message.Key, message.Value, message.Timestamp, dimensions.HeadersFor(message)))
        {
            await Task.Delay(QueueFullBackoff, time, stoppingToken);
            var state = controls.Current;
            if (!state.Running || state.RunId != run.Id)
            {
                return false;
            }
        }

        counters.Dimensions.Count(message.Kind);
        return true;
    }

    /// <summary>Hands one message over, waiting while librdkafka's queue is full; false if the run ended meanwhile.</summary>
    private async ValueTask<bool> SendAsync(GeneratorRun run, byte[] key, byte[] value, DateTimeOffset timestamp, Confluent.Kafka.Headers? headers, CancellationToken stoppingToken)
    {
        while (!producer.TryProduce(key, value, timestamp, headers))
        {
            await Task.Delay(QueueFullBackoff, time, stoppingToken);
            var state = controls.Current;
            if (!state.Running || state.RunId != run.Id)
            {
                return false;
            }
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator run {RunId} started (seed {Seed}): {Profile} at {EventsPerSecond} events/s, max events {MaxEvents}")]
    private partial void LogStarted(string runId, int seed, RateProfileKind profile, double eventsPerSecond, long? maxEvents);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator run {RunId} runs on a simulated clock from {StartAt:O}, {Pace}, until {EndAt:O}")]
    private partial void LogSimulated(string runId, DateTimeOffset startAt, string pace, DateTimeOffset? endAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator run {RunId} published {Users} users to {UsersTopic} and {Products} products to {ProductsTopic} at {StartAt:O}")]
    private partial void LogDimensionsPublished(string runId, long users, string usersTopic, long products, string productsTopic, DateTimeOffset startAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator run {RunId} stopped after {Events} events")]
    private partial void LogStopped(string runId, long events);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator run {RunId} completed: all {Events} events handed over and acknowledged")]
    private partial void LogCompleted(string runId, long events);

    [LoggerMessage(Level = LogLevel.Error, Message = "Generator run {RunId} cannot write {Format}: the Schema Registry refused the event schema ({Reason}); the run ends without events")]
    private partial void LogSchemaRefused(Exception exception, string runId, string format, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator run {RunId} writes {Format} with schema id {SchemaId} (subject {Subject})")]
    private partial void LogSchema(string runId, string format, int schemaId, string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator rate set to {Profile} at {EventsPerSecond} events/s")]
    private partial void LogProfileChanged(RateProfileKind profile, double eventsPerSecond);
}
