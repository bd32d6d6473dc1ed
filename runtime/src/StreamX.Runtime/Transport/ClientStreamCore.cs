using System.Runtime.CompilerServices;
using StreamX.Diagnostics;
using StreamX.Thrift;

namespace StreamX.Transport;

/// <summary>
/// The client end of one stream, shared by every transport: state (open, half-closed, ended),
/// the bounded receive buffer, headers and trailers, and the one cancellation owner that turns
/// the caller's token, the ambient server call (cascade), the deadline and the per-receive
/// timeout into a reset with Kitex's codes and canceled path. Transports feed it inbound events
/// (<c>On…</c>) and implement its outbound <see cref="StreamWire"/>.
/// </summary>
/// <remarks>
/// One sender and one receiver may run concurrently; concurrent sends are serialised in call
/// order. Every ending — trailer, reset, local cancel, deadline, transport failure, dispose —
/// releases the wire, the timers and the registrations exactly once.
/// </remarks>
public sealed class ClientStreamCore
{
    private readonly object _gate = new();
    private readonly ReceiveQueue _queue;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource<IReadOnlyDictionary<string, string>> _headers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<IReadOnlyDictionary<string, string>?> _trailers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _abort = new();
    private readonly List<IDisposable> _registrations = new();
    private StreamWire? _wire;
    private Task? _openTask;
    private bool _sendClosed;
    private bool _finished;
    private Exception? _localFailure;
    private Exception? _remoteEnd;
    private StreamError? _pendingResetError;
    private bool _ended;
    private readonly CallTelemetry? _telemetry;

    internal ClientStreamCore(ClientStreamSettings settings, int receiveBufferCapacity, RecvTimeoutConfig? recvTimeout, CallTelemetry? telemetry = null)
    {
        Settings = settings;
        RecvTimeout = recvTimeout;
        _telemetry = telemetry;
        _queue = new ReceiveQueue(receiveBufferCapacity);
        StreamCounters.ClientStreamOpened();
    }

    /// <summary>What was opened.</summary>
    public ClientStreamSettings Settings { get; }

    /// <summary>The per-receive timeout, if any.</summary>
    public RecvTimeoutConfig? RecvTimeout { get; }

    /// <summary>Canceled when the stream ends abnormally on this side; transports abort blocked writes with it.</summary>
    public CancellationToken Aborted => _abort.Token;

    /// <summary>True once the stream has ended (any way) on this side.</summary>
    public bool IsFinished
    {
        get
        {
            lock (_gate)
            {
                return _finished;
            }
        }
    }

    // ------------------------------------------------------------------ inbound (transport)

    /// <summary>The server's Header frame. Returns false for a duplicate (the transport then fails the connection with 12002).</summary>
    public bool OnHeader(IReadOnlyDictionary<string, string> headers) => _headers.TrySetResult(headers);

    /// <summary>One message from the server; waits while the receive buffer is full.</summary>
    public ValueTask OnDataAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) => _queue.EnqueueAsync(payload, cancellationToken);

    /// <summary>
    /// The server's Trailer: the end of the stream. An exception payload becomes 12001; otherwise a
    /// non-zero <c>biz-status</c> becomes a <see cref="BizStatusException"/>; otherwise a normal end.
    /// Either way, queued messages are delivered first.
    /// </summary>
    public void OnTrailer(IReadOnlyDictionary<string, string> trailers, ThriftApplicationException? exception)
    {
        Exception? end = exception is not null
            ? StreamErrors.FromTrailerException(StreamSide.Client, exception).ToException()
            : BizStatus.FromTrailers(trailers, StreamSide.Client);
        bool halfClosed;
        StreamWire? wire;
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            _remoteEnd = end;
            halfClosed = _sendClosed;
            _sendClosed = true;
            wire = _wire;
        }

        if (!halfClosed && wire is not null)
        {
            _ = SafeAsync(wire.OnRemoteEndedBeforeHalfCloseAsync());
        }

        // Release first, publish second: whoever observes the end finds nothing held for the stream.
        Finish();
        _telemetry?.EndRemotely(end);
        _headers.TrySetResult(Metadata.Empty);
        _trailers.TrySetResult(trailers);
        _queue.Complete(end);
    }

    /// <summary>The server (or a proxy) reset the stream: 12009-based error, queued messages first.</summary>
    public void OnReset(ThriftApplicationException? exception, string? canceledPath) =>
        EndRemotely(StreamErrors.FromReset(StreamSide.Client, exception, canceledPath).ToException());

    /// <summary>The connection failed or closed (12006 by default).</summary>
    public void OnTransportError(StreamError error) => EndRemotely(error.WithSide(StreamSide.Client).ToException());

    // ------------------------------------------------------------------ opening (runtime)

    internal void BeginOpen(Func<ClientStreamCore, CancellationToken, ValueTask<StreamWire>> open, CancellationToken cancellationToken)
    {
        _openTask = OpenCoreAsync(open, cancellationToken);
    }

    private async Task OpenCoreAsync(Func<ClientStreamCore, CancellationToken, ValueTask<StreamWire>> open, CancellationToken cancellationToken)
    {
        StreamWire wire;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _abort.Token);
            wire = await open(this, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Recorded as the stream's end; every operation reports it. Transports report connection
            // failures as stream errors themselves; anything else (a middleware refusing) stays as it is.
            EndRemotely(e);
            return;
        }

        bool finished;
        lock (_gate)
        {
            _wire = wire;
            finished = _finished;
        }

        if (finished)
        {
            // Ended while opening: the reset could not be sent before the wire existed.
            if (_pendingResetError is { } reset)
            {
                await SendResetQuietlyAsync(wire, reset, false).ConfigureAwait(false);
            }

            wire.Release();
        }
    }

    private async ValueTask<StreamWire> WireAsync()
    {
        if (_openTask is { } open && !open.IsCompleted)
        {
            await open.ConfigureAwait(false);
        }

        ThrowIfFailed();
        return _wire ?? throw (_remoteEnd ?? StreamErrors.TransportClosing.WithSide(StreamSide.Client).ToException());
    }

    // ------------------------------------------------------------------ operations (typed calls)

    /// <summary>Sends one message. Fails with the stream's error once it ended, or 12005 after CloseSend.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        var wire = await WireAsync().ConfigureAwait(false);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfFailed();
            lock (_gate)
            {
                if (_sendClosed)
                {
                    throw (_remoteEnd is IStreamXError ? _remoteEnd : null) ?? StreamErrors.SendAfterClose(StreamSide.Client).ToException();
                }
            }

            using var linked = Link(cancellationToken);
            try
            {
                await wire.WriteDataAsync(payload, linked?.Token ?? _abort.Token).ConfigureAwait(false);
                _telemetry?.MessageSent(payload.Length);
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                ThrowIfFailed();
                throw;
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Half-closes (Trailer). Idempotent.</summary>
    public async ValueTask CloseSendAsync(CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        var wire = await WireAsync().ConfigureAwait(false);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                if (_sendClosed)
                {
                    return;
                }

                _sendClosed = true;
            }

            await wire.WriteTrailerAsync(Metadata.Empty, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// The next message; null at the normal end; the stream's error otherwise. A canceled
    /// <paramref name="cancellationToken"/> abandons only this wait: no message is lost and the stream stays usable.
    /// </summary>
    // Pooled state machine: this wait suspends for nearly every message of a ping-pong, and only the runtime awaits it (once).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlyMemory<byte>?> RecvAsync(CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        if (RecvTimeout is not { } timeout)
        {
            try
            {
                return Received(await _queue.DequeueAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                ThrowIfFailed();
                throw;
            }
        }

        using var timer = new CancellationTokenSource(timeout.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            return Received(await _queue.DequeueAsync(linked.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            ThrowIfFailed();
            var error = StreamErrors.ReceiveTimeout(timeout);
            if (timeout.DisableCancelRemote)
            {
                throw error.ToException();
            }

            Abort(error, error with { CanceledPath = StreamError.AppendPath(null, Settings.CallerServiceName) }, null);
            ThrowIfFailed();
            throw;
        }
    }

    /// <summary>
    /// <see cref="RecvAsync(CancellationToken)"/> and the decoding in one async method: what typed calls use (one state
    /// machine per waiting receive instead of three).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<T?> RecvAsync<T>(CancellationToken cancellationToken)
        where T : class, IThriftStruct<T>
    {
        if (RecvTimeout is not null)
        {
            return await RecvAsync(cancellationToken).ConfigureAwait(false) is { } timed ? PayloadCodec.Decode<T>(timed, StreamSide.Client) : null;
        }

        ThrowIfFailed();
        ReadOnlyMemory<byte>? message;
        try
        {
            while (!_queue.TryDequeue(out message))
            {
                await _queue.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowIfFailed();
            throw;
        }

        return Received(message) is { } m ? PayloadCodec.Decode<T>(m, StreamSide.Client) : null;
    }

    private ReadOnlyMemory<byte>? Received(ReadOnlyMemory<byte>? message)
    {
        if (message is { } m)
        {
            _telemetry?.MessageReceived(m.Length);
        }

        return message;
    }

    /// <summary>The server's headers (empty when the stream ended without any).</summary>
    public Task<IReadOnlyDictionary<string, string>> GetHeadersAsync(CancellationToken cancellationToken) => _headers.Task.WaitAsync(cancellationToken);

    /// <summary>The server's trailers once the stream ended with a Trailer; null after a reset or local end.</summary>
    public Task<IReadOnlyDictionary<string, string>?> GetTrailersAsync(CancellationToken cancellationToken) => _trailers.Task.WaitAsync(cancellationToken);

    // ------------------------------------------------------------------ cancellation (runtime)

    /// <summary>The caller received the call's one result (client streaming): its telemetry ends as a success.</summary>
    internal void ResultReceived() => _telemetry?.EndOk();

    /// <summary>Adds a registration or timer that <see cref="Finish"/> disposes.</summary>
    internal void Track(IDisposable registration)
    {
        bool finished;
        lock (_gate)
        {
            finished = _finished;
            if (!finished)
            {
                _registrations.Add(registration);
                StreamCounters.RegistrationAdded();
            }
        }

        if (finished)
        {
            registration.Dispose();
        }
    }

    /// <summary>
    /// Ends the stream from this side: local operations throw <paramref name="localException"/> (or
    /// <paramref name="localError"/>'s exception), the peer gets a reset carrying <paramref name="wireError"/>.
    /// </summary>
    internal void Abort(StreamError localError, StreamError wireError, Exception? localException)
    {
        bool halfClosed;
        StreamWire? wire;
        var failure = localException ?? localError.ToException();
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            _pendingResetError = wireError;
            halfClosed = _sendClosed;
            wire = _wire;
        }

        if (wire is not null)
        {
            _ = SendResetQuietlyAsync(wire, wireError, halfClosed);
        }

        // Release first, publish second: whoever observes the failure finds nothing held for the stream.
        Finish();
        _telemetry?.EndLocally(localError, failure);
        Volatile.Write(ref _localFailure, failure);
        _abort.Cancel();
        _queue.Complete(failure);
        _queue.Clear();
        _headers.TrySetResult(Metadata.Empty);
        _trailers.TrySetResult(null);
    }

    private void EndRemotely(Exception end)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            _remoteEnd = end;
            _sendClosed = true;
        }

        Finish();
        _telemetry?.EndRemotely(end);
        _abort.Cancel();
        _headers.TrySetResult(Metadata.Empty);
        _trailers.TrySetResult(null);
        _queue.Complete(end);
    }

    private void Finish()
    {
        StreamWire? wire;
        List<IDisposable> registrations;
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            _finished = true;
            wire = _wire;
            registrations = new List<IDisposable>(_registrations);
            _registrations.Clear();
        }

        foreach (var r in registrations)
        {
            r.Dispose();
            StreamCounters.RegistrationRemoved();
        }

        wire?.Release();
        StreamCounters.ClientStreamClosed();
    }

    private Exception? ThrowIfFailed()
    {
        var failure = Volatile.Read(ref _localFailure);
        if (failure is not null)
        {
            throw failure;
        }

        return null;
    }

    private CancellationTokenSource? Link(CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _abort.Token) : null;

    private static async ValueTask SendResetQuietlyAsync(StreamWire wire, StreamError error, bool halfClosed)
    {
        try
        {
            await wire.WriteResetAsync(error, halfClosed, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The peer is gone or the connection failed: the reset has nowhere to go, and the local
            // side already ended with its own error.
        }
    }

    private static async Task SafeAsync(ValueTask task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Best effort (a compatibility frame); the stream has already ended.
        }
    }
}
