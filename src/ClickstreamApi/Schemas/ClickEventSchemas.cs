using System.Text.Json.Nodes;

namespace ClickstreamApi.Schemas;

/// <summary>
/// The event's schemas as they are registered: schemas/click-event.avsc (Avro) and
/// schemas/click-event.schema.json (JSON Schema), built into the assembly. Both describe the fields of
/// <see cref="Events.ClickEventFields"/>; unit tests hold them to it.
/// </summary>
public static class ClickEventSchemas
{
    /// <summary>The Avro schema's text.</summary>
    public static readonly string Avro = Read("schemas/click-event.avsc");

    /// <summary>The JSON Schema's text.</summary>
    public static readonly string JsonSchema = Read("schemas/click-event.schema.json");

    /// <summary>The Avro schema, parsed.</summary>
    public static readonly Avro.RecordSchema AvroRecord = (Avro.RecordSchema)global::Avro.Schema.Parse(Avro);

    /// <summary>The record name subject name strategies use: the Avro full name, the JSON Schema title.</summary>
    public static string RecordName(OutputFormat format) => format == OutputFormat.Avro
        ? AvroRecord.Fullname
        : JsonNode.Parse(JsonSchema)!["title"]!.GetValue<string>();

    private static string Read(string name)
    {
        using var stream = typeof(ClickEventSchemas).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource {name} is not built into the service.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
