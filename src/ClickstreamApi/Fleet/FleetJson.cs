using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClickstreamApi.Fleet;

/// <summary>How commands and snapshots are written on the fleet's topics: camelCase JSON, enums as camelCase strings.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FleetCommand))]
[JsonSerializable(typeof(FleetSnapshot))]
internal sealed partial class FleetJson : JsonSerializerContext;
