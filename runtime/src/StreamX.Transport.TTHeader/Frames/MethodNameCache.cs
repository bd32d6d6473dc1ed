using System.Text;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// Remembers the last decoded method name, so the int-9 header of consecutive frames of a stream (every frame carries
/// it) costs a comparison instead of a string allocation.
/// </summary>
internal static class MethodNameCache
{
    private static volatile string? s_last;

    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        var last = s_last;
        if (last is not null && last.Length == utf8.Length && Ascii.Equals(utf8, last))
        {
            return last;
        }

        var value = Encoding.UTF8.GetString(utf8);
        s_last = value;
        return value;
    }
}
