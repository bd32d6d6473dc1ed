using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using StreamX.Thrift;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// Unary calls as a Kitex client makes them on a TTHeader Streaming service: TTHeader unary packets
/// (flags 0, protocol Binary, payload = Framed TMessage) on their own connections, one call at a
/// time per connection, idle connections reused.
/// </summary>
internal sealed class UnaryConnectionPool(TcpDialer dialer, TTHeaderClientOptions options) : IAsyncDisposable
{
    private readonly ConcurrentBag<(Connection Connection, long IdleSince)> _idle = new();
    private readonly ConcurrentDictionary<Connection, byte> _all = new();

    public int OpenConnections => _all.Count;

    public async ValueTask<ReadOnlyMemory<byte>> InvokeAsync(UnaryRequest request, CancellationToken cancellationToken)
    {
        // Headers that cannot be encoded, or a request over FrameLimits.MaxFrameBytes (which a server with the same
        // limits would answer by closing the connection), fail this call alone (12004), before a connection is taken or dialed.
        var headers = new Dictionary<string, string>(request.Headers, StringComparer.Ordinal) { ["isn"] = request.ServiceName };
        if (UnaryTTHeaderCodec.Describe(headers, request.MethodName, request.Arguments.Length, framedPayload: true, options.Limits) is { } problem)
        {
            throw FrameConnection.UnencodableException(problem, StreamSide.Client);
        }

        var connection = await TakeAsync(cancellationToken).ConfigureAwait(false);
        var reusable = false;
        try
        {
            var seq = connection.NextSequenceId();
            var type = request.IsOneway ? ThriftMessageType.Oneway : ThriftMessageType.Call;
            UnaryTTHeaderCodec.Write(connection.Pipe.Output, new UnaryTTHeaderPacket(seq, new UnaryMessage(request.MethodName, type, seq, request.Arguments), headers, framedPayload: true));
            await connection.Pipe.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (request.IsOneway)
            {
                reusable = true;
                return ReadOnlyMemory<byte>.Empty;
            }

            var packet = await ReadReplyAsync(connection.Pipe.Input, cancellationToken).ConfigureAwait(false);
            var reply = packet.Message;
            reusable = true;
            if (BizStatus.FromTrailers(packet.StringHeaders, StreamSide.Client) is { } biz)
            {
                throw biz;
            }

            if (reply.Type == ThriftMessageType.Exception)
            {
                throw ThriftSerializer.Deserialize<ThriftApplicationException>(reply.Body.Span, ThriftProtocol.Binary);
            }

            return reply.Body;
        }
        catch (Exception e) when (e is IOException or SocketException or FrameException)
        {
            throw new StreamXException(StreamErrors.TransportClosing with { Side = StreamSide.Client, Cause = e });
        }
        finally
        {
            if (reusable && !cancellationToken.IsCancellationRequested)
            {
                _idle.Add((connection, Stopwatch.GetTimestamp()));
            }
            else
            {
                // A call abandoned mid-flight leaves a reply in the pipe: the connection cannot be reused.
                await DropAsync(connection).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<UnaryTTHeaderPacket> ReadReplyAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            UnaryTTHeaderPacket? reply;
            bool complete;
            try
            {
                complete = UnaryTTHeaderCodec.TryRead(ref buffer, options.Limits, out reply);
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (complete && reply is not null)
            {
                return reply;
            }

            if (result.IsCompleted)
            {
                throw new IOException("connection closed by peer before the reply");
            }
        }
    }

    private async ValueTask<Connection> TakeAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryTake(out var idle))
        {
            if (!idle.Connection.Closed && !TTHeaderClientTransport.IdleTooLong(idle.IdleSince, options))
            {
                return idle.Connection;
            }

            await DropAsync(idle.Connection).ConfigureAwait(false);
        }

        var dialed = await dialer.DialAsync(cancellationToken).ConfigureAwait(false);
        var connection = new Connection(dialed.Socket, dialed.Stream);
        _all[connection] = 0;
        return connection;
    }

    private async ValueTask DropAsync(Connection connection)
    {
        _all.TryRemove(connection, out _);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the idle connections older than MaxIdleTimeout (or closed by the peer); returns how many.</summary>
    public async Task<int> SweepIdleAsync()
    {
        var closed = 0;
        var keep = new List<(Connection Connection, long IdleSince)>();
        while (_idle.TryTake(out var idle))
        {
            if (idle.Connection.Closed || TTHeaderClientTransport.IdleTooLong(idle.IdleSince, options))
            {
                await DropAsync(idle.Connection).ConfigureAwait(false);
                closed++;
                continue;
            }

            keep.Add(idle);
        }

        foreach (var idle in keep)
        {
            _idle.Add(idle);
        }

        return closed;
    }

    public void CloseConnections()
    {
        foreach (var c in _all.Keys)
        {
            _ = DropAsync(c);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _all.Keys)
        {
            await DropAsync(c).ConfigureAwait(false);
        }
    }

    private sealed class Connection(Socket socket, Stream stream) : IAsyncDisposable
    {
        private readonly Stream _stream = stream;
        private int _sequence;
        private StreamDuplexPipe? _pipe;

        public IDuplexPipe Pipe => _pipe ??= new StreamDuplexPipe(_stream);

        /// <summary>
        /// Whether the connection cannot take another call: its socket is closed, or — checked without blocking — the
        /// peer closed it while it sat idle (a restarted server, an idle timeout in between). An idle connection has
        /// nothing to read, so a readable socket means end of stream (or bytes nobody asked for: not reusable either).
        /// </summary>
        public bool Closed
        {
            get
            {
                try
                {
                    return !socket.Connected || socket.Poll(0, SelectMode.SelectRead);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return true;
                }
            }
        }

        public int NextSequenceId() => Interlocked.Increment(ref _sequence);

        public async ValueTask DisposeAsync()
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
