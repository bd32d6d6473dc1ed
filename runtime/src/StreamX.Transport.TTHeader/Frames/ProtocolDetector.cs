namespace StreamX.Transport.TTHeader;

/// <summary>
/// Classifies a server connection by its first 8 bytes, as a Kitex server does before choosing a handler, so that one
/// port can serve ttstream, unary TTHeader, Framed Thrift and (if the host supports it) HTTP/2.
/// </summary>
public static class ProtocolDetector
{
    /// <summary>How many bytes <see cref="Detect"/> needs.</summary>
    public const int BytesNeeded = 8;

    // "PRI * HT": the first 8 bytes of the HTTP/2 client connection preface "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".
    private static ReadOnlySpan<byte> Http2PrefacePrefix => "PRI * HT"u8;

    /// <summary>Classifies the connection from its first bytes.</summary>
    /// <param name="first8">The first bytes received; only the first <see cref="BytesNeeded"/> are looked at.</param>
    /// <returns>
    /// <see cref="DetectedProtocol.NeedMoreData"/> with fewer than 8 bytes (Kitex: "not ttstream" until 8 bytes are
    /// there); <see cref="DetectedProtocol.TTHeaderStreaming"/> iff bytes 4–5 are the TTHeader magic <c>10 00</c> and
    /// the flags (bytes 6–7) have bit <c>0x0002</c>; <see cref="DetectedProtocol.TTHeaderUnary"/> for the magic without
    /// that bit; <see cref="DetectedProtocol.Http2"/> for <c>PRI * HT</c>; <see cref="DetectedProtocol.FramedThrift"/>
    /// when bytes 4–5 are the strict Thrift Binary version <c>80 01</c> after a positive length (the Framed PingPong
    /// capture: <c>00000024 80010001 …</c>); otherwise <see cref="DetectedProtocol.Unknown"/>.
    /// </returns>
    public static DetectedProtocol Detect(ReadOnlySpan<byte> first8)
    {
        if (first8.Length < BytesNeeded)
        {
            return DetectedProtocol.NeedMoreData;
        }

        if (first8[4] == 0x10 && first8[5] == 0x00)
        {
            return (first8[7] & 0x02) != 0 ? DetectedProtocol.TTHeaderStreaming : DetectedProtocol.TTHeaderUnary;
        }

        if (first8[..BytesNeeded].SequenceEqual(Http2PrefacePrefix))
        {
            return DetectedProtocol.Http2;
        }

        // A Framed length is a positive int32 (high bit clear) and the message behind it is at least 8 bytes long
        // (version word + name length), so a plausible length is 8..int.MaxValue.
        if (first8[4] == 0x80 && first8[5] == 0x01 && first8[0] < 0x80)
        {
            var length = (first8[0] << 24) | (first8[1] << 16) | (first8[2] << 8) | first8[3];
            if (length >= 8)
            {
                return DetectedProtocol.FramedThrift;
            }
        }

        return DetectedProtocol.Unknown;
    }
}
