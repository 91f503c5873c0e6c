using System.Net;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Schemas;

/// <summary>
/// Calls to the registry that must not fail because it is briefly away: a call that does not get an
/// answer (connection refused, time-out, a 5xx, an authentication refusal) is tried again with a
/// back-off doubling from 100 ms to <c>SchemaRegistry:MaxRetryBackoffSeconds</c>, for as long as it
/// takes. Every failed attempt is counted; the log gets one line when the registry stops answering
/// and one when it answers again. Answers such as "schema not found" are answers: they are returned
/// to the caller at once.
/// </summary>
public sealed partial class SchemaRegistryRetry(
    SchemaRegistryEndpoint endpoint,
    IOptions<SchemaRegistryOptions> options,
    TimeProvider time,
    ILogger<SchemaRegistryRetry> logger)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private long _failedAttempts;
    private int _waiting;
    private string? _lastError;
    private long _outageStarted;

    /// <summary>Attempts that got no answer, since the service started.</summary>
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    /// <summary>Callers waiting for the registry right now (the generator before a run's first event, the consumer before a message).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Why the last failed attempt failed; null once the registry answers again.</summary>
    public string? LastError
    {
        get
        {
            lock (_gate)
            {
                return _lastError;
            }
        }
    }

    /// <summary>Runs <paramref name="attempt"/> until the registry answers; a registry answer that is an error is thrown as it is.</summary>
    public async Task<T> RunAsync<T>(string purpose, Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        var max = TimeSpan.FromSeconds(options.Value.MaxRetryBackoffSeconds);
        var waiting = false;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    var result = await attempt().WaitAsync(cancellationToken);
                    Recovered();
                    return result;
                }
                catch (Exception ex) when (IsNoAnswer(ex, cancellationToken))
                {
                    if (!waiting)
                    {
                        waiting = true;
                        Interlocked.Increment(ref _waiting);
                    }

                    Failed(purpose, ex);
                }

                await Task.Delay(backoff, time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, max.Ticks));
            }
        }
        finally
        {
            if (waiting)
            {
                Interlocked.Decrement(ref _waiting);
            }
        }
    }

    /// <summary>Whether the registry gave no answer (try again), rather than an answer that is an error.</summary>
    public static bool IsNoAnswer(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => false,
        // An error answer (it derives from HttpRequestException): only these codes mean "try again".
        SchemaRegistryException registry => (int)registry.Status >= 500
            || registry.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        HttpRequestException or TimeoutException or OperationCanceledException => true,
        AggregateException { InnerException: { } inner } => IsNoAnswer(inner, cancellationToken),
        _ => false,
    };

    private void Failed(string purpose, Exception exception)
    {
        var attempts = Interlocked.Increment(ref _failedAttempts);
        bool first;
        lock (_gate)
        {
            first = _lastError is null;
            _lastError = exception.Message;
            if (first)
            {
                _outageStarted = time.GetTimestamp();
            }
        }

        if (first)
        {
            LogNoAnswer(endpoint.Url ?? "(embedded, starting)", purpose, exception.GetType().Name, exception.Message, options.Value.MaxRetryBackoffSeconds, attempts);
        }
    }

    private void Recovered()
    {
        if (Volatile.Read(ref _lastError) is null)
        {
            return;
        }

        TimeSpan outage;
        lock (_gate)
        {
            if (_lastError is null)
            {
                return;
            }

            _lastError = null;
            outage = time.GetElapsedTime(_outageStarted);
        }

        LogAnswersAgain(endpoint.Url ?? "(embedded)", outage.TotalSeconds, FailedAttempts);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schema Registry at {Url} did not answer while {Purpose} ({ErrorType}: {Error}); trying again with back-off up to {MaxBackoffSeconds} s, nothing is dropped meanwhile ({FailedAttempts} failed attempts since start)")]
    private partial void LogNoAnswer(string url, string purpose, string errorType, string error, int maxBackoffSeconds, long failedAttempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema Registry at {Url} answers again after {Seconds:F1} s ({FailedAttempts} failed attempts since start)")]
    private partial void LogAnswersAgain(string url, double seconds, long failedAttempts);
}
