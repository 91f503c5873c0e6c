using System.Globalization;
using ClickstreamApi.Diagnostics;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace ClickstreamApi.Observability;

/// <summary>Serilog in two stages: a bootstrap logger for start-up, then one built from configuration.</summary>
public static class LoggingSetup
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";
    private const string FormatKey = $"{ObservabilityOptions.SectionName}:{nameof(ObservabilityOptions.LogFormat)}";

    /// <summary>
    /// Stage one: logs start-up failures before the host's configuration exists. The environment and
    /// the command line can already be read, and they are where a deployment sets the log format and
    /// its secrets: a fatal line is in the same format as the app's own, with the same secrets masked.
    /// </summary>
    public static Serilog.ILogger CreateBootstrapLogger(string[] args, Func<IConfiguration, SecretMask> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        // A format the host would refuse is its error to report; until then, text.
        var format = Enum.TryParse<LogFormat>(configuration[FormatKey], ignoreCase: true, out var parsed) ? parsed : LogFormat.Text;
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .Enrich.WithProperty(Constants.SourceContextPropertyName, "Program");
        return WriteToConsole(logger, format, secrets(configuration)).CreateLogger();
    }

    /// <summary>Stage two: the application's logger, configured from the Serilog and Observability sections.</summary>
    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder)
    {
        // preserveStaticLogger keeps the app's logger off the static Log.Logger: several hosts can run
        // in one process (the integration tests) without "the logger is already frozen".
        builder.Services.AddSerilog(
            (services, logger) =>
            {
                var format = builder.Configuration.GetValue(FormatKey, LogFormat.Text);
                logger
                    .ReadFrom.Configuration(builder.Configuration)
                    .ReadFrom.Services(services)
                    .Enrich.FromLogContext();
                WriteToConsole(logger, format, services.GetService<SecretMask>() ?? SecretMask.None);
            },
            preserveStaticLogger: true);
        return builder;
    }

    /// <summary>The console in <paramref name="format"/>, every event masked first (properties and exception text).</summary>
    private static LoggerConfiguration WriteToConsole(LoggerConfiguration logger, LogFormat format, SecretMask mask) =>
        logger.WriteTo.Sink(LoggerSinkConfiguration.Wrap(
            console => mask.IsEmpty ? console : new RedactingSink(console, mask),
            to =>
            {
                if (format == LogFormat.Json)
                {
                    to.Console(new RenderedCompactJsonFormatter());
                }
                else
                {
                    to.Console(outputTemplate: TextTemplate, formatProvider: CultureInfo.InvariantCulture);
                }
            }));

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
