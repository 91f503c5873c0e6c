using System.Buffers.Binary;

namespace ClickstreamApi.Schemas;

/// <summary>
/// Confluent's wire format for registry-backed values: a magic byte 0, the schema id as a 4-byte
/// big-endian integer, then the payload (Avro binary, or the JSON text for JSON Schema).
/// </summary>
public static class WireFormat
{
    public const byte MagicByte = 0;
    public const int HeaderLength = 5;

    /// <summary>Whether the value starts like a registry-framed one (plain JSON starts with '{', exercise lines with 'U').</summary>
    public static bool IsFramed(ReadOnlySpan<byte> value) => value.Length >= HeaderLength && value[0] == MagicByte;

    public static int SchemaId(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadInt32BigEndian(value[1..HeaderLength]);

    public static void WriteHeader(Span<byte> destination, int schemaId)
    {
        destination[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(destination[1..HeaderLength], schemaId);
    }
}
