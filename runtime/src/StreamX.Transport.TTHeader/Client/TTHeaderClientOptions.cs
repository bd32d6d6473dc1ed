using System.Net.Security;

namespace StreamX.Transport.TTHeader;

/// <summary>Options of <see cref="TTHeaderClientTransport"/>. Immutable; validated by <see cref="Validate"/>.</summary>
public sealed record TTHeaderClientOptions
{
    /// <summary>Connection pooling (default <see cref="ConnectionPoolMode.Mux"/>).</summary>
    public ConnectionPoolMode PoolMode { get; init; } = ConnectionPoolMode.Mux;

    /// <summary>Connections per address in mux mode (default: the processor count, as Kitex's GOMAXPROCS).</summary>
    public int MuxPoolSize { get; init; } = Environment.ProcessorCount;

    /// <summary>Idle connections kept per address in long mode (default 16).</summary>
    public int MaxIdleConnections { get; init; } = 16;

    /// <summary>How long dialing may take (default 1 s, as Kitex).</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Frame size and header limits.</summary>
    public FrameLimits Limits { get; init; } = new();

    /// <summary>Frames queued per connection before senders wait for the socket (default 1024).</summary>
    public int OutboundQueueCapacity { get; init; } = 1024;

    /// <summary>
    /// TLS for every connection (streams and unary calls), or null (the default) for plain TCP as Kitex uses. The
    /// server must be a StreamX server with <see cref="TTHeaderServerOptions.Tls"/> (or TLS terminated in front
    /// of it): Kitex's own ttstream has no TLS. When <see cref="SslClientAuthenticationOptions.TargetHost"/> is
    /// empty, the certificate is checked against the host of a <see cref="System.Net.DnsEndPoint"/> or the IP
    /// address of an <see cref="System.Net.IPEndPoint"/> (on a copy: this object is not changed). The handshake
    /// counts against <see cref="DialTimeout"/>; a failed one fails the call with 12006 and the reason as its cause.
    /// </summary>
    public SslClientAuthenticationOptions? Tls { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for invalid values.</summary>
    public void Validate()
    {
        if (MuxPoolSize < 1)
        {
            throw new ArgumentException("MuxPoolSize must be at least 1.", nameof(MuxPoolSize));
        }

        if (MaxIdleConnections < 0)
        {
            throw new ArgumentException("MaxIdleConnections cannot be negative.", nameof(MaxIdleConnections));
        }

        if (DialTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("DialTimeout must be positive.", nameof(DialTimeout));
        }

        if (OutboundQueueCapacity < 1)
        {
            throw new ArgumentException("OutboundQueueCapacity must be at least 1.", nameof(OutboundQueueCapacity));
        }
    }
}
