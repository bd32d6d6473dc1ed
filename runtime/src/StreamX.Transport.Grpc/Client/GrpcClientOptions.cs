using System.IO.Compression;
using System.Net.Http;

namespace StreamX.Transport.Grpc;

/// <summary>Options of a <see cref="GrpcClientTransport"/>. Immutable once the transport is created.</summary>
public sealed record GrpcClientOptions
{
    /// <summary>The server: <c>http://host:port</c> for HTTP/2 over cleartext (prior knowledge), <c>https://…</c> for TLS.</summary>
    public required Uri Address { get; init; }

    /// <summary>
    /// The package in <c>:path</c> (<c>/&lt;package&gt;.&lt;Service&gt;/&lt;Method&gt;</c>), for servers that
    /// route on it (grpc-js, grpc-go); Kitex and StreamX servers route on service and method only.
    /// Kitex clients send the last segment of the IDL's <c>namespace go</c>. Null: <c>/&lt;Service&gt;/&lt;Method&gt;</c>.
    /// </summary>
    public string? Package { get; init; }

    /// <summary>The request content type: <c>application/grpc+thrift</c> (Kitex requires it) or <c>application/grpc</c>.</summary>
    public string ContentType { get; init; } = GrpcProtocol.ThriftContentType;

    /// <summary>Send the call's timeout as <c>grpc-timeout</c> so the server ends its handler too (default true).</summary>
    public bool PropagateDeadline { get; init; } = true;

    /// <summary>
    /// How a cancel tells the server its code and canceled path, which HTTP/2's RST_STREAM cannot carry
    /// (default <see cref="GrpcCancelDetails.Auto"/>; see <see cref="GrpcCancelDetails"/>).
    /// </summary>
    public GrpcCancelDetails CancelDetails { get; init; } = GrpcCancelDetails.Auto;

    /// <summary>
    /// The largest message accepted from the server (default 4 MiB, as gRPC's), both as it arrives and
    /// once decompressed; larger is RESOURCE_EXHAUSTED. Decompression stops as soon as it passes the limit.
    /// </summary>
    public int MaxReceiveMessageSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// The largest message this client sends (default 4 MiB), counted before compression (as grpc-dotnet
    /// counts); larger fails the send with RESOURCE_EXHAUSTED.
    /// </summary>
    public int MaxSendMessageSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// How request messages are compressed (default <see cref="GrpcCompression.None"/>, as grpc-dotnet):
    /// with gzip or deflate every request carries <c>grpc-encoding</c> and every message is compressed.
    /// The server must support the algorithm (a server that does not answers UNIMPLEMENTED). Responses
    /// are decompressed whatever this says: every request lists <c>identity,gzip,deflate</c> in
    /// <c>grpc-accept-encoding</c>.
    /// </summary>
    public GrpcCompression RequestCompression { get; init; } = GrpcCompression.None;

    /// <summary>The compression level of <see cref="RequestCompression"/> (default <see cref="System.IO.Compression.CompressionLevel.Fastest"/>).</summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Fastest;

    /// <summary>Connection establishment timeout (default 5 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Open more HTTP/2 connections when one reaches the server's concurrent-stream limit (default true).</summary>
    public bool EnableMultipleHttp2Connections { get; init; } = true;

    /// <summary>Adjusts the <see cref="SocketsHttpHandler"/> before use (TLS, keep-alive pings, proxies); null for none.</summary>
    public Action<SocketsHttpHandler>? ConfigureHandler { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for invalid values.</summary>
    public void Validate()
    {
        if (Address is null || !Address.IsAbsoluteUri || Address.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"Address must be an absolute http:// or https:// URI, not '{Address}'.", nameof(Address));
        }

        if (!GrpcProtocol.IsGrpcContentType(ContentType))
        {
            throw new ArgumentException($"ContentType must be application/grpc or application/grpc+<format>, not '{ContentType}'.", nameof(ContentType));
        }

        if (MaxReceiveMessageSize <= 0 || MaxSendMessageSize <= 0)
        {
            throw new ArgumentException("MaxReceiveMessageSize and MaxSendMessageSize must be positive.", nameof(MaxReceiveMessageSize));
        }

        if (!Enum.IsDefined(RequestCompression))
        {
            throw new ArgumentException($"RequestCompression must be None, Gzip or Deflate, not {RequestCompression}.", nameof(RequestCompression));
        }

        if (!Enum.IsDefined(CompressionLevel))
        {
            throw new ArgumentException($"CompressionLevel {CompressionLevel} is not a System.IO.Compression.CompressionLevel.", nameof(CompressionLevel));
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ConnectTimeout must be positive, not {ConnectTimeout}.", nameof(ConnectTimeout));
        }

        if (Package is { } p && (p.Contains('/', StringComparison.Ordinal) || p.Length == 0))
        {
            throw new ArgumentException($"Package must be a non-empty name without '/', not '{p}'.", nameof(Package));
        }
    }
}

/// <summary>
/// How a StreamX gRPC client tells a server why it canceled a stream. HTTP/2 resets carry no reason,
/// so StreamX adds a control message (flag byte 0x80) that only a StreamX server is ever sent.
/// </summary>
public enum GrpcCancelDetails
{
    /// <summary>
    /// Ask for the feature; send the reason only once this stream's response headers confirmed it and
    /// while the request stream is open (bidirectional and client streams after the server's first
    /// response). Otherwise the server sees a bare reset (12010 with this client's name as the path).
    /// Safe with any gRPC server.
    /// </summary>
    Auto,

    /// <summary>
    /// The server is known to be StreamX: half-close and cancel travel as control messages, so every
    /// cancel in every mode (server streaming included) carries its code and full canceled path, exactly
    /// as over TTHeader Streaming. Do not use against other gRPC servers: they reject the control message.
    /// </summary>
    Always,

    /// <summary>Never ask and never send: cancels are bare HTTP/2 resets.</summary>
    Never,
}
