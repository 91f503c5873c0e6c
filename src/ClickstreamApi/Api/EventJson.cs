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
/// Consumed events as UTF-8 JSON, serialized once per event and then copied: a hundred clients
/// polling <c>recent</c> or tailing the stream send the same bytes instead of serializing the same
/// event a hundred times. The bytes are kept in the event's ring-buffer entry, and go when it is
/// evicted. The bytes come from the API's own serializer options (names, converters),
/// written with the default encoder, which escapes HTML-sensitive characters: text from the topic
/// never reaches a client as markup, not even inside JSON.
/// </summary>
public sealed class EventJson(IOptions<JsonOptions> options, RingBuffer<ConsumedEvent> buffer)
{
    private readonly Func<ConsumedEvent, byte[]> _serialize = Serializer(
        (JsonTypeInfo<ConsumedEvent>)options.Value.SerializerOptions.GetTypeInfo(typeof(ConsumedEvent)));

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The event's JSON; two threads asking at once may both serialize it, and both get the same bytes.</summary>
    public ReadOnlySpan<byte> Utf8(ConsumedEvent item) => buffer.GetOrAddSerialized(item.Sequence, item, _serialize);

    private static Func<ConsumedEvent, byte[]> Serializer(JsonTypeInfo<ConsumedEvent> typeInfo) => item =>
    {
        var written = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        written.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(written);
        writer.Reset(written);
        JsonSerializer.Serialize(writer, item, typeInfo);
        writer.Flush();
        return written.WrittenSpan.ToArray();
    };

    /// <summary>A 200 response holding <paramref name="events"/> as a JSON array.</summary>
    public ListResult List(IReadOnlyList<ConsumedEvent> events) => new(this, events);

    /// <summary>Writes a JSON array of events from their cached bytes, with an exact Content-Length.</summary>
    public sealed class ListResult : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<IReadOnlyList<ConsumedEvent>>
    {
        private readonly EventJson _json;

        internal ListResult(EventJson json, IReadOnlyList<ConsumedEvent> events)
        {
            _json = json;
            Value = events;
        }

        public IReadOnlyList<ConsumedEvent> Value { get; }

        object? IValueHttpResult.Value => Value;

        public int? StatusCode => StatusCodes.Status200OK;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";

            long length = Value.Count == 0 ? 2 : Value.Count + 1;
            foreach (var item in Value)
            {
                length += _json.Utf8(item).Length;
            }

            response.ContentLength = length;
            var body = response.BodyWriter;
            body.Write("["u8);
            for (var i = 0; i < Value.Count; i++)
            {
                if (i > 0)
                {
                    body.Write(","u8);
                }

                body.Write(_json.Utf8(Value[i]));
            }

            body.Write("]"u8);
            await body.FlushAsync(httpContext.RequestAborted);
        }

        /// <summary>OpenAPI sees what a <c>TypedResults.Ok(List&lt;ConsumedEvent&gt;)</c> would declare.</summary>
        public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
            builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(List<ConsumedEvent>), ["application/json"]));
    }
}
