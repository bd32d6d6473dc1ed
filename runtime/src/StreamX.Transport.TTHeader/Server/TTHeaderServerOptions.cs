using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace StreamX.Transport.TTHeader;

/// <summary>Transport options of a TTHeader Streaming server. Immutable; validated by <see cref="Validate"/>.</summary>
public sealed record TTHeaderServerOptions
{
    /// <summary>Frame size and header limits (a malformed or oversized frame closes its connection with 12004).</summary>
    public FrameLimits Limits { get; init; } = new();

    /// <summary>Frames queued per connection before handlers' sends wait for the socket (default 1024).</summary>
    public int OutboundQueueCapacity { get; init; } = 1024;

    /// <summary>Streams one connection may have open at once (default 10,000); more are answered with an error.</summary>
    public int MaxConcurrentStreamsPerConnection { get; init; } = 10_000;

    /// <summary>
    /// TLS on the endpoint (Kestrel's own HTTPS options: certificate or selector, client certificates, protocols,
    /// handshake timeout), or null (the default) for plain TCP as Kitex uses. <c>UseStreamX</c> applies it with
    /// <c>listen.UseHttps(Tls)</c> before StreamX's protocol detection, so ttstream, unary Thrift and HTTP/2 (gRPC,
    /// negotiated by ALPN <c>h2</c>) on one port are all encrypted. Clients need
    /// <see cref="TTHeaderClientOptions.Tls"/>. On an endpoint whose TLS you configure yourself
    /// (<c>listen.UseHttps(…)</c> before <c>UseStreamX</c>), leave this null.
    /// </summary>
    public HttpsConnectionAdapterOptions? Tls { get; init; }

    /// <summary>
    /// TCP keep-alive on every connection of the endpoint (set when the connection arrives, before protocol detection),
    /// so that the handlers of a client that vanished without closing (a crashed host, a dropped route) are canceled
    /// with 12013 instead of streaming into the void: default <see cref="TcpKeepAlive.Default"/> (15 s, 15 s, 9
    /// probes); null leaves the sockets as Kestrel made them.
    /// </summary>
    public TcpKeepAlive? KeepAlive { get; init; } = TcpKeepAlive.Default;

    /// <summary>
    /// How long a new connection (after its TLS handshake, when there is one) has to send the first 8 bytes that tell its
    /// protocol (default 30 s, Kestrel's request-headers timeout for HTTP); one that sends fewer is closed, and logged at
    /// Debug (event 3003). It keeps connections that never speak from holding the server's resources (Kestrel's own HTTP
    /// timeouts do not cover the bytes before detection). Once detected, a connection has no idle limit here (TCP
    /// keep-alive finds dead peers). Null waits forever. StreamX and Kitex clients speak as soon as they connect; raise it
    /// for a client pool that dials ahead and stays silent.
    /// </summary>
    public TimeSpan? ProtocolDetectionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Sets Kestrel's limits of the server <c>StreamXServer.StartAsync</c> (and StreamX.Hosting's <c>ListenTTHeader</c>)
    /// starts: <see cref="KestrelServerLimits.MaxConcurrentConnections"/> counts every connection of the endpoint
    /// (ttstream, unary Thrift and HTTP/2 alike; one over the limit is closed at once, and its client's calls fail with
    /// 12006), and <see cref="KestrelServerLimits.Http2"/> applies to gRPC served on the same port. Null (the default)
    /// keeps Kestrel's defaults. Where you run Kestrel yourself (<c>listen.UseStreamX</c>), set its limits there; this is
    /// not used.
    /// </summary>
    public Action<KestrelServerLimits>? KestrelLimits { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for invalid values.</summary>
    public void Validate()
    {
        KeepAlive?.Validate(nameof(KeepAlive));

        if (Tls is { ServerCertificate: null, ServerCertificateSelector: null })
        {
            throw new ArgumentException("Tls needs a ServerCertificate or a ServerCertificateSelector.", nameof(Tls));
        }

        if (ProtocolDetectionTimeout is { } detection && (detection <= TimeSpan.Zero || detection.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentException("ProtocolDetectionTimeout must be positive and at most Int32.MaxValue milliseconds (or null for none).", nameof(ProtocolDetectionTimeout));
        }

        if (OutboundQueueCapacity < 1)
        {
            throw new ArgumentException("OutboundQueueCapacity must be at least 1.", nameof(OutboundQueueCapacity));
        }

        if (MaxConcurrentStreamsPerConnection < 1)
        {
            throw new ArgumentException("MaxConcurrentStreamsPerConnection must be at least 1.", nameof(MaxConcurrentStreamsPerConnection));
        }
    }
}
