using System.Text.Json.Serialization;

namespace ClickstreamApi.Benchmarks.Events;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, MaxDepth = 8)]
[JsonSerializable(typeof(ClickEventMessage))]
internal sealed partial class ClickEventMessageContext : JsonSerializerContext;
