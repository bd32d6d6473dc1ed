using StreamX.Thrift;

namespace StreamX.Transport;

/// <summary>
/// The outbound half of one stream, implemented by a transport (in-memory, TTHeader, gRPC). The
/// stream cores call it; they never call two write methods of one wire at the same time, and
/// they call <see cref="Release"/> exactly once when the stream is over on this side.
/// </summary>
/// <remarks>
/// A frame the transport cannot encode (a header or trailer over its limits) must fail only that
/// write, with a <see cref="StreamXException"/> of kind <see cref="StreamErrors.IllegalFrame"/> (12004)
/// whose text names the key and the limit, having sent nothing: the stream stays usable and the
/// connection carries on. Any other failure of a write means the connection is gone.
/// </remarks>
public abstract class StreamWire
{
    /// <summary>Server only: the response Header (exactly once, before any data or trailer).</summary>
    public abstract ValueTask WriteHeaderAsync(IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken);

    /// <summary>
    /// One message (Thrift Binary bytes of a bare struct). The memory is handed over: the wire may
    /// queue it and write it after the returned task completed, so callers never reuse it.
    /// </summary>
    public abstract ValueTask WriteDataAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>
    /// Client: half-close (empty trailers, no exception). Server: end of stream with trailers
    /// (user trailers and <c>biz-*</c>) and, when the handler failed, the exception to carry.
    /// </summary>
    public abstract ValueTask WriteTrailerAsync(IReadOnlyDictionary<string, string> trailers, ThriftApplicationException? exception, CancellationToken cancellationToken);

    /// <summary>
    /// Resets the stream: <paramref name="error"/>'s code and <see cref="StreamError.WireMessage"/> are
    /// the exception, <see cref="StreamError.CanceledPath"/> the path to send. <paramref name="localHalfClosed"/>
    /// tells whether this side had already half-closed (ttstream then also sends a compatibility Trailer).
    /// </summary>
    public abstract ValueTask WriteResetAsync(StreamError error, bool localHalfClosed, CancellationToken cancellationToken);

    /// <summary>Client only: the peer ended the stream (Trailer) while this side had not half-closed.</summary>
    public virtual ValueTask OnRemoteEndedBeforeHalfCloseAsync() => ValueTask.CompletedTask;

    /// <summary>The stream is over on this side: release ids, table entries, pooled connections.</summary>
    public abstract void Release();
}
