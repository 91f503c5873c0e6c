using System.Buffers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ClickstreamApi.Consumption;
using ClickstreamApi.Events;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Api;

/// <summary>
/// Consumed events as UTF-8 JSON, serialized once per event (kept in its ring-buffer entry) and then copied: a hundred clients
/// polling <c>recent</c> or tailing the stream send the same bytes instead of serializing the same
/// event a hundred times. The bytes come from the API's own serializer options (names, converters),
/// written with the default encoder, which escapes HTML-sensitive characters: text from the topic
/// never reaches a client as markup, not even inside JSON.
/// </summary>
public sealed class EventJson(IOptions<JsonOptions> options)
{
    private readonly JsonTypeInfo<ConsumedEvent> _typeInfo =
        (JsonTypeInfo<ConsumedEvent>)options.Value.SerializerOptions.GetTypeInfo(typeof(ConsumedEvent));

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The event's JSON; two threads asking at once may both serialize it, and both get the same bytes.</summary>
    public ReadOnlySpan<byte> Utf8(RingEntry<ConsumedEvent> entry)
    {
        if (entry.Json is { } cached)
        {
            return cached;
        }

        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, entry.Item, _typeInfo);
        writer.Flush();
        var json = buffer.WrittenSpan.ToArray();
        entry.Json = json;
        return json;
    }

    /// <summary>A 200 response holding the events of <paramref name="entries"/> as a JSON array.</summary>
    public ListResult List(IReadOnlyList<RingEntry<ConsumedEvent>> entries) => new(this, entries);

    /// <summary>Writes a JSON array of events from their cached bytes, with an exact Content-Length.</summary>
    public sealed class ListResult : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<IReadOnlyList<ConsumedEvent>>
    {
        private readonly EventJson _json;
        private readonly IReadOnlyList<RingEntry<ConsumedEvent>> _entries;

        internal ListResult(EventJson json, IReadOnlyList<RingEntry<ConsumedEvent>> entries)
        {
            _json = json;
            _entries = entries;
        }

        /// <summary>The events (made on request, for tests and tools: the response is written from the entries).</summary>
        public IReadOnlyList<ConsumedEvent> Value => [.. _entries.Select(entry => entry.Item)];

        object? IValueHttpResult.Value => Value;

        public int? StatusCode => StatusCodes.Status200OK;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";

            long length = _entries.Count == 0 ? 2 : _entries.Count + 1;
            foreach (var entry in _entries)
            {
                length += _json.Utf8(entry).Length;
            }

            response.ContentLength = length;
            var body = response.BodyWriter;
            body.Write("["u8);
            for (var i = 0; i < _entries.Count; i++)
            {
                if (i > 0)
                {
                    body.Write(","u8);
                }

                body.Write(_json.Utf8(_entries[i]));
            }

            body.Write("]"u8);
            await body.FlushAsync(httpContext.RequestAborted);
        }

        /// <summary>OpenAPI sees what a <c>TypedResults.Ok(List&lt;ConsumedEvent&gt;)</c> would declare.</summary>
        public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
            builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(List<ConsumedEvent>), ["application/json"]));
    }
}
