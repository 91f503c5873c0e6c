using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ClickstreamApi.Consumption;
using ClickstreamApi.Events;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Api;

/// <summary>
/// The live tail: Server-Sent Events read from the ring buffer at the client's own pace. The
/// consumer never waits for a client; a client that falls more than the buffer behind is told how
/// many events it missed, and those are counted.
/// </summary>
public static partial class LiveTail
{
    private const int BatchLimit = 1000;
    private static readonly byte[] EventLinePrefix = "id: "u8.ToArray();
    private static readonly byte[] EventLineMiddle = "\nevent: click\ndata: "u8.ToArray();
    private static readonly byte[] EventLineEnd = "\n\n"u8.ToArray();

    public static async Task StreamAsync(
        HttpContext context,
        RingBuffer<ConsumedEvent> buffer,
        StreamHub hub,
        IOptions<StreamOptions> options,
        EventJson json,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggers,
        string? userId,
        string? page,
        string? eventType,
        string? after)
    {
        var filter = new EventFilter(userId, page, eventType);
        var errors = filter.Validate();
        var resume = context.Request.Headers["Last-Event-ID"].ToString();
        var cursorText = string.IsNullOrEmpty(resume) ? after : resume;
        long since = buffer.LastSequence;
        if (cursorText is not null && !EventCursor.TryParse(cursorText, buffer.Epoch, out since, out _))
        {
            errors[string.IsNullOrEmpty(resume) ? "after" : "Last-Event-ID"] = ["Must be an event id (cursor) this stream sent."];
        }

        if (errors.Count > 0)
        {
            await TypedResults.ValidationProblem(errors, title: "The query is not valid.").ExecuteAsync(context);
            return;
        }

        if (!hub.TryOpen())
        {
            await TypedResults.Problem(
                $"{hub.MaxClients} streams are open (Stream:MaxClients); try again later.",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Too many open streams.").ExecuteAsync(context);
            return;
        }

        var logger = loggers.CreateLogger(typeof(LiveTail).FullName!);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var clientDropped = 0L;
        var clientSent = 0L;
        try
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            await context.Response.Body.FlushAsync(stopping.Token);
            if (logger.IsEnabled(LogLevel.Information))
            {
                var client = context.Connection.RemoteIpAddress?.ToString() ?? "local";
                LogOpened(logger, client, hub.Clients);
            }

            var predicate = filter.IsEmpty ? null : (Func<ConsumedEvent, bool>)filter.Matches;
            var heartbeat = TimeSpan.FromSeconds(options.Value.HeartbeatSeconds);
            var batchDelay = TimeSpan.FromMilliseconds(options.Value.BatchMilliseconds);
            var body = context.Response.BodyWriter;
            var lastWrite = DateTime.UtcNow;

            while (!stopping.IsCancellationRequested)
            {
                var signal = hub.WaitForDataAsync();
                var events = buffer.After(since, BatchLimit, predicate, out var scannedTo, out var missed);
                since = scannedTo;
                if (missed > 0)
                {
                    clientDropped += missed;
                    hub.CountDropped(missed);
                    WriteText(body, string.Create(CultureInfo.InvariantCulture, $"event: dropped\ndata: {{\"dropped\":{missed},\"totalDropped\":{clientDropped}}}\n\n"));
                }

                foreach (var item in events)
                {
                    WriteEvent(body, json, buffer.Epoch, item);
                }

                if (events.Count > 0 || missed > 0)
                {
                    clientSent += events.Count;
                    hub.CountSent(events.Count);
                    await body.FlushAsync(stopping.Token);
                    lastWrite = DateTime.UtcNow;
                    if (events.Count == BatchLimit)
                    {
                        continue;
                    }

                    // Let a few more events gather so busy streams write in batches, not per event.
                    await Task.Delay(batchDelay, stopping.Token);
                    continue;
                }

                var quiet = heartbeat - (DateTime.UtcNow - lastWrite);
                if (quiet <= TimeSpan.Zero)
                {
                    WriteText(body, string.Create(CultureInfo.InvariantCulture, $": heartbeat {DateTime.UtcNow:O}\n\n"));
                    await body.FlushAsync(stopping.Token);
                    lastWrite = DateTime.UtcNow;
                    continue;
                }

                await Task.WhenAny(signal, Task.Delay(quiet, stopping.Token));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The client left or the service is stopping: the normal end of a stream.
        }
        finally
        {
            hub.Close();
            LogClosed(logger, clientSent, clientDropped, hub.Clients);
        }
    }

    private static void WriteEvent(IBufferWriter<byte> body, EventJson json, string epoch, ConsumedEvent item)
    {
        body.Write(EventLinePrefix);
        WriteText(body, EventCursor.Format(epoch, item.Sequence));
        body.Write(EventLineMiddle);
        // JSON on one line, serialized once for every client; the default encoder escapes <, > and &
        // so event text is never markup.
        body.Write(json.Utf8(item));
        body.Write(EventLineEnd);
    }

    private static void WriteText(IBufferWriter<byte> body, string text)
    {
        var span = body.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var written = Encoding.UTF8.GetBytes(text, span);
        body.Advance(written);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event stream opened by {Client} ({Clients} open)")]
    private static partial void LogOpened(ILogger logger, string client, int clients);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event stream closed after {Sent} events, {Dropped} dropped ({Clients} still open)")]
    private static partial void LogClosed(ILogger logger, long sent, long dropped, int clients);
}
