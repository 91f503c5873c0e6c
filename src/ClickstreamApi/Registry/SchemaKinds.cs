using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClickstreamApi.Registry;

/// <summary>
/// The schema types the registry stores (AVRO, JSON, PROTOBUF), how each is checked when it is
/// registered and the canonical text that makes registering the same schema twice give the same id.
/// </summary>
public static class SchemaKinds
{
    public const string Avro = "AVRO";
    public const string Json = "JSON";
    public const string Protobuf = "PROTOBUF";

    public static readonly IReadOnlyList<string> All = [Json, Protobuf, Avro];

    private static readonly JsonDocumentOptions StrictJson = new() { MaxDepth = 64 };

    /// <summary>The type in the API's spelling (absent means AVRO), or null when it is not one.</summary>
    public static string? Parse(string? schemaType)
    {
        if (string.IsNullOrEmpty(schemaType))
        {
            return Avro;
        }

        var upper = schemaType.Trim().ToUpperInvariant();
        return All.Contains(upper) ? upper : null;
    }

    /// <summary>The canonical text of a schema, or a 42201 error naming what is wrong with it.</summary>
    public static string Canonicalize(string schemaType, string text, bool hasReferences)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw RegistryException.InvalidSchema("(it is empty)");
        }

        switch (schemaType)
        {
            case Avro when hasReferences:
                // Named types from references are not resolved here: the text must still be JSON.
                return CompactJson(text, "Avro");
            case Avro:
                try
                {
                    // A primitive type's canonical form is its name as a JSON string ("string"), as Confluent stores it.
                    var parsed = global::Avro.Schema.Parse(text);
                    return parsed is global::Avro.PrimitiveSchema primitive && primitive.GetProperty("logicalType") is null
                        ? $"\"{primitive.Name}\""
                        : parsed.ToString();
                }
                catch (Exception ex) when (ex is global::Avro.AvroException or JsonException or Newtonsoft.Json.JsonException or ArgumentException or InvalidOperationException or FormatException or OverflowException or InvalidCastException or NullReferenceException)
                {
                    throw RegistryException.InvalidSchema($"(not an Avro schema: {ex.Message})");
                }

            case Json:
                var canonical = CompactJson(text, "JSON Schema");
                if (canonical is not ("true" or "false") && !canonical.StartsWith('{'))
                {
                    throw RegistryException.InvalidSchema("(a JSON Schema must be an object or a boolean)");
                }

                return canonical;
            default:
                return text.Trim();
        }
    }

    /// <summary>Whether a reader with <paramref name="reader"/> can read data written with <paramref name="writer"/> (Avro's resolution rules); other types are not checked.</summary>
    public static bool CanRead(string schemaType, string reader, string writer)
    {
        if (schemaType != Avro)
        {
            return true;
        }

        try
        {
            return global::Avro.Schema.Parse(reader).CanRead(global::Avro.Schema.Parse(writer));
        }
        catch (global::Avro.AvroException)
        {
            // Schemas with references are stored unparsed: they are not compared.
            return true;
        }
    }

    private static string CompactJson(string text, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(text, StrictJson);
            return JsonNode.Parse(document.RootElement.GetRawText())!.ToJsonString();
        }
        catch (JsonException ex)
        {
            throw RegistryException.InvalidSchema($"(not a {what} document: {ex.Message})");
        }
    }
}
