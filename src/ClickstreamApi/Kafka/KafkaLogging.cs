using Confluent.Kafka;

namespace ClickstreamApi.Kafka;

/// <summary>Routes librdkafka's own log lines and errors into <see cref="ILogger"/>.</summary>
internal static partial class KafkaLogging
{
    public static void Log(ILogger logger, LogMessage message)
    {
        var level = message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
            SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        if (logger.IsEnabled(level))
        {
            LogLibrdkafka(logger, level, message.Name, message.Facility, message.Message);
        }
    }

    public static void LogError(ILogger logger, Error error)
    {
        if (error.IsFatal)
        {
            LogFatalError(logger, error.Code, error.Reason);
        }
        else
        {
            // Transient by librdkafka's own account: it retries and reconnects by itself.
            LogTransientError(logger, error.Code, error.Reason);
        }
    }

    [LoggerMessage(Message = "librdkafka {ClientName} [{Facility}]: {KafkaMessage}")]
    private static partial void LogLibrdkafka(ILogger logger, LogLevel level, string clientName, string facility, string kafkaMessage);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fatal Kafka error {ErrorCode}: {Reason}")]
    private static partial void LogFatalError(ILogger logger, ErrorCode errorCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka error {ErrorCode}: {Reason}")]
    private static partial void LogTransientError(ILogger logger, ErrorCode errorCode, string reason);
}
