using System.Text.Json.Serialization;
using ClickstreamApi.Events;

namespace ClickstreamApi.Benchmarks.Events;

/// <summary>
/// Source-generated System.Text.Json metadata for writing events to the topic; what is written, and in
/// which order, is set from <see cref="ClickEventFields"/> (see <see cref="ClickEventSerializer"/>).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcTimestampJsonConverter), typeof(TextListJsonConverter)])]
[JsonSerializable(typeof(ClickEvent))]
internal sealed partial class ClickEventJsonContext : JsonSerializerContext;
