namespace StreamX.Transport.TTHeader;

/// <summary>How a TTHeader client uses connections (Kitex's three pools).</summary>
public enum ConnectionPoolMode
{
    /// <summary>Default: a fixed number of connections per address, streams multiplexed, chosen round-robin.</summary>
    Mux,

    /// <summary>One stream at a time per connection; a connection is reused after its stream ends.</summary>
    Long,

    /// <summary>A new connection per stream, closed when the stream ends.</summary>
    Short,
}
