using ClickstreamApi.Events;
using Confluent.SchemaRegistry;

namespace ClickstreamApi.Schemas;

/// <summary>
/// JSON Schema in Confluent's wire format: the 5-byte header with the id of schemas/user.schema.json
/// or schemas/product.schema.json, then the same JSON bytes as the <c>json</c> format (as
/// <see cref="JsonSchemaEventEncoder"/> does for events).
/// </summary>
public sealed class JsonSchemaDimensionEncoder(ISchemaRegistryClient registry, string usersSubject, string productsSubject, bool autoRegister) : IDimensionEncoder
{
    private readonly DimensionRecordSerializer _serializer = new();
    private RegisteredEventSchema? _users;
    private RegisteredEventSchema? _products;

    public OutputFormat Format => OutputFormat.JsonSchema;

    public IReadOnlyList<RegisteredEventSchema> Schemas => _users is { } users && _products is { } products ? [users, products] : [];

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        _users ??= await EventSchemaRegistration.RegisterAsync(registry, new Schema(DimensionSchemas.UserJsonSchema, SchemaType.Json), usersSubject, autoRegister, cancellationToken);
        _products ??= await EventSchemaRegistration.RegisterAsync(registry, new Schema(DimensionSchemas.ProductJsonSchema, SchemaType.Json), productsSubject, autoRegister, cancellationToken);
    }

    public byte[] Encode(UserRecord user) => Framed(Registered(_users), _serializer.Write(user));

    public byte[] Encode(ProductRecord product) => Framed(Registered(_products), _serializer.Write(product));

    public void Dispose() => _serializer.Dispose();

    private static RegisteredEventSchema Registered(RegisteredEventSchema? schema) =>
        schema ?? throw new InvalidOperationException("PrepareAsync registers the schemas before the first record.");

    private static byte[] Framed(RegisteredEventSchema schema, ReadOnlySpan<byte> json)
    {
        var value = new byte[WireFormat.HeaderLength + json.Length];
        WireFormat.WriteHeader(value, schema.Id);
        json.CopyTo(value.AsSpan(WireFormat.HeaderLength));
        return value;
    }
}
