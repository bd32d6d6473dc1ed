using System.Runtime.CompilerServices;
using StreamX.Diagnostics;
using StreamX.Thrift;

namespace StreamX.Transport;

/// <summary>
/// The server end of one stream, shared by every transport: the handler's cancellation token with
/// its reason (a reset from the client, the connection closing, the server stopping, the handler
/// returning), the bounded receive buffer, response headers and trailers, and the frame order
/// Header → Data* → Trailer.
/// </summary>
/// <remarks>
/// A handler may receive and send concurrently; concurrent sends are serialised in call order.
/// </remarks>
public sealed class ServerStreamCore
{
    private readonly object _gate = new();
    private readonly ReceiveQueue _queue;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _cts = new();
    private readonly StreamWire _wire;
    private readonly Dictionary<string, string> _headers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _trailers = new(StringComparer.Ordinal);
    private StreamError? _reason;
    private Exception? _headerFailure;
    private Exception? _encodingFailure;
    private bool _headerSent;
    private bool _trailerSent;
    private bool _reset;
    private bool _finished;

    /// <summary>Creates the server end of a stream a client opened.</summary>
    /// <param name="serviceName">The IDL service name.</param>
    /// <param name="methodName">The IDL method name.</param>
    /// <param name="requestHeaders">The client's headers (metainfo included).</param>
    /// <param name="wire">The transport's outbound half.</param>
    /// <param name="receiveBufferCapacity">Messages buffered before the sender waits.</param>
    /// <param name="peer">The client's address, for logs and the call context.</param>
    public ServerStreamCore(string serviceName, string methodName, IReadOnlyDictionary<string, string> requestHeaders, StreamWire wire, int receiveBufferCapacity, string? peer)
    {
        ServiceName = serviceName;
        MethodName = methodName;
        RequestHeaders = requestHeaders;
        Peer = peer;
        _wire = wire;
        _queue = new ReceiveQueue(receiveBufferCapacity);
        StreamCounters.ServerStreamOpened();
    }

    /// <summary>The IDL service name.</summary>
    public string ServiceName { get; }

    /// <summary>The IDL method name.</summary>
    public string MethodName { get; }

    /// <summary>The client's headers.</summary>
    public IReadOnlyDictionary<string, string> RequestHeaders { get; }

    /// <summary>The client's address, or null.</summary>
    public string? Peer { get; }

    /// <summary>
    /// What traces and metrics record about the transport and connection this stream arrived on. Set
    /// by the transport (one instance per connection, not per stream); <see cref="TransportTelemetry.Unknown"/> by default.
    /// </summary>
    public TransportTelemetry TransportTelemetry { get; init; } = TransportTelemetry.Unknown;

    /// <summary>The handler's telemetry (message counts, message events), set by the dispatcher when something listens.</summary>
    internal CallTelemetry? Telemetry { get; set; }

    /// <summary>The handler's token: fires when the stream is reset, the connection closes, the server stops or the handler returns.</summary>
    public CancellationToken CancellationToken => _cts.Token;

    /// <summary>Why <see cref="CancellationToken"/> fired, or null while it has not.</summary>
    public StreamError? CancelReason
    {
        get
        {
            lock (_gate)
            {
                return _reason;
            }
        }
    }

    /// <summary>
    /// The header or trailer the transport could not encode (12004, naming the key and the limit), or
    /// null. The client was told in the Trailer; the dispatcher logs it.
    /// </summary>
    internal Exception? EncodingFailure
    {
        get
        {
            lock (_gate)
            {
                return _encodingFailure;
            }
        }
    }

    // ------------------------------------------------------------------ inbound (transport)

    /// <summary>One message from the client; waits while the receive buffer is full.</summary>
    public ValueTask OnDataAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) => _queue.EnqueueAsync(payload, cancellationToken);

    /// <summary>The client half-closed: receives drain the buffer, then end.</summary>
    public void OnTrailer(IReadOnlyDictionary<string, string> trailers, ThriftApplicationException? exception)
    {
        Exception? end = exception is not null
            ? StreamErrors.FromTrailerException(StreamSide.Server, exception).ToException()
            : BizStatus.FromTrailers(trailers, StreamSide.Server);
        _queue.Complete(end);
    }

    /// <summary>The client reset the stream (12010-based, with the client's code and path): the handler's token fires.</summary>
    public void OnReset(ThriftApplicationException? exception, string? canceledPath)
    {
        lock (_gate)
        {
            _reset = true;
        }

        Cancel(StreamErrors.FromReset(StreamSide.Server, exception, canceledPath));
    }

    /// <summary>The connection closed (12013, no side): the handler's token fires.</summary>
    public void OnConnectionClosed(Exception? cause)
    {
        lock (_gate)
        {
            _reset = true;
        }

        Cancel(StreamErrors.ConnectionClosed with { Cause = cause });
    }

    /// <summary>
    /// Abandons the stream from the server side (a handler that outlived the shutdown grace period):
    /// the handler's token fires, the client gets a reset with <paramref name="reason"/>, and nothing
    /// more is sent when the handler eventually returns.
    /// </summary>
    public async Task ResetAsync(StreamError reason)
    {
        lock (_gate)
        {
            if (_reset || _finished)
            {
                return;
            }

            _reset = true;
        }

        Cancel(reason);
        try
        {
            await _wire.WriteResetAsync(reason, localHalfClosed: false, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The connection is already gone: the client learns it from the transport.
        }
    }

    /// <summary>
    /// Fires the handler's token with a reason (first reason wins); pending operations fail with it. The token fires
    /// first: a handler whose receive or send fails with the reason finds its token already canceled.
    /// </summary>
    public void Cancel(StreamError reason)
    {
        lock (_gate)
        {
            if (_reason is not null)
            {
                return;
            }

            _reason = reason;
        }

        try
        {
            _cts.Cancel();
        }
        catch (AggregateException)
        {
            // A callback registered by user code threw; the stream is canceled regardless.
        }

        _queue.Complete(reason.ToException(_cts.Token));
        _queue.Clear();
    }

    // ------------------------------------------------------------------ operations (handler)

    /// <summary>The next message; null after the client half-closed; the cancel reason once canceled.</summary>
    // Pooled state machine: this wait suspends for nearly every message of a ping-pong, and only the runtime awaits it (once).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlyMemory<byte>?> RecvAsync(CancellationToken cancellationToken)
    {
        ThrowIfCanceled();
        try
        {
            var message = await _queue.DequeueAsync(cancellationToken).ConfigureAwait(false);
            if (message is { } m)
            {
                Telemetry?.MessageReceived(m.Length);
            }

            return message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowIfCanceled();
            throw;
        }
    }

    /// <summary>
    /// <see cref="RecvAsync(CancellationToken)"/> and the decoding in one async method: what handler readers use (one
    /// state machine per waiting receive instead of three).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<T?> RecvAsync<T>(CancellationToken cancellationToken)
        where T : class, IThriftStruct<T>
    {
        ThrowIfCanceled();
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
            ThrowIfCanceled();
            throw;
        }

        if (message is not { } m)
        {
            return null;
        }

        Telemetry?.MessageReceived(m.Length);
        return PayloadCodec.Decode<T>(m, StreamSide.Server);
    }

    /// <summary>Sends one message, the pending Header first if it was not sent yet.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ThrowIfCanceled();
        // Handlers usually pass their own call token: nothing to link then.
        using var linked = cancellationToken.CanBeCanceled && cancellationToken != _cts.Token
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cts.Token)
            : null;
        var token = linked?.Token ?? _cts.Token;
        await _sendLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            ThrowIfCanceled();
            await EnsureHeaderSentAsync(token).ConfigureAwait(false);
            await _wire.WriteDataAsync(payload, token).ConfigureAwait(false);
            Telemetry?.MessageSent(payload.Length);
        }
        catch (Exception) when (_cts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Canceled meanwhile (a wire may see the client's reset as a failed write before the stream learns why):
            // the send fails with the cancel reason, as every operation of a canceled stream does.
            ThrowIfCanceled();
            throw;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Merges response headers; fails once they were sent (<c>stream header already sent</c>).</summary>
    public void SetHeader(IEnumerable<KeyValuePair<string, string>> headers)
    {
        lock (_gate)
        {
            if (_headerSent)
            {
                throw new InvalidOperationException("stream header already sent");
            }

            foreach (var (k, v) in headers)
            {
                _headers[k] = v;
            }
        }
    }

    /// <summary>Merges and sends the response headers now; fails if they were already sent.</summary>
    public async ValueTask SendHeaderAsync(IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        SetHeader(headers);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfCanceled();
            await EnsureHeaderSentAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Merges trailers, sent when the handler returns; fails once sent (<c>stream trailer already sent</c>).</summary>
    public void SetTrailer(IEnumerable<KeyValuePair<string, string>> trailers)
    {
        lock (_gate)
        {
            if (_trailerSent)
            {
                throw new InvalidOperationException("stream trailer already sent");
            }

            foreach (var (k, v) in trailers)
            {
                _trailers[k] = v;
            }
        }
    }

    /// <summary>
    /// Ends the stream after the handler returned (spec §3.5): the token fires with 12012; unless the
    /// stream was reset, the Header is sent if it was not, then the Trailer with the trailers and
    /// the outcome — nothing, a business status, or the exception.
    /// </summary>
    /// <param name="handlerError">What the handler threw, or null.</param>
    /// <param name="methodDisplayName"><c>Service.Method</c>, for messages.</param>
    public async Task CompleteAsync(Exception? handlerError, string methodDisplayName)
    {
        bool reset;
        lock (_gate)
        {
            reset = _reset;
        }

        Cancel(StreamErrors.HandlerReturned with { Side = StreamSide.Server });
        try
        {
            if (reset)
            {
                return; // the client is gone; nothing it would read
            }

            IReadOnlyDictionary<string, string> trailers;
            ThriftApplicationException? exception = null;
            lock (_gate)
            {
                _trailerSent = true;
                var map = new Dictionary<string, string>(_trailers, StringComparer.Ordinal);
                if (handlerError is BizStatusException biz)
                {
                    foreach (var (k, v) in BizStatus.ToTrailers(biz))
                    {
                        map[k] = v;
                    }
                }
                else if (handlerError is not null)
                {
                    exception = ToApplicationException(handlerError, methodDisplayName);
                }

                trailers = map;
            }

            await _sendLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                Exception? headerFailure;
                lock (_gate)
                {
                    headerFailure = _headerFailure;
                }

                if (headerFailure is null)
                {
                    try
                    {
                        await EnsureHeaderSentAsync(CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception e) when (IsUnencodable(e))
                    {
                        headerFailure = e;
                    }
                }

                if (headerFailure is not null)
                {
                    // The Header could not be encoded: an empty one keeps the frame order, and the
                    // Trailer tells the client why (whatever the handler did after its send failed).
                    await _wire.WriteHeaderAsync(Metadata.Empty, CancellationToken.None).ConfigureAwait(false);
                    exception = ToApplicationException(headerFailure, methodDisplayName);
                }

                try
                {
                    await _wire.WriteTrailerAsync(trailers, exception, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (IsUnencodable(e))
                {
                    // The trailers could not be encoded: the client gets a Trailer that says so instead.
                    lock (_gate)
                    {
                        _encodingFailure = e;
                    }

                    await _wire.WriteTrailerAsync(Metadata.Empty, ToApplicationException(e, methodDisplayName), CancellationToken.None).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception)
        {
            // Only the wire writes can fail here, and only because the connection is gone: the
            // trailer has nowhere to go, and the handler's outcome was already decided.
        }
        finally
        {
            Finish();
        }
    }

    /// <summary>
    /// The exception a failed handler's Trailer carries (spec §3.5): a Thrift application exception
    /// as is; a stream error with its code and full text; anything else as type 6 <c>biz error: …</c>.
    /// </summary>
    public static ThriftApplicationException ToApplicationException(Exception error, string methodDisplayName)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            ThriftApplicationException app => app,
            IStreamXError x => new ThriftApplicationException(x.Error.Code, x.Error.Text),
            UnknownMethodException u => new ThriftApplicationException(u.ApplicationExceptionType, u.Message),
            _ => new ThriftApplicationException(6, "biz error: " + error.Message),
        };
    }

    private async ValueTask EnsureHeaderSentAsync(CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string> headers;
        lock (_gate)
        {
            if (_headerFailure is { } failure)
            {
                // The Header could not be encoded: nothing can follow it (the Trailer reports it).
                throw failure;
            }

            if (_headerSent)
            {
                return;
            }

            _headerSent = true;
            headers = new Dictionary<string, string>(_headers, StringComparer.Ordinal);
        }

        try
        {
            await _wire.WriteHeaderAsync(headers, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnencodable(e))
        {
            lock (_gate)
            {
                _headerFailure = e;
                _encodingFailure = e;
            }

            throw;
        }
    }

    /// <summary>A write the transport refused because the frame cannot be encoded (see <see cref="StreamWire"/>).</summary>
    private static bool IsUnencodable(Exception e) => e is StreamXException x && x.Error.IsKind(StreamErrors.IllegalFrame);

    private void ThrowIfCanceled()
    {
        StreamError? reason;
        lock (_gate)
        {
            reason = _reason;
        }

        // Only once the token has fired (Cancel sets the reason just before it fires the token).
        if (reason is not null && _cts.IsCancellationRequested)
        {
            throw reason.ToException(_cts.Token);
        }
    }

    private void Finish()
    {
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            _finished = true;
        }

        _wire.Release();
        StreamCounters.ServerStreamClosed();
    }
}
