using ClickstreamApi.Diagnostics;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace ClickstreamApi.Observability;

/// <summary>Serilog in two stages: a bootstrap logger for start-up, then one built from configuration.</summary>
public static class LoggingSetup
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>Stage one: logs start-up failures before configuration is read.</summary>
    public static Serilog.ILogger CreateBootstrapLogger() =>
        new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();

    /// <summary>Stage two: the application's logger, configured from the Serilog and Observability sections.</summary>
    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder)
    {
        // preserveStaticLogger keeps the app's logger off the static Log.Logger: several hosts can run
        // in one process (the integration tests) without "the logger is already frozen".
        builder.Services.AddSerilog(
            (services, logger) =>
            {
                var format = builder.Configuration.GetValue($"{ObservabilityOptions.SectionName}:{nameof(ObservabilityOptions.LogFormat)}", LogFormat.Text);
                logger
                    .ReadFrom.Configuration(builder.Configuration)
                    .ReadFrom.Services(services)
                    .Enrich.FromLogContext();
                if (format == LogFormat.Json)
                {
                    logger.WriteTo.Console(new RenderedCompactJsonFormatter());
                }
                else
                {
                    logger.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
                }
            },
            preserveStaticLogger: true);
        return builder;
    }

    /// <summary>
    /// One line per request, quiet for successful reads so load tests do not flood the log. Goes first
    /// in the pipeline so it logs the status the client finally gets.
    /// </summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // The app's logger, not the static bootstrap one (see AddLogging).
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.GetLevel = (context, _, exception) =>
                exception is not null ? LogEventLevel.Error
                // A 503 from readiness is an answer, not a fault: the Kafka monitor logs the reason once.
                : context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal) ? LogEventLevel.Debug
                : context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : HttpMethods.IsGet(context.Request.Method) && context.Response.StatusCode < 400 ? LogEventLevel.Debug
                : LogEventLevel.Information;
        });
}
