using System.Globalization;

namespace StreamX.Runtime.Tests.TestSupport;

/// <summary>Hex in test tables may be spaced for readability ("0b 0001 00000005"); spaces are ignored.</summary>
public static class Hex
{
    public static byte[] Parse(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLower(CultureInfo.InvariantCulture);

    public static string Ascii(string text) => Format(System.Text.Encoding.ASCII.GetBytes(text));
}
