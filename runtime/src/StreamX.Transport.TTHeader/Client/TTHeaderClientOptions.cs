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

    /// <summary>
    /// How long a pooled connection may sit idle (default 1 minute, the ttstream long pool's <c>MaxIdleTimeout</c>).
    /// Applies to <see cref="ConnectionPoolMode.Long"/> connections and to unary calls' connections (Mux connections
    /// stay): an idle one older than this is closed by a sweep that runs every <c>MaxIdleTimeout</c> (as Kitex's), and
    /// is never taken for a new call (checked when taken, so none older is ever reused even between sweeps). It frees
    /// the server's side of connections nobody uses, and keeps a client from reusing one that a load balancer or
    /// firewall in between may have dropped without telling either side. Null: no limit and no sweep.
    /// </summary>
    public TimeSpan? MaxIdleTimeout { get; init; } = TimeSpan.FromMinutes(1);

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

    /// <summary>
    /// TCP keep-alive on every connection, so that a peer that vanished without closing (a crashed host, a dropped
    /// route) fails the streams on the connection with 12006 instead of leaving them waiting forever: the default,
    /// as Go's <c>net.Dialer</c> does by default, probes after 15 s of silence every 15 s and gives up after 9 unanswered
    /// probes. Null turns keep-alive off.
    /// </summary>
    public TcpKeepAlive? KeepAlive { get; init; } = TcpKeepAlive.Default;

    /// <summary>Throws <see cref="ArgumentException"/> for invalid values.</summary>
    public void Validate()
    {
        KeepAlive?.Validate(nameof(KeepAlive));

        if (MuxPoolSize < 1)
        {
            throw new ArgumentException("MuxPoolSize must be at least 1.", nameof(MuxPoolSize));
        }

        if (MaxIdleConnections < 0)
        {
            throw new ArgumentException("MaxIdleConnections cannot be negative.", nameof(MaxIdleConnections));
        }

        if (MaxIdleTimeout is { } idle && (idle <= TimeSpan.Zero || idle.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentException("MaxIdleTimeout must be positive and at most Int32.MaxValue milliseconds (or null for no limit).", nameof(MaxIdleTimeout));
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

/// <summary>TCP keep-alive settings (the socket options <c>TCP_KEEPIDLE</c>, <c>TCP_KEEPINTVL</c>, <c>TCP_KEEPCNT</c>), in whole seconds.</summary>
/// <param name="Time">Silence on the connection before the first probe.</param>
/// <param name="Interval">Time between unanswered probes.</param>
/// <param name="RetryCount">Unanswered probes before the connection is declared dead.</param>
public sealed record TcpKeepAlive(TimeSpan Time, TimeSpan Interval, int RetryCount)
{
    /// <summary>15 s, 15 s, 9 probes: Go's <c>net.Dialer</c> defaults (a dead peer is noticed after about 2.5 minutes of silence).</summary>
    public static TcpKeepAlive Default { get; } = new(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15), 9);

    /// <summary>Turns keep-alive on for <paramref name="socket"/> with these settings (seconds rounded up).</summary>
    /// <param name="socket">A TCP socket.</param>
    public void Apply(System.Net.Sockets.Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Socket, System.Net.Sockets.SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Tcp, System.Net.Sockets.SocketOptionName.TcpKeepAliveTime, (int)Math.Ceiling(Time.TotalSeconds));
        socket.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Tcp, System.Net.Sockets.SocketOptionName.TcpKeepAliveInterval, (int)Math.Ceiling(Interval.TotalSeconds));
        socket.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Tcp, System.Net.Sockets.SocketOptionName.TcpKeepAliveRetryCount, RetryCount);
    }

    internal void Validate(string name)
    {
        if (Time < TimeSpan.FromSeconds(1) || Interval < TimeSpan.FromSeconds(1) || RetryCount < 1)
        {
            throw new ArgumentException($"{name} needs Time and Interval of at least 1 s and a RetryCount of at least 1, not {this}.", name);
        }
    }
}
