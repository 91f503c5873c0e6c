using System.Globalization;
using System.Text;

namespace ClickstreamApi.Consumption;

/// <summary>
/// Turns arbitrary message bytes into a short, printable preview: valid UTF-8 text stays as it is,
/// control characters become <c>\n</c>, <c>\t</c> or <c>\u00XX</c>, and bytes that are not UTF-8
/// become <c>\xNN</c>, so binary data can be shown and logged safely.
/// </summary>
public static class MessagePreview
{
    public static string Create(ReadOnlySpan<byte> data, int maxChars)
    {
        var builder = new StringBuilder(Math.Min(maxChars, data.Length) + 8);
        while (!data.IsEmpty && builder.Length < maxChars)
        {
            var status = Rune.DecodeFromUtf8(data, out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{data[0]:X2}");
                data = data[1..];
                continue;
            }

            Append(builder, rune);
            data = data[consumed..];
        }

        if (!data.IsEmpty)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }

    private static void Append(StringBuilder builder, Rune rune)
    {
        switch (rune.Value)
        {
            case '\n':
                builder.Append("\\n");
                break;
            case '\r':
                builder.Append("\\r");
                break;
            case '\t':
                builder.Append("\\t");
                break;
            case '\\':
                builder.Append("\\\\");
                break;
            default:
                if (Rune.IsControl(rune) || rune.Value is 0xFEFF or 0x2028 or 0x2029)
                {
                    builder.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}");
                }
                else
                {
                    builder.Append(rune.ToString());
                }

                break;
        }
    }
}
