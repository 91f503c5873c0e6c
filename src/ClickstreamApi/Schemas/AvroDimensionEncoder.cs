using Avro.Generic;
using Avro.IO;
using ClickstreamApi.Events;
using Confluent.SchemaRegistry;

namespace ClickstreamApi.Schemas;

/// <summary>
/// Avro in Confluent's wire format: the 5-byte header with the id of schemas/user.avsc or
/// schemas/product.avsc, then the record's Avro binary, written with Apache Avro's
/// <see cref="GenericRecord"/> and <see cref="GenericDatumWriter{T}"/> (a few thousand records a run,
/// so the general writer is fast enough; events have their own hand-written one).
/// </summary>
public sealed class AvroDimensionEncoder(ISchemaRegistryClient registry, string usersSubject, string productsSubject, bool autoRegister) : IDimensionEncoder
{
    private readonly GenericDatumWriter<GenericRecord> _userWriter = new(DimensionSchemas.UserAvroRecord);
    private readonly GenericDatumWriter<GenericRecord> _productWriter = new(DimensionSchemas.ProductAvroRecord);
    private RegisteredEventSchema? _users;
    private RegisteredEventSchema? _products;

    public OutputFormat Format => OutputFormat.Avro;

    public IReadOnlyList<RegisteredEventSchema> Schemas => _users is { } users && _products is { } products ? [users, products] : [];

    /// <summary>Registers the parsed schemas' text, which is what Confluent's serializer sends for them.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        _users ??= await EventSchemaRegistration.RegisterAsync(registry, new Schema(DimensionSchemas.UserAvroRecord.ToString(), SchemaType.Avro), usersSubject, autoRegister, cancellationToken);
        _products ??= await EventSchemaRegistration.RegisterAsync(registry, new Schema(DimensionSchemas.ProductAvroRecord.ToString(), SchemaType.Avro), productsSubject, autoRegister, cancellationToken);
    }

    public byte[] Encode(UserRecord user)
    {
        var record = new GenericRecord(DimensionSchemas.UserAvroRecord);
        record.Add("userId", user.UserId);
        record.Add("device", user.Device);
        record.Add("userAgent", user.UserAgent);
        record.Add("country", user.Country);
        record.Add("currency", user.Currency);
        record.Add("visitorType", user.VisitorType);
        record.Add("bot", user.Bot);
        record.Add("signedUpAt", user.SignedUpAt.UtcDateTime);
        record.Add("updatedAt", user.UpdatedAt.UtcDateTime);
        return Write(_userWriter, Registered(_users), record);
    }

    public byte[] Encode(ProductRecord product)
    {
        var record = new GenericRecord(DimensionSchemas.ProductAvroRecord);
        record.Add("productId", product.ProductId);
        record.Add("name", product.Name);
        record.Add("category", product.Category);
        // The schema's scale exactly: 2 places, whatever scale the decimal carries.
        var cents = Math.Round(product.Price * 100, 0, MidpointRounding.AwayFromZero);
        record.Add("price", new Avro.AvroDecimal(new System.Numerics.BigInteger(cents), 2));
        record.Add("currency", product.Currency);
        record.Add("updatedAt", product.UpdatedAt.UtcDateTime);
        return Write(_productWriter, Registered(_products), record);
    }

    public void Dispose()
    {
    }

    private static RegisteredEventSchema Registered(RegisteredEventSchema? schema) =>
        schema ?? throw new InvalidOperationException("PrepareAsync registers the schemas before the first record.");

    private static byte[] Write(GenericDatumWriter<GenericRecord> writer, RegisteredEventSchema schema, GenericRecord record)
    {
        using var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[WireFormat.HeaderLength];
        WireFormat.WriteHeader(header, schema.Id);
        stream.Write(header);
        writer.Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }
}
