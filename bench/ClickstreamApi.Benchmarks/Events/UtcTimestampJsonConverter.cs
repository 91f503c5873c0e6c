using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClickstreamApi.Benchmarks.Events;

/// <summary>Writes timestamps in UTC with a <c>Z</c> suffix (<c>2026-11-24T21:18:00.123Z</c>), as the topic carries them.</summary>
internal sealed class UtcTimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime);
}
