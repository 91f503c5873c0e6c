using System.Text.Json;

namespace ClickstreamApi.Registry;

/// <summary>The registry's answers, in Confluent's JSON shapes and content type.</summary>
internal static class RegistryJson
{
    public const string ContentType = "application/vnd.schemaregistry.v1+json";

    // Names are written as the records below spell them (Confluent mixes camelCase and snake_case).
    // Quotes inside schema strings are written as \" (as Confluent's registry does), not \u0022.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IResult Ok(object value) => Results.Json(value, Options, ContentType);

    /// <summary>A schema's text as it is, for the <c>/schema</c> endpoints.</summary>
    public static IResult Raw(StoredSchema schema) =>
        Results.Text(schema.Schema, schema.SchemaType == SchemaKinds.Protobuf ? "text/plain; charset=utf-8" : ContentType);

    public static object Schema(StoredSchema schema) => new Dictionary<string, object?>
    {
        ["schemaType"] = TypeUnlessAvro(schema),
        ["references"] = References(schema),
        ["schema"] = schema.Schema,
    }.WithoutNulls();

    public static object Version(SubjectVersion version) => new Dictionary<string, object?>
    {
        ["subject"] = version.Subject,
        ["version"] = version.Version,
        ["id"] = version.Schema.Id,
        ["schemaType"] = TypeUnlessAvro(version.Schema),
        ["references"] = References(version.Schema),
        ["schema"] = version.Schema.Schema,
    }.WithoutNulls();

    public static async Task WriteErrorAsync(HttpContext context, RegistryException error)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = error.Status;
        if (error.Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"schema-registry\"";
        }

        await context.Response.WriteAsJsonAsync(new Dictionary<string, object> { ["error_code"] = error.ErrorCode, ["message"] = error.Message }, Options, ContentType);
    }

    private static string? TypeUnlessAvro(StoredSchema schema) => schema.SchemaType == SchemaKinds.Avro ? null : schema.SchemaType;

    private static Dictionary<string, object>[]? References(StoredSchema schema) => schema.References.Count == 0
        ? null
        : schema.References.Select(r => new Dictionary<string, object> { ["name"] = r.Name, ["subject"] = r.Subject, ["version"] = r.Version }).ToArray();

    private static Dictionary<string, object?> WithoutNulls(this Dictionary<string, object?> values)
    {
        foreach (var key in values.Where(pair => pair.Value is null).Select(pair => pair.Key).ToArray())
        {
            values.Remove(key);
        }

        return values;
    }
}
