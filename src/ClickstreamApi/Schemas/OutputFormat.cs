namespace ClickstreamApi.Schemas;

/// <summary>How event values are written to the topic.</summary>
public enum OutputFormat
{
    /// <summary>Plain JSON (the default): the bytes docs/events.md describes, no registry.</summary>
    Json,

    /// <summary>Avro binary in Confluent's wire format (magic byte 0, 4-byte schema id, payload), schema in the registry.</summary>
    Avro,

    /// <summary>JSON in Confluent's wire format (magic byte 0, 4-byte schema id, the JSON), JSON Schema in the registry.</summary>
    JsonSchema,
}

/// <summary>The formats' names (as configuration and the API spell them), content types and schema types.</summary>
public static class OutputFormats
{
    public const string JsonName = "json";
    public const string AvroName = "avro";
    public const string JsonSchemaName = "json-schema";

    /// <summary>Every format's name, in the order the documentation lists them.</summary>
    public static readonly IReadOnlyList<string> Names = [JsonName, AvroName, JsonSchemaName];

    /// <summary>The rule a format name breaks, as a problem document or a start-up error says it.</summary>
    public static readonly string Rule = $"must be one of {string.Join(", ", Names)}";

    public static bool TryParse(string? name, out OutputFormat format)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case JsonName:
                format = OutputFormat.Json;
                return true;
            case AvroName:
                format = OutputFormat.Avro;
                return true;
            case JsonSchemaName or "jsonschema" or "json_schema":
                format = OutputFormat.JsonSchema;
                return true;
            default:
                format = default;
                return false;
        }
    }

    public static string Name(this OutputFormat format) => format switch
    {
        OutputFormat.Json => JsonName,
        OutputFormat.Avro => AvroName,
        OutputFormat.JsonSchema => JsonSchemaName,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>The <c>content-type</c> header of an event in this format (docs/events.md, "Headers").</summary>
    public static string ContentType(this OutputFormat format) => format switch
    {
        OutputFormat.Json => "application/json",
        OutputFormat.Avro => "application/vnd.confluent.avro",
        OutputFormat.JsonSchema => "application/vnd.confluent.jsonschema+json",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Whether events in this format carry a schema id from the registry.</summary>
    public static bool UsesRegistry(this OutputFormat format) => format != OutputFormat.Json;
}
