using System.Text.Json;

namespace ClickstreamApi.Registry;

/// <summary>A schema as clients send it to register, look up or check compatibility.</summary>
/// <param name="Schema">The schema's text (Avro and JSON Schema as a JSON string inside the JSON body).</param>
/// <param name="SchemaType">AVRO (also when absent), JSON or PROTOBUF.</param>
/// <param name="References">Other subjects' versions the schema refers to.</param>
public sealed record SchemaRequest(string Schema, string SchemaType, IReadOnlyList<SchemaReference> References)
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16 };

    /// <summary>Reads the body the way Confluent's registry does, answering what it would for a bad one.</summary>
    public static async Task<SchemaRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var document = await ReadJsonAsync(request, cancellationToken);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw RegistryException.BadRequest("The request body must be a JSON object with a \"schema\" string.");
        }

        if (!root.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.String)
        {
            throw RegistryException.InvalidSchema("(the request needs \"schema\": a string holding the schema)");
        }

        string? type = null;
        if (root.TryGetProperty("schemaType", out var typeElement) && typeElement.ValueKind != JsonValueKind.Null)
        {
            type = typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString() : "?";
        }

        var schemaType = SchemaKinds.Parse(type)
            ?? throw RegistryException.InvalidSchema($"(unknown schemaType '{type}'; the types are {string.Join(", ", SchemaKinds.All)})");
        return new SchemaRequest(schema.GetString()!, schemaType, ReadReferences(root));
    }

    /// <summary>A small JSON body ({"compatibility": ...}, {"mode": ...}).</summary>
    public static async Task<JsonDocument> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is { Length: > 0 } contentType && !IsJsonContentType(contentType))
        {
            throw RegistryException.UnsupportedMediaType();
        }

        try
        {
            return await JsonDocument.ParseAsync(request.Body, Options, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw RegistryException.BadRequest($"The request body is not JSON: {ex.Message}");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw RegistryException.TooLarge(EmbeddedSchemaRegistry.MaxRequestBodyBytes);
        }
    }

    private static List<SchemaReference> ReadReferences(JsonElement root)
    {
        if (!root.TryGetProperty("references", out var references) || references.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (references.ValueKind != JsonValueKind.Array)
        {
            throw RegistryException.InvalidSchema("(\"references\" must be an array of {name, subject, version})");
        }

        var list = new List<SchemaReference>();
        foreach (var reference in references.EnumerateArray())
        {
            if (reference.ValueKind != JsonValueKind.Object
                || !reference.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                || !reference.TryGetProperty("subject", out var subject) || subject.ValueKind != JsonValueKind.String
                || !reference.TryGetProperty("version", out var version) || !version.TryGetInt32(out var number) || number < 1)
            {
                throw RegistryException.InvalidSchema("(each reference needs \"name\" and \"subject\" strings and a \"version\" of at least 1)");
            }

            list.Add(new SchemaReference(name.GetString()!, subject.GetString()!, number));
        }

        return list;
    }

    private static bool IsJsonContentType(string contentType)
    {
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/vnd.schemaregistry.v1+json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/vnd.schemaregistry+json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase);
    }
}
