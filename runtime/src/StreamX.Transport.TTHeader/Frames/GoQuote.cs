using System.Globalization;
using System.Text;

namespace StreamX.Transport.TTHeader;

/// <summary>Go's <c>%q</c> of a byte string (strconv.Quote), for error texts that mirror Kitex's.</summary>
internal static class GoQuote
{
    /// <summary>Quotes <paramref name="bytes"/> followed by <paramref name="suffix"/> (ASCII) as Go's <c>%q</c> would.</summary>
    public static string Quote(ReadOnlySpan<byte> bytes, string suffix = "")
    {
        var builder = new StringBuilder(bytes.Length + suffix.Length + 2);
        builder.Append('"');
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{bytes[0]:x2}");
                bytes = bytes[1..];
                continue;
            }

            AppendRune(builder, rune);
            bytes = bytes[consumed..];
        }

        foreach (var c in suffix)
        {
            AppendRune(builder, new Rune(c));
        }

        return builder.Append('"').ToString();
    }

    private static void AppendRune(StringBuilder builder, Rune rune)
    {
        switch (rune.Value)
        {
            case '"': builder.Append("\\\""); return;
            case '\\': builder.Append("\\\\"); return;
            case '\a': builder.Append("\\a"); return;
            case '\b': builder.Append("\\b"); return;
            case '\f': builder.Append("\\f"); return;
            case '\n': builder.Append("\\n"); return;
            case '\r': builder.Append("\\r"); return;
            case '\t': builder.Append("\\t"); return;
            case '\v': builder.Append("\\v"); return;
        }

        if (rune.Value < 0x20 || rune.Value == 0x7F)
        {
            builder.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
        }
        else if (Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse)
        {
            if (rune.Value > 0xFFFF)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\U{rune.Value:x8}");
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}");
            }
        }
        else
        {
            builder.Append(rune.ToString());
        }
    }
}
