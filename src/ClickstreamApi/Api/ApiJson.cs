using System.Text.Json;
using System.Text.Json.Serialization;
using ClickstreamApi.Consumption;
using ClickstreamApi.Events;

namespace ClickstreamApi.Api;

/// <summary>Source-generated JSON metadata for the API's request and response types.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(GeneratorStatus))]
[JsonSerializable(typeof(SetRateRequest))]
[JsonSerializable(typeof(StartRequest))]
[JsonSerializable(typeof(SetFaultsRequest))]
[JsonSerializable(typeof(List<ConsumedEvent>))]
[JsonSerializable(typeof(RejectedMessages))]
[JsonSerializable(typeof(KafkaInfo))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(ChaosStatus))]
[JsonSerializable(typeof(Chaos.BrokerChaos))]
[JsonSerializable(typeof(SetRoundTripRequest))]
[JsonSerializable(typeof(InjectErrorsRequest))]
[JsonSerializable(typeof(TruthResponse))]
[JsonSerializable(typeof(TruthWindow))]
[JsonSerializable(typeof(Analytics.EventTime.ReconcileReport))]
[JsonSerializable(typeof(FleetStatus))]
[JsonSerializable(typeof(FleetCommandStatus))]
[JsonSerializable(typeof(FleetStartRequest))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary>Writes timestamps in UTC with a <c>Z</c> suffix, as they are on the topic.</summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime);
}
