namespace StreamX.Transport.TTHeader.Tests.Support;

public static class Hex
{
    /// <summary>Parses hex, ignoring spaces and the <c>//</c>-free separators used in the spec.</summary>
    public static byte[] Parse(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
