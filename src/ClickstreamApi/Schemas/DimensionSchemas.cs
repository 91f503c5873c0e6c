using System.Text.Json.Nodes;

namespace ClickstreamApi.Schemas;

/// <summary>
/// The dimension topics' schemas as they are registered: schemas/user.avsc and schemas/product.avsc
/// (Avro), schemas/user.schema.json and schemas/product.schema.json (JSON Schema), built into the
/// assembly. They describe <see cref="Events.UserRecord"/> and <see cref="Events.ProductRecord"/>
/// as <see cref="Events.DimensionRecordSerializer"/> writes them; unit tests hold them to it.
/// </summary>
public static class DimensionSchemas
{
    public static readonly string UserAvro = Read("schemas/user.avsc");

    public static readonly string ProductAvro = Read("schemas/product.avsc");

    public static readonly string UserJsonSchema = Read("schemas/user.schema.json");

    public static readonly string ProductJsonSchema = Read("schemas/product.schema.json");

    public static readonly Avro.RecordSchema UserAvroRecord = (Avro.RecordSchema)global::Avro.Schema.Parse(UserAvro);

    public static readonly Avro.RecordSchema ProductAvroRecord = (Avro.RecordSchema)global::Avro.Schema.Parse(ProductAvro);

    /// <summary>The record names subject name strategies use: the Avro full name, the JSON Schema title.</summary>
    public static (string User, string Product) RecordNames(OutputFormat format) => format == OutputFormat.Avro
        ? (UserAvroRecord.Fullname, ProductAvroRecord.Fullname)
        : (Title(UserJsonSchema), Title(ProductJsonSchema));

    private static string Title(string jsonSchema) => JsonNode.Parse(jsonSchema)!["title"]!.GetValue<string>();

    private static string Read(string name)
    {
        using var stream = typeof(DimensionSchemas).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource {name} is not built into the service.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
