using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using StreamX.Thrift;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// The client side of Kitex-compatible TTHeader Streaming over TCP. Streaming methods open ttstream
/// streams on pooled connections; unary methods use TTHeader unary packets on their own
/// connections (as a Kitex client does). Thread-safe; share one per target address.
/// </summary>
public sealed class TTHeaderClientTransport : ClientTransport
{
    private readonly EndPoint _endPoint;
    private readonly TTHeaderClientOptions _options;
    private readonly ClientConnection?[] _mux;
    private readonly SemaphoreSlim[] _muxLocks;
    private readonly ConcurrentBag<(ClientConnection Connection, long IdleSince)> _idle = new();
    private readonly ConcurrentDictionary<ClientConnection, byte> _all = new();
    private readonly UnaryConnectionPool _unary;
    private readonly TcpDialer _dialer;
    private readonly Timer? _sweeper;
    private int _cursor = -1;
    private int _disposed;

    /// <summary>Creates a transport for one server address (for example <c>new IPEndPoint(IPAddress.Loopback, 8888)</c>).</summary>
    public TTHeaderClientTransport(EndPoint endPoint, TTHeaderClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        options ??= new TTHeaderClientOptions();
        options.Validate();
        _endPoint = endPoint;
        _options = options;
        _mux = new ClientConnection?[options.MuxPoolSize];
        _muxLocks = Enumerable.Range(0, options.MuxPoolSize).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
        _dialer = new TcpDialer(endPoint, options);
        _unary = new UnaryConnectionPool(_dialer, options);
        Telemetry = TTHeaderTelemetry.For(endPoint);
        if (options.MaxIdleTimeout is { } idle)
        {
            // The timer holds the transport weakly: an undisposed transport that nobody references can still be collected.
            var state = new SweepState(new WeakReference<TTHeaderClientTransport>(this));
            _sweeper = new Timer(static s => ((SweepState)s!).Run(), state, idle, idle);
            state.Timer = _sweeper;
        }
    }

    /// <summary>Raised after each idle sweep with the number of connections it closed (for tests).</summary>
    internal event Action<int>? IdleSwept;

    /// <inheritdoc />
    public override TransportTelemetry Telemetry { get; }

    /// <summary>Open connections (streaming and unary).</summary>
    public int OpenConnections => _all.Count(c => !c.Key.IsClosed) + _unary.OpenConnections;

    /// <summary>Streaming connections the transport still references (closed ones leave as they close).</summary>
    internal int TrackedStreamingConnections => _all.Count;

    /// <summary>Raised after a closed streaming connection was forgotten (for tests).</summary>
    internal event Action? ConnectionForgotten;

    /// <inheritdoc />
    public override async ValueTask<StreamWire> OpenStreamAsync(ClientStreamCore stream, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);

        // Headers that cannot be encoded fail this call alone, before a connection is taken or dialed.
        ClientConnection.CheckHeader(stream.Settings, _options.Limits);
        switch (_options.PoolMode)
        {
            case ConnectionPoolMode.Mux:
                var slot = (int)((uint)Interlocked.Increment(ref _cursor) % (uint)_mux.Length);
                var connection = await MuxConnectionAsync(slot, cancellationToken).ConfigureAwait(false);
                return await connection.OpenAsync(stream, null, cancellationToken).ConfigureAwait(false);
            case ConnectionPoolMode.Long:
                while (_idle.TryTake(out var idle))
                {
                    if (idle.Connection.IsClosed)
                    {
                        continue;
                    }

                    // Taken exclusively, so closing it here races with no other caller: a connection past its idle
                    // limit, or one whose peer's close is waiting to be read, is replaced by a new dial.
                    if (IdleTooLong(idle.IdleSince, _options) || idle.Connection.IdleButClosedByPeer)
                    {
                        idle.Connection.Close(null);
                        continue;
                    }

                    return await idle.Connection.OpenAsync(stream, ReturnToIdle, cancellationToken).ConfigureAwait(false);
                }

                var fresh = await DialAsync(cancellationToken).ConfigureAwait(false);
                return await fresh.OpenAsync(stream, ReturnToIdle, cancellationToken).ConfigureAwait(false);
            default:
                var single = await DialAsync(cancellationToken).ConfigureAwait(false);
                return await single.OpenAsync(stream, c => c.Close(null), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override ValueTask<ReadOnlyMemory<byte>> InvokeUnaryAsync(UnaryRequest request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _unary.InvokeAsync(request, cancellationToken);
    }

    /// <summary>
    /// Closes every open connection at once (after a network change, say): streams on them fail
    /// with 12006 and the servers' handlers see 12013; the next call dials again.
    /// </summary>
    public void CloseConnections()
    {
        foreach (var c in _all.Keys)
        {
            c.Close(new IOException("connections closed by the client"));
            _all.TryRemove(c, out _);
        }

        _unary.CloseConnections();
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_sweeper is not null)
        {
            await _sweeper.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var c in _all.Keys)
        {
            await c.DisposeAsync().ConfigureAwait(false);
        }

        await _unary.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask<ClientConnection> MuxConnectionAsync(int slot, CancellationToken cancellationToken)
    {
        if (_mux[slot] is { IsClosed: false } live)
        {
            return live;
        }

        await _muxLocks[slot].WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_mux[slot] is { IsClosed: false } raced)
            {
                return raced;
            }

            // An inactive connection in the slot is replaced by a fresh dial (as Kitex's mux pool does).
            var connection = await DialAsync(cancellationToken).ConfigureAwait(false);
            _mux[slot] = connection;
            return connection;
        }
        finally
        {
            _muxLocks[slot].Release();
        }
    }

    private async Task<ClientConnection> DialAsync(CancellationToken cancellationToken)
    {
        var connection = await ClientConnection.ConnectAsync(_dialer, _endPoint, _options, cancellationToken).ConfigureAwait(false);
        _all[connection] = 0;

        // A connection the server (or the network) closed leaves at once: a long-lived client whose servers restart
        // now and then would otherwise keep every dead connection it ever had.
        _ = connection.Closed.ContinueWith(
            static (closedTask, state) =>
            {
                var (owner, closed) = ((TTHeaderClientTransport, ClientConnection))state!;
                owner._all.TryRemove(closed, out _);
                owner.ConnectionForgotten?.Invoke();
            },
            (this, connection),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return connection;
    }

    private void ReturnToIdle(ClientConnection connection)
    {
        if (connection.IsClosed || _disposed != 0 || _idle.Count >= _options.MaxIdleConnections)
        {
            connection.Close(null);
            _all.TryRemove(connection, out _);
            return;
        }

        _idle.Add((connection, Stopwatch.GetTimestamp()));
    }

    /// <summary>Closes the idle connections (Long mode and unary) that have outlived <see cref="TTHeaderClientOptions.MaxIdleTimeout"/>.</summary>
    private async Task SweepIdleAsync()
    {
        var closed = 0;
        var keep = new List<(ClientConnection Connection, long IdleSince)>();
        while (_idle.TryTake(out var idle))
        {
            if (idle.Connection.IsClosed)
            {
                continue;
            }

            if (IdleTooLong(idle.IdleSince, _options) || _disposed != 0)
            {
                idle.Connection.Close(null);
                closed++;
                continue;
            }

            keep.Add(idle);
        }

        foreach (var idle in keep)
        {
            _idle.Add(idle);
        }

        closed += await _unary.SweepIdleAsync().ConfigureAwait(false);
        IdleSwept?.Invoke(closed);
    }

    /// <summary>The sweep timer's state: the transport, weakly; the timer stops itself once the transport is gone.</summary>
    private sealed class SweepState(WeakReference<TTHeaderClientTransport> transport)
    {
        private int _running;

        public Timer? Timer { get; set; }

        public void Run()
        {
            if (!transport.TryGetTarget(out var owner))
            {
                Timer?.Dispose();
                return;
            }

            if (owner._disposed != 0 || Interlocked.Exchange(ref _running, 1) != 0)
            {
                return;
            }

            _ = owner.SweepIdleAsync().ContinueWith(
                static (_, s) => Volatile.Write(ref ((SweepState)s!)._running, 0),
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>Whether a connection idle since <paramref name="idleSince"/> has outlived <see cref="TTHeaderClientOptions.MaxIdleTimeout"/>.</summary>
    internal static bool IdleTooLong(long idleSince, TTHeaderClientOptions options) =>
        options.MaxIdleTimeout is { } limit && Stopwatch.GetElapsedTime(idleSince) > limit;
}
