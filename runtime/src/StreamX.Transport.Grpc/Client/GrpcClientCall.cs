using System.Buffers;
using System.Net.Http;
using StreamX.Thrift;

namespace StreamX.Transport.Grpc;

/// <summary>
/// One client stream as one HTTP/2 request: the request body carries the caller's messages (duplex
/// content), a background loop reads response headers, messages and trailers into the
/// <see cref="ClientStreamCore"/>. Ending locally resets the HTTP/2 stream (RST_STREAM CANCEL),
/// preceded by a cancel-details control message when the server confirmed the feature and the
/// request stream is still open.
/// </summary>
internal sealed class GrpcClientCall : StreamWire
{
    private readonly GrpcClientTransport _transport;
    private readonly ClientStreamCore _core;
    private readonly DuplexContent _content;
    private readonly CancellationTokenSource _cts = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private HttpResponseMessage? _response;
    private volatile bool _cancelDetailsConfirmed;
    private volatile bool _responseEnded;
    private int _resetting;
    private int _released;
    private int _canceled;
    private readonly bool _controlMessages;

    public GrpcClientCall(GrpcClientTransport transport, ClientStreamCore core)
    {
        _transport = transport;
        _core = core;
        _content = new DuplexContent(transport.Options.ContentType);
        _controlMessages = transport.Options.CancelDetails == GrpcCancelDetails.Always;
        _cancelDetailsConfirmed = _controlMessages;
    }

    /// <summary>Sends the request headers; returns once the request stream is open (or the call already ended).</summary>
    public async ValueTask<StreamWire> StartAsync(CancellationToken cancellationToken)
    {
        var settings = _core.Settings;
        var request = _transport.CreateRequest(settings.ServiceName, settings.MethodName, settings.Headers, settings.CallerServiceName, settings.Timeout, _content, streaming: true);
        var run = RunAsync(request);
        try
        {
            await Task.WhenAny(_content.Opened, run).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Cancel();
            throw;
        }

        return this;
    }

    // ------------------------------------------------------------------ inbound

    private async Task RunAsync(HttpRequestMessage request)
    {
        HttpResponseMessage response;
        try
        {
            response = await _transport.Invoker.SendAsync(request, _cts.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _content.Abort();
            request.Dispose();
            if (!_cts.IsCancellationRequested)
            {
                _core.OnTransportError(StreamErrors.TransportClosing with { Cause = e });
            }

            return;
        }

        _response = response;
        _content.Accepted(); // the server answered: SocketsHttpHandler will not send the request again
        try
        {
            if (GrpcHttp.CheckHeaders(response) is { } early)
            {
                End(early);
                return;
            }

            var headers = GrpcHttp.Flatten(response.Headers);
            _cancelDetailsConfirmed |= headers.Any(h => h.Key == GrpcProtocol.FeaturesHeader && h.Value.Contains(GrpcProtocol.CancelDetailsFeature, StringComparison.Ordinal));
            _core.OnHeader(GrpcMetadata.FromWire(headers));
            var body = await response.Content.ReadAsStreamAsync(_cts.Token).ConfigureAwait(false);
            await GrpcHttp.ReadMessagesAsync(body, GrpcHttp.Encoding(response), _transport.Options.MaxReceiveMessageSize, m => _core.OnDataAsync(m, _cts.Token), _content.Complete, _cts.Token).ConfigureAwait(false);
            End(GrpcOutcome.From(response.TrailingHeaders));
        }
        catch (GrpcStatusException e)
        {
            // The server broke the protocol (or sent too much): end here and reset the HTTP/2 stream.
            _core.OnTransportError(StreamErrors.IllegalFrame with { Cause = e });
            Cancel();
        }
        catch (Exception) when (_cts.IsCancellationRequested || Volatile.Read(ref _resetting) != 0 || Volatile.Read(ref _canceled) != 0)
        {
            // Ended locally (cancel, deadline, dispose): the core already has its error.
        }
        catch (Exception e)
        {
            _core.OnTransportError(StreamErrors.TransportClosing with { Cause = e });
            Cancel();
        }
        finally
        {
            if (Volatile.Read(ref _resetting) != 0)
            {
                response.Dispose(); // drained (or given up): the HTTP/2 stream is released
            }
        }
    }

    private void End(GrpcOutcome outcome)
    {
        _responseEnded = true;
        if (outcome.IsDeadline && _core.Settings.Timeout is { } timeout)
        {
            // The server's grpc-timeout timer beat this side's own: end exactly as the local deadline would.
            _core.OnTransportError(StreamErrors.Timeout(timeout));
            return;
        }

        outcome.Deliver(_core);
    }

    // ------------------------------------------------------------------ outbound

    public override ValueTask WriteHeaderAsync(IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the client's headers are sent when the stream opens");

    public override ValueTask WriteDataAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        _transport.CheckSize(payload.Length); // the uncompressed size, as grpc-dotnet counts it
        var (bytes, flag) = _transport.Encode(payload);
        return WriteFrameAsync(flag, bytes, cancellationToken);
    }

    public override ValueTask WriteTrailerAsync(IReadOnlyDictionary<string, string> trailers, ThriftApplicationException? exception, CancellationToken cancellationToken)
    {
        if (!_controlMessages)
        {
            _content.Complete(); // END_STREAM after what was written
            return ValueTask.CompletedTask;
        }

        // A StreamX server: half-close in-band, so the request stream stays open for a cancel's details.
        return WriteFrameAsync(GrpcProtocol.ControlFlag, ReadOnlyMemory<byte>.Empty, cancellationToken);
    }

    /// <summary>One length-prefixed message on the request stream, written and flushed in one piece.</summary>
    private async ValueTask WriteFrameAsync(byte flag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        var length = GrpcFraming.PrefixLength + payload.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer[0] = flag;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(1), (uint)payload.Length);
            payload.Span.CopyTo(buffer.AsSpan(GrpcFraming.PrefixLength));
            await _content.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException or InvalidOperationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new StreamXException(StreamErrors.TransportClosing with { Side = StreamSide.Client, Cause = e });
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _writeLock.Release();
        }
    }

    public override async ValueTask WriteResetAsync(StreamError error, bool localHalfClosed, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _resetting, 1);

        // HTTP/2's RST_STREAM carries no reason. A StreamX server that confirmed the feature gets the
        // code and canceled path as a control message (when the request stream is open and no send is
        // blocked on it); the request stream then ends and the server ends the response, so the reason
        // cannot be overtaken by a reset. The response is drained in the background, bounded in time.
        if ((!localHalfClosed || _controlMessages) && _cancelDetailsConfirmed && _content.IsWritable && _writeLock.Wait(0))
        {
            var sent = false;
            try
            {
                var details = new CancelDetails(error.Code, error.WireMessage, error.CanceledPath);
                var frame = GrpcFraming.ToArray(ThriftSerializer.Serialize(details, ThriftProtocol.Binary), GrpcProtocol.ControlFlag);
                await _content.WriteAsync(frame, _cts.Token).AsTask().WaitAsync(DrainTimeout, CancellationToken.None).ConfigureAwait(false);
                sent = true;
            }
            catch (Exception)
            {
                // The reset below still ends the stream on the server.
            }
            finally
            {
                _writeLock.Release();
            }

            if (sent)
            {
                _content.Complete();
                _cts.CancelAfter(DrainTimeout);
                return;
            }
        }

        Cancel();
    }

    /// <summary>How long a canceled call waits for the server to end its response before resetting it.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    public override ValueTask OnRemoteEndedBeforeHalfCloseAsync()
    {
        _content.Complete();
        return ValueTask.CompletedTask;
    }

    public override void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        if (_responseEnded)
        {
            _content.Complete();
            _response?.Dispose();
        }
        else if (Volatile.Read(ref _resetting) == 0)
        {
            Cancel(); // ended without a normal response end and without a reset in flight
        }
    }

    /// <summary>Resets the HTTP/2 stream: cancels the request (RST_STREAM CANCEL) and the reads.</summary>
    private void Cancel()
    {
        if (Interlocked.Exchange(ref _canceled, 1) != 0)
        {
            return;
        }

        // Canceling the token resets the HTTP/2 stream and unwinds the pending reads (exceptions through
        // several async frames, ~0.1 ms here): done on the thread pool, off the path of whoever canceled.
        _content.Abort();
        ThreadPool.UnsafeQueueUserWorkItem(static call =>
        {
            try
            {
                call._cts.Cancel();
            }
            catch (AggregateException)
            {
                // A callback failed; the stream is canceled regardless.
            }

            call._response?.Dispose();
        }, this, preferLocal: false);
    }
}
