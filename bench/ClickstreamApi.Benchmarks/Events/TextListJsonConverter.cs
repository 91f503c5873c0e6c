using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClickstreamApi.Benchmarks.Events;

/// <summary>
/// Writes a list of strings by index: the built-in converter enumerates an <see cref="IReadOnlyList{T}"/>
/// through its interface, which allocates an enumerator per list and so per checkout and purchase.
/// </summary>
internal sealed class TextListJsonConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Expected an array of strings.");
        }

        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(reader.GetString() ?? throw new JsonException("Expected a string."));
        }

        return list;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        for (var i = 0; i < value.Count; i++)
        {
            writer.WriteStringValue(value[i]);
        }

        writer.WriteEndArray();
    }
}
