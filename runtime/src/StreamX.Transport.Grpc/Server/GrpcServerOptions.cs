using System.IO.Compression;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace StreamX.Transport.Grpc;

/// <summary>Options of the gRPC side of a StreamX server.</summary>
public sealed record GrpcServerOptions
{
    /// <summary>
    /// The largest message accepted from a client (default 4 MiB, as gRPC's), both as it arrives and once
    /// decompressed; larger ends the call with RESOURCE_EXHAUSTED. Decompression stops as soon as it passes the limit.
    /// </summary>
    public int MaxReceiveMessageSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>The largest message a handler may send (default 4 MiB), counted before compression; larger fails the handler's send.</summary>
    public int MaxSendMessageSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// How responses are compressed (default <see cref="GrpcCompression.None"/>): with gzip or deflate a
    /// call's response messages are compressed when its client listed the algorithm in
    /// <c>grpc-accept-encoding</c>, and sent as they are otherwise. Requests compressed with gzip or
    /// deflate are accepted whatever this says; another <c>grpc-encoding</c> is answered UNIMPLEMENTED.
    /// </summary>
    public GrpcCompression ResponseCompression { get; init; } = GrpcCompression.None;

    /// <summary>The compression level of <see cref="ResponseCompression"/> (default <see cref="System.IO.Compression.CompressionLevel.Fastest"/>).</summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Fastest;

    /// <summary>
    /// End a handler when the client's <c>grpc-timeout</c> passes (default true): its token fires with
    /// 12015 (<c>stream timeout</c>) and the client gets DEADLINE_EXCEEDED. False ignores the header.
    /// </summary>
    public bool HonorDeadlines { get; init; } = true;

    /// <summary>
    /// Sets Kestrel's limits of the server <c>StreamXGrpcServer.StartAsync</c> (and StreamX.Hosting's <c>ListenGrpc</c>)
    /// starts: HTTP/2's (<see cref="KestrelServerLimits.Http2"/>: streams per connection, header table and field sizes,
    /// frame size, flow-control windows, keep-alive pings) and the connection count
    /// (<see cref="KestrelServerLimits.MaxConcurrentConnections"/>). Null (the default) keeps Kestrel's defaults. Not used
    /// by <c>StreamXServer</c> serving gRPC on its TTHeader port (that server's <c>TTHeaderServerOptions.KestrelLimits</c>
    /// applies) nor where you run Kestrel yourself (<c>app.UseStreamXGrpc</c>: set its limits there).
    /// </summary>
    public Action<KestrelServerLimits>? KestrelLimits { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for invalid values.</summary>
    public void Validate()
    {
        if (MaxReceiveMessageSize <= 0 || MaxSendMessageSize <= 0)
        {
            throw new ArgumentException("MaxReceiveMessageSize and MaxSendMessageSize must be positive.", nameof(MaxReceiveMessageSize));
        }

        if (!Enum.IsDefined(ResponseCompression))
        {
            throw new ArgumentException($"ResponseCompression must be None, Gzip or Deflate, not {ResponseCompression}.", nameof(ResponseCompression));
        }

        if (!Enum.IsDefined(CompressionLevel))
        {
            throw new ArgumentException($"CompressionLevel {CompressionLevel} is not a System.IO.Compression.CompressionLevel.", nameof(CompressionLevel));
        }
    }
}
