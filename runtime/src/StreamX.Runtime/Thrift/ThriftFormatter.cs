using System.Collections;
using System.Globalization;
using System.Text;

namespace StreamX.Thrift;

/// <summary>Readable text for field values in generated <c>ToString</c> methods.</summary>
public static class ThriftFormatter
{
    private const int MaxBinaryBytes = 32;
    private const int MaxItems = 100;

    /// <summary>Appends one value: strings quoted, binary as hex, containers with their items, null as <c>null</c>.</summary>
    public static void Append(StringBuilder text, object? value)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case string s:
                text.Append('"').Append(s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case byte[] bytes:
                text.Append("0x").Append(Convert.ToHexString(bytes, 0, Math.Min(bytes.Length, MaxBinaryBytes)));
                if (bytes.Length > MaxBinaryBytes)
                {
                    text.Append("…(").Append(bytes.Length).Append(" bytes)");
                }

                break;
            case IDictionary map:
                text.Append('{');
                var first = true;
                var count = 0;
                foreach (DictionaryEntry entry in map)
                {
                    if (!first)
                    {
                        text.Append(", ");
                    }

                    if (++count > MaxItems)
                    {
                        text.Append('…');
                        break;
                    }

                    first = false;
                    Append(text, entry.Key);
                    text.Append(": ");
                    Append(text, entry.Value);
                }

                text.Append('}');
                break;
            case IEnumerable items:
                text.Append('[');
                var i = 0;
                foreach (var item in items)
                {
                    if (i > 0)
                    {
                        text.Append(", ");
                    }

                    if (++i > MaxItems)
                    {
                        text.Append('…');
                        break;
                    }

                    Append(text, item);
                }

                text.Append(']');
                break;
            case IFormattable formattable:
                text.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                text.Append(value);
                break;
        }
    }
}
