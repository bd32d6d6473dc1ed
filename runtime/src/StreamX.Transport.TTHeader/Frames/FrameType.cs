namespace StreamX.Transport.TTHeader;

/// <summary>
/// The kind of a ttstream frame, carried on the wire as the ASCII decimal value of TTHeader int header 27
/// (<c>FrameType</c>): <c>"1"</c> … <c>"5"</c>.
/// </summary>
public enum FrameType : byte
{
    /// <summary>Meta frame: sent by proxies/mesh to the client (for example <c>rip</c>, <c>tc</c>, <c>ti</c>); Kitex servers never send it.</summary>
    Meta = 1,

    /// <summary>Header frame: opens a stream (client) or carries the response headers, exactly once (server).</summary>
    Header = 2,

    /// <summary>Data frame: one serialized message (a bare Thrift Binary struct).</summary>
    Data = 3,

    /// <summary>Trailer frame: half-close (client) or end of stream (server); a non-empty payload is an exception message.</summary>
    Trailer = 4,

    /// <summary>Rst frame: cancels the stream; the payload is an exception message and <c>ttscp</c> the canceled path.</summary>
    Rst = 5,
}
