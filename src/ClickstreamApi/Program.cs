using ClickstreamApi.Api;
using ClickstreamApi.Chaos;
using ClickstreamApi.Consumption;
using ClickstreamApi.Dashboard;
using ClickstreamApi.Diagnostics;
using ClickstreamApi.Fleet;
using ClickstreamApi.Generation;
using ClickstreamApi.Hosting;
using ClickstreamApi.Kafka;
using ClickstreamApi.Observability;
using ClickstreamApi.Registry;
using ClickstreamApi.Schemas;
using ClickstreamApi.Security;
using Serilog;

Log.Logger = LoggingSetup.CreateBootstrapLogger(args, SecretRedactor.Mask);
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.UseRootAppSettings();
    builder.LimitMallocArenas();
    builder.Services.AddSingleton(TimeProvider.System);

    // Hosted services start in this order and stop in reverse: the topic exists before the consumer
    // subscribes, the consumer runs before the generator produces, and the generator flushes first.
    builder.AddDiagnostics();
    builder.AddKafka();
    builder.AddSchemas();
    builder.AddEmbeddedSchemaRegistry();
    builder.AddChaos();
    builder.AddConsumption();
    builder.AddGeneration();
    builder.AddFleet();
    builder.AddObservability();
    builder.AddOpenTelemetry();
    builder.AddApi();
    builder.AddSecurity();

    var app = builder.Build();
    app.UseRequestLogging();
    app.UseApi();
    app.UseSecurity();
    app.UseDashboard();
    app.MapGeneratorApi();
    app.MapFleetApi();
    app.MapEventsApi();
    app.MapStatsApi();
    app.MapTruthApi();
    app.MapKafkaApi();
    app.MapHealthApi();
    app.MapChaosApi();
    app.MapMetrics();

    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    Log.Fatal(ex, "ClickstreamApi failed to start or stopped unexpectedly");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>The entry point, visible to <c>WebApplicationFactory&lt;Program&gt;</c> in the tests.</summary>
public partial class Program;
