using Confluent.Kafka;

namespace ClickstreamApi.Kafka;

/// <summary>
/// Routes librdkafka's own log lines and errors into <see cref="ILogger"/>. Connection failures,
/// which librdkafka reports once per retry and client, are counted in
/// <see cref="KafkaConnectionFailures"/> instead; <see cref="KafkaMonitor"/> logs one line when an
/// outage starts, a summary every <c>Kafka:OutageLogIntervalSeconds</c> and one when it ends.
/// </summary>
internal static partial class KafkaLogging
{
    public static void Log(ILogger logger, LogMessage message)
    {
        if (KafkaConnectionFailures.IsConnectionLog(message))
        {
            // The same attempt also arrives as an error, where it is counted.
            if (logger.IsEnabled(LogLevel.Debug))
            {
                LogLibrdkafka(logger, LogLevel.Debug, message.Name, message.Facility, message.Message);
            }

            return;
        }

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

    public static void LogError(ILogger logger, KafkaConnectionFailures failures, Error error)
    {
        if (KafkaConnectionFailures.IsConnectionError(error))
        {
            failures.Record(error);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                LogConnectionError(logger, error.Code, error.Reason);
            }

            return;
        }

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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Kafka connection error {ErrorCode}: {Reason} (counted; summarized by the Kafka monitor)")]
    private static partial void LogConnectionError(ILogger logger, ErrorCode errorCode, string reason);
}
