using ClickstreamApi.Kafka;
using ClickstreamApi.Schemas;

namespace ClickstreamApi.Generation;

/// <summary>
/// Gives a new run its encoders (events, and dimension rows when they are on) and, for the
/// registry formats, registers their schemas, waiting with back-off while the registry does not
/// answer and ending the run when it refuses.
/// </summary>
internal sealed partial class RunEncoderSetup(
    GeneratorControls controls,
    GeneratorCounters counters,
    EventEncoders encoders,
    DimensionEncoders dimensionEncoders,
    DimensionTopics dimensionTopics,
    KafkaEnvironment kafka,
    SchemaRegistryRetry registry,
    ILogger<RunEncoderSetup> logger)
{
    /// <summary>
    /// Gives the run its encoder; for the registry formats, registers the event schema first, waiting
    /// (with back-off, counted) while the registry does not answer. False when the run was stopped or
    /// replaced meanwhile.
    /// </summary>
    public async Task<bool> PrepareAsync(GeneratorRun run, CancellationToken stoppingToken)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var prepare = CreateAsync(run, abandon.Token);
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
                    controls.Complete(run.Number);
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

            if (!run.IsCurrent(controls.Current))
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

    private async Task CreateAsync(GeneratorRun run, CancellationToken cancellationToken)
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Generator run {RunId} cannot write {Format}: the Schema Registry refused the event schema ({Reason}); the run ends without events")]
    private partial void LogSchemaRefused(Exception exception, string runId, string format, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator run {RunId} writes {Format} with schema id {SchemaId} (subject {Subject})")]
    private partial void LogSchema(string runId, string format, int schemaId, string subject);
}
