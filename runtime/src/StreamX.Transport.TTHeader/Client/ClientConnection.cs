using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using StreamX.Thrift;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// A client ttstream connection: many streams multiplexed by id. Inbound frames go to the stream
/// with that id (frames for unknown or finished ids are ignored, as Kitex does); losing the
/// connection fails every stream on it with 12006.
/// </summary>
internal sealed class ClientConnection : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, ClientStreamCore> _streams = new();
    private readonly FrameConnection _connection;
    private readonly Socket _socket;
    private int _nextId;

    private ClientConnection(Socket socket, IDuplexPipe pipe, TTHeaderClientOptions options, string peer)
    {
        _socket = socket;
        _connection = new FrameConnection(pipe, options.Limits, options.OutboundQueueCapacity, OnFrameAsync, peer, StreamSide.Client);
        _ = _connection.Closed.ContinueWith(t => FailAll(t.Result), TaskScheduler.Default);
        _connection.Start();
    }

    public bool IsClosed => _connection.IsClosed;

    /// <summary>Completes when the connection has closed (for any reason).</summary>
    public Task Closed => _connection.Closed;

    public int ActiveStreams => _streams.Count;

    /// <summary>
    /// For a connection that sat idle in a pool (no streams): whether the peer has closed it and the read loop may not
    /// have processed that yet — the socket is readable with no bytes to read (end of stream). Late frames of a finished
    /// stream (bytes to read) do not count. Checked without blocking; such a connection is not taken for a new stream.
    /// </summary>
    public bool IdleButClosedByPeer
    {
        get
        {
            try
            {
                return _streams.IsEmpty && _socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return true;
            }
        }
    }

    /// <summary>Dials a connection (TCP, and TLS when configured; bounded by the options' dial timeout).</summary>
    public static async Task<ClientConnection> ConnectAsync(TcpDialer dialer, EndPoint endPoint, TTHeaderClientOptions options, CancellationToken cancellationToken)
    {
        var dialed = await dialer.DialAsync(cancellationToken).ConfigureAwait(false);
        return new ClientConnection(dialed.Socket, new StreamDuplexPipe(dialed.Stream), options, endPoint.ToString() ?? "?");
    }

    /// <summary>
    /// Registers a stream, sends its Header frame, and returns its wire. A Header that cannot be
    /// encoded fails this call alone (12004), before anything is queued; the connection is released
    /// (<paramref name="onReleased"/>) as when a stream ends.
    /// </summary>
    public async ValueTask<StreamWire> OpenAsync(ClientStreamCore core, Action<ClientConnection>? onReleased, CancellationToken cancellationToken)
    {
        var id = NextStreamId();
        _streams[id] = core;
        try
        {
            await _connection.SendAsync(HeaderFrame(id, core.Settings), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _streams.TryRemove(id, out _);
            onReleased?.Invoke(this);
            throw;
        }

        return new Wire(this, id, core.Settings.MethodName, onReleased);
    }

    /// <summary>
    /// Throws the 12004 error <see cref="OpenAsync"/> would fail with if the stream's Header cannot be
    /// encoded within <paramref name="limits"/>, so that no connection is taken or dialed for it.
    /// </summary>
    public static void CheckHeader(ClientStreamSettings settings, FrameLimits limits)
    {
        if (FrameCodec.Describe(HeaderFrame(0, settings), limits) is { } problem)
        {
            throw FrameConnection.UnencodableException(problem, StreamSide.Client);
        }
    }

    /// <summary>The client's Header frame: the call's headers (metainfo included) and <c>isn</c>.</summary>
    private static Frame HeaderFrame(int id, ClientStreamSettings settings) =>
        Frame.Create(FrameType.Header, id, settings.MethodName, new Dictionary<string, string>(settings.Headers, StringComparer.Ordinal) { ["isn"] = settings.ServiceName });

    /// <summary>
    /// Stream ids: per connection, from 1, skipping 0 (reserved), wrapping through negative values
    /// (spec §1.2); only uniqueness among live streams matters.
    /// </summary>
    private int NextStreamId()
    {
        while (true)
        {
            var id = Interlocked.Increment(ref _nextId);
            if (id != 0 && !_streams.ContainsKey(id))
            {
                return id;
            }
        }
    }

    private async ValueTask OnFrameAsync(Frame frame)
    {
        if (!_streams.TryGetValue(frame.StreamId, out var core))
        {
            return; // late frames for finished streams are normal (e.g. the Trailer after a Rst)
        }

        switch (frame.Type)
        {
            case FrameType.Header:
                if (!core.OnHeader(frame.StringHeaders))
                {
                    // A second Header is a protocol violation that poisons the whole connection (12002).
                    throw new StreamXException(StreamErrors.UnexpectedHeader with
                    {
                        Side = StreamSide.Client,
                        Cause = new InvalidOperationException($"stream[{frame.StreamId}] already set header"),
                    });
                }

                break;
            case FrameType.Data:
                try
                {
                    await core.OnDataAsync(frame.Payload, core.Aborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (core.Aborted.IsCancellationRequested)
                {
                    // The stream was canceled locally before or while this message waited for room in its full
                    // buffer: nobody will read it. Dropped, like any late frame — the connection and the other
                    // streams on it carry on.
                }

                break;
            case FrameType.Trailer:
                core.OnTrailer(frame.StringHeaders, StreamFrames.TrailerException(frame.Payload));
                break;
            case FrameType.Rst:
                core.OnReset(StreamFrames.ResetException(frame.Payload), StreamFrames.CanceledPath(frame));
                break;
            default:
                break; // Meta frames are for proxies' metadata; nothing here needs them
        }
    }



    private void FailAll(Exception? cause)
    {
        var error = StreamErrors.TransportClosing with
        {
            Side = StreamSide.Client,
            Cause = cause is IStreamXError ? cause : new IOException(cause?.Message ?? "connection closed by peer", cause),
        };
        foreach (var (id, core) in _streams)
        {
            _streams.TryRemove(id, out _);
            core.OnTransportError(error);
        }
    }

    public void Close(Exception? failure) => _connection.Close(failure);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>The outbound half of one client stream.</summary>
    private sealed class Wire(ClientConnection owner, int id, string method, Action<ClientConnection>? onReleased) : StreamWire
    {
        private int _released;

        public override ValueTask WriteHeaderAsync(IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the client's Header frame is sent when the stream opens");

        public override ValueTask WriteDataAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            owner._connection.SendAsync(StreamFrames.Data(id, method, payload), cancellationToken);

        public override ValueTask WriteTrailerAsync(IReadOnlyDictionary<string, string> trailers, ThriftApplicationException? exception, CancellationToken cancellationToken) =>
            owner._connection.SendAsync(StreamFrames.Trailer(id, method, trailers, exception), cancellationToken);

        public override async ValueTask WriteResetAsync(StreamError error, bool localHalfClosed, CancellationToken cancellationToken)
        {
            await StreamFrames.SendResetAsync(owner._connection, id, method, error, cancellationToken).ConfigureAwait(false);
            if (!localHalfClosed)
            {
                // Kitex sends a Trailer after the Rst when it had not half-closed; some peers need it.
                await owner._connection.SendAsync(StreamFrames.Trailer(id, method), cancellationToken).ConfigureAwait(false);
            }
        }

        public override ValueTask OnRemoteEndedBeforeHalfCloseAsync() =>
            owner._connection.IsClosed ? ValueTask.CompletedTask : owner._connection.SendAsync(StreamFrames.Trailer(id, method));

        public override void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner._streams.TryRemove(id, out _);
                onReleased?.Invoke(owner);
            }
        }
    }
}
