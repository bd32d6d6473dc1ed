namespace StreamX.Transport.TTHeader;

/// <summary>What <see cref="ProtocolDetector.Detect"/> found in the first bytes of a server connection.</summary>
public enum DetectedProtocol
{
    /// <summary>Fewer than 8 bytes were given; read more and try again.</summary>
    NeedMoreData,

    /// <summary>TTHeader with the streaming flag (<c>0x0002</c>): a Kitex ttstream connection of <see cref="Frame"/>s.</summary>
    TTHeaderStreaming,

    /// <summary>TTHeader without the streaming flag: unary (PingPong) requests, see <see cref="UnaryTTHeaderCodec"/>.</summary>
    TTHeaderUnary,

    /// <summary>Framed Thrift Binary: a 4-byte length, then a strict TMessage (<c>0x8001…</c>), see <see cref="FramedCodec"/>.</summary>
    FramedThrift,

    /// <summary>The HTTP/2 prior-knowledge connection preface (<c>PRI * HTTP/2.0</c>), for example gRPC.</summary>
    Http2,

    /// <summary>None of the above (including unframed/buffered Thrift and Thrift Compact).</summary>
    Unknown,
}
