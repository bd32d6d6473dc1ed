using System.Collections.Concurrent;
using System.IO.Pipelines;
using StreamX.Thrift;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// A server ttstream connection: a Header frame opens a stream and starts its handler; Data,
/// Trailer and Rst frames go to that stream; losing the connection cancels every handler on it
/// with 12013. Malformed frames close the connection (12004) without touching other connections.
/// </summary>
internal sealed class ServerConnection
{
    private const string ServiceNameKey = "isn";
    private readonly ConcurrentDictionary<int, ServerStreamCore> _streams = new();
    private readonly StreamXDispatcher _dispatcher;
    private readonly FrameConnection _connection;
    private readonly string? _peer;
    private readonly int _maxStreams;
    private readonly TransportTelemetry _telemetry;

    public ServerConnection(IDuplexPipe pipe, StreamXDispatcher dispatcher, TTHeaderServerOptions options, string? peer, TransportTelemetry telemetry)
    {
        _dispatcher = dispatcher;
        _peer = peer;
        _telemetry = telemetry;
        _maxStreams = options.MaxConcurrentStreamsPerConnection;
        _connection = new FrameConnection(pipe, options.Limits, options.OutboundQueueCapacity, OnFrameAsync, peer, StreamSide.Server);
    }

    /// <summary>
    /// Runs until the connection closes; then cancels whatever is still running on it. A close
    /// request (server shutdown) closes in order, so frames already queued (the resets of abandoned
    /// streams) still reach the client; a dead transport aborts.
    /// </summary>
    /// <remarks>
    /// Kestrel's connection-closed token is not used to stop reading: it can fire as soon as the
    /// peer's FIN arrives, before the frames received ahead of it (a final Rst, say) were read. The
    /// pipe delivers those first and then completes (or faults, for a reset connection).
    /// </remarks>
    public async Task RunAsync(CancellationToken closeRequested)
    {
        using var orderly = closeRequested.Register(() => _connection.Close(null));
        _connection.Start();
        var failure = await _connection.Closed.ConfigureAwait(false);
        foreach (var (id, core) in _streams)
        {
            _streams.TryRemove(id, out _);
            core.OnConnectionClosed(failure is IOException ? null : failure);
        }
    }

    private async ValueTask OnFrameAsync(Frame frame)
    {
        if (frame.Type == FrameType.Header)
        {
            if (_streams.Count >= _maxStreams && !_streams.ContainsKey(frame.StreamId))
            {
                // Refused at once, like an unknown method: Header, then a Trailer with the reason.
                await _connection.SendAsync(Frame.Create(FrameType.Header, frame.StreamId, frame.Method)).ConfigureAwait(false);
                await _connection.SendAsync(StreamFrames.Trailer(frame.StreamId, frame.Method, exception: new ThriftApplicationException(6, $"too many concurrent streams on one connection (limit {_maxStreams})"))).ConfigureAwait(false);
                return;
            }

            var headers = new Dictionary<string, string>(frame.StringHeaders, StringComparer.Ordinal);
            headers.Remove(ServiceNameKey, out var serviceName);
            var wire = new Wire(this, frame.StreamId, frame.Method);
            var core = new ServerStreamCore(serviceName ?? string.Empty, frame.Method, headers, wire, _dispatcher.Options.ReceiveBufferCapacity, _peer) { TransportTelemetry = _telemetry };
            wire.Core = core;

            // Kitex replaces a live id silently; the replaced stream is canceled here instead of leaked.
            if (_streams.TryGetValue(frame.StreamId, out var replaced))
            {
                replaced.OnReset(new ThriftApplicationException(StreamErrors.IllegalFrame.Code, $"stream[{frame.StreamId}] was opened again"), null);
            }

            _streams[frame.StreamId] = core;
            _dispatcher.AcceptStream(core);
            return;
        }

        if (!_streams.TryGetValue(frame.StreamId, out var stream))
        {
            return; // frames for unknown or finished streams are ignored, as in Kitex
        }

        switch (frame.Type)
        {
            case FrameType.Data:
                try
                {
                    await stream.OnDataAsync(frame.Payload, stream.CancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stream.CancellationToken.IsCancellationRequested)
                {
                    // The stream ended (reset, handler returned, server stopping) before or while this message
                    // waited for room: nobody will read it. A late frame, ignored as Kitex does (spec §2.8) — not
                    // a reason to fail the connection and every other stream on it.
                }

                break;
            case FrameType.Trailer:
                stream.OnTrailer(frame.StringHeaders, StreamFrames.TrailerException(frame.Payload));
                break;
            case FrameType.Rst:
                stream.OnReset(StreamFrames.ResetException(frame.Payload), StreamFrames.CanceledPath(frame));
                break;
            default:
                break; // Meta and anything else on a known stream: ignored (spec §2.8)
        }
    }



    /// <summary>The outbound half of one server stream.</summary>
    private sealed class Wire(ServerConnection owner, int id, string method) : StreamWire
    {
        public override ValueTask WriteHeaderAsync(IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken) =>
            owner._connection.SendAsync(Frame.Create(FrameType.Header, id, method, headers), cancellationToken);

        public override ValueTask WriteDataAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            owner._connection.SendAsync(StreamFrames.Data(id, method, payload), cancellationToken);

        public override ValueTask WriteTrailerAsync(IReadOnlyDictionary<string, string> trailers, ThriftApplicationException? exception, CancellationToken cancellationToken) =>
            owner._connection.SendAsync(StreamFrames.Trailer(id, method, trailers, exception), cancellationToken);

        public override ValueTask WriteResetAsync(StreamError error, bool localHalfClosed, CancellationToken cancellationToken) =>
            StreamFrames.SendResetAsync(owner._connection, id, method, error, cancellationToken);

        public ServerStreamCore? Core { get; set; }

        public override void Release()
        {
            if (Core is not null)
            {
                owner._streams.TryRemove(new KeyValuePair<int, ServerStreamCore>(id, Core));
            }
        }
    }
}
