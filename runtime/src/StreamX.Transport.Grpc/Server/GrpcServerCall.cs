using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using StreamX.Thrift;

namespace StreamX.Transport.Grpc;

/// <summary>
/// The server end of one gRPC stream on Kestrel: the outbound <see cref="StreamWire"/> (response
/// headers, length-prefixed messages, trailers with the status) and the loop that reads the request
/// body into the <see cref="ServerStreamCore"/>. Writes are serialised by one lock, so a reset from a
/// graceful stop never interleaves with a handler's send.
/// </summary>
internal sealed class GrpcServerCall : StreamWire
{
    // Messages queued for the writer before a send waits (the writer coalesces them into one flush).
    private const int QueueCapacity = 64;

    private readonly HttpContext _context;
    private readonly string _contentType;
    private readonly bool _cancelDetails;
    private readonly GrpcServerOptions _options;
    private readonly Channel<Op> _queue = Channel.CreateBounded<Op>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private Task? _writer;
    private bool _ending;
    private Exception? _writeFailure;

    /// <summary>What a handler sees when the client resets the HTTP/2 stream without saying why.</summary>
    public static readonly ThriftApplicationException ResetException = new(StreamErrors.CanceledByUpstream.Code, "the client reset the HTTP/2 stream (RST_STREAM)");

    private readonly string? _caller;

    public GrpcServerCall(HttpContext context, string contentType, bool cancelDetails, GrpcServerOptions options, string? caller)
    {
        _caller = caller;
        _context = context;
        _contentType = contentType;
        _cancelDetails = cancelDetails;
        _options = options;
    }

    /// <summary>What a client's RST_STREAM does to the stream (set by the handler, which knows the call's deadline); null: a reset (12010).</summary>
    public Action? OnClientReset { get; set; }

    /// <summary>The stream this wire belongs to (set right after construction).</summary>
    public ServerStreamCore Core { get; set; } = null!;

    /// <summary>
    /// True when the client half-closes in-band and keeps its request stream open (the <c>half-close</c>
    /// feature): before the trailers the server asks it to end the request stream and waits for that.
    /// </summary>
    public bool InbandHalfClose { get; init; }

    /// <summary>The request's <c>grpc-encoding</c> (one StreamX decodes): how its compressed messages are compressed.</summary>
    public string? RequestEncoding { get; init; }

    /// <summary>How response messages are compressed (negotiated with the client's <c>grpc-accept-encoding</c>).</summary>
    public GrpcCompression ResponseCompression { get; init; }

    /// <summary>The limit a decompressed request message is held to, as error messages name it.</summary>
    internal const string ReceiveLimit = "GrpcServerOptions.MaxReceiveMessageSize";

    /// <summary>The request-body reader (set by the handler once started).</summary>
    public Task? Reading { get; set; }

    /// <summary>Completes when the stream is over on this side.</summary>
    public Task Released => _released.Task;

    /// <summary>Completes when the writer has ended the response (or given up on a gone client).</summary>
    public Task Written => _writer ?? Task.CompletedTask;

    /// <summary>How long the end of a response waits for an in-band half-closing client to end its request stream.</summary>
    private static readonly TimeSpan RequestEndTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Starts the writer: one loop per stream writes queued operations in order, flushing once per batch.</summary>
    public void Start() => _writer = Task.Run(WriteLoopAsync);

    private abstract record Op;

    private sealed record HeaderOp(IReadOnlyDictionary<string, string> Headers) : Op;

    private sealed record DataOp(ReadOnlyMemory<byte> Payload, byte Flag) : Op;

    private sealed record EndOp(GrpcStatusCode Status, string Message, List<KeyValuePair<string, string>> Trailers) : Op;

    // ------------------------------------------------------------------ outbound

    public override ValueTask WriteHeaderAsync(IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        foreach (var (key, value) in headers)
        {
            // Checked before anything is queued: a header that cannot travel fails the send, not the stream.
            _ = GrpcMetadata.ToWireName(key, "response header");
            GrpcMetadata.CheckValue(key, value, "response header");
        }

        return EnqueueAsync(new HeaderOp(headers), cancellationToken);
    }

    public override ValueTask WriteDataAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (payload.Length > _options.MaxSendMessageSize)
        {
            throw new StreamXException(StreamErrors.IllegalOperation with
            {
                Side = StreamSide.Server,
                Cause = new GrpcStatusException(GrpcStatusCode.ResourceExhausted, $"trying to send a message larger than max ({payload.Length} vs. {_options.MaxSendMessageSize})"),
            });
        }

        // Compressed here, on the sender's thread, so the writer loop only copies bytes.
        var (bytes, flag) = GrpcMessageCodec.Encode(payload, ResponseCompression, _options.CompressionLevel);
        return EnqueueAsync(new DataOp(bytes, flag), cancellationToken);
    }

    public override ValueTask WriteTrailerAsync(IReadOnlyDictionary<string, string> trailers, ThriftApplicationException? exception, CancellationToken cancellationToken)
    {
        var extra = new List<KeyValuePair<string, string>>();
        GrpcStatusCode status;
        string message;
        if (exception is not null)
        {
            status = GrpcErrors.ForApplicationException(exception);
            message = exception.Message;
            extra.Add(new(GrpcProtocol.ExceptionTypeTrailer, exception.Type.ToString(CultureInfo.InvariantCulture)));
        }
        else if (BizStatus.FromTrailers(trailers, StreamSide.Server) is BizStatusException biz)
        {
            // As Kitex: a business status travels as INTERNAL with the biz-* trailers.
            status = GrpcStatusCode.Internal;
            message = biz.StatusMessage;
        }
        else
        {
            status = GrpcStatusCode.OK;
            message = string.Empty;
        }

        // A user trailer that cannot travel turns the end into an error that names it, never a silent drop.
        var all = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in trailers)
        {
            try
            {
                all.Add(new(GrpcMetadata.ToWireName(key, "trailer"), GrpcMetadata.CheckValue(key, value, "trailer")));
            }
            catch (ArgumentException e) when (status == GrpcStatusCode.OK)
            {
                status = GrpcStatusCode.Internal;
                message = e.Message;
                extra.Add(new(GrpcProtocol.ExceptionTypeTrailer, "6"));
            }
            catch (ArgumentException)
            {
                // Already failing: the status says why.
            }
        }

        all.AddRange(extra);
        return EndAsync(new EndOp(status, message, all), cancellationToken);
    }

    public override ValueTask WriteResetAsync(StreamError error, bool localHalfClosed, CancellationToken cancellationToken)
    {
        var trailers = new List<KeyValuePair<string, string>>
        {
            new(GrpcProtocol.ResetTrailer, error.Code.ToString(CultureInfo.InvariantCulture)),
        };
        if (!string.IsNullOrEmpty(error.CanceledPath) && error.CanceledPath.AsSpan().IndexOfAny('\r', '\n', '\0') < 0)
        {
            trailers.Add(new(GrpcProtocol.CanceledPathTrailer, error.CanceledPath));
        }

        if (TryEnqueueEnd(new EndOp(GrpcErrors.ForReset(error), error.WireMessage, trailers)) is false)
        {
            // The queue is full (the client stopped reading): reset the HTTP/2 stream instead of waiting.
            _queue.Writer.TryComplete();
            _context.Features.Get<IHttpResetFeature>()?.Reset(8); // CANCEL
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Queues the end of the response unless it is already ending: null when it was, true when queued,
    /// false when the queue is full (the end is then the caller's to deliver; no more writes are accepted).
    /// </summary>
    private bool? TryEnqueueEnd(EndOp end)
    {
        lock (_gate)
        {
            if (_ending)
            {
                return null;
            }

            _ending = true;
            if (!_queue.Writer.TryWrite(end))
            {
                return false;
            }
        }

        _queue.Writer.TryComplete();
        return true;
    }

    public override void Release()
    {
        lock (_gate)
        {
            _ending = true;
        }

        _queue.Writer.TryComplete();
        _released.TrySetResult();
    }

    private ValueTask EnqueueAsync(Op op, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_writeFailure is { } failure)
            {
                return WriteFailedAsync(failure);
            }

            if (_ending)
            {
                throw new StreamXException(StreamErrors.TransportClosing with { Side = StreamSide.Server, Cause = new InvalidOperationException("the gRPC response has already ended") });
            }

            if (_queue.Writer.TryWrite(op))
            {
                return ValueTask.CompletedTask;
            }
        }

        return SlowEnqueueAsync(op, cancellationToken);
    }

    /// <summary>
    /// A send after the response side failed: 12006. A client's reset usually fails the response before the read loop,
    /// which tells a reset from a lost connection, has cancelled the stream with its reason; while the request body is
    /// open the read loop sees the same reset at once, so the send waits for it (bounded by
    /// <see cref="ResetSettleTime"/>) and the stream core then reports the reset's reason (12007) instead of 12006.
    /// </summary>
    private async ValueTask WriteFailedAsync(Exception failure)
    {
        if (Reading is { IsCompleted: false } reading)
        {
            try
            {
                await reading.WaitAsync(ResetSettleTime).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Not over in time, or the read loop failed: the send fails with 12006 below.
            }
        }

        throw new StreamXException(StreamErrors.TransportClosing with { Side = StreamSide.Server, Cause = failure });
    }

    /// <summary>The longest a send after a failed write waits for the read loop to report the reset behind it.</summary>
    private static readonly TimeSpan ResetSettleTime = TimeSpan.FromSeconds(1);

    private async ValueTask SlowEnqueueAsync(Op op, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(op, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            throw new StreamXException(StreamErrors.TransportClosing with { Side = StreamSide.Server, Cause = (Exception?)_writeFailure ?? e });
        }
    }

    private ValueTask EndAsync(EndOp end, CancellationToken cancellationToken) =>
        TryEnqueueEnd(end) is false ? SlowEndAsync(end, cancellationToken) : ValueTask.CompletedTask;

    private async ValueTask SlowEndAsync(EndOp end, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(end, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // Released or failed meanwhile: nothing to end.
        }
        finally
        {
            _queue.Writer.TryComplete();
        }
    }

    private async Task WriteLoopAsync()
    {
        var response = _context.Response;
        var reader = _queue.Reader;
        var started = false;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var op))
                {
                    switch (op)
                    {
                        case HeaderOp header:
                            if (!started)
                            {
                                StartResponse(response);
                                foreach (var (key, value) in header.Headers)
                                {
                                    response.Headers.Append(GrpcMetadata.ToWireName(key, "response header"), value);
                                }

                                started = true;
                                await response.StartAsync().ConfigureAwait(false);
                            }

                            break;
                        case DataOp data:
                            if (!started)
                            {
                                StartResponse(response);
                                started = true;
                            }

                            GrpcFraming.Write(response.BodyWriter, data.Payload.Span, data.Flag);
                            break;
                        case EndOp end:
                            if (InbandHalfClose && Reading is { IsCompleted: false } reading)
                            {
                                // The client's request stream is still open (in-band half-close). Ending the response
                                // now would make Kestrel reset it, and SocketsHttpHandler fails a response it has not
                                // read yet when the connection then closes (a server stop). So: ask the client to end
                                // its request stream (an empty control message), wait for that, then the trailers.
                                if (!started)
                                {
                                    StartResponse(response);
                                    started = true;
                                }

                                GrpcFraming.Write(response.BodyWriter, ReadOnlySpan<byte>.Empty, GrpcProtocol.ControlFlag);
                                await response.BodyWriter.FlushAsync().ConfigureAwait(false);
                                try
                                {
                                    await reading.WaitAsync(RequestEndTimeout).ConfigureAwait(false);
                                }
                                catch (TimeoutException)
                                {
                                    // A client that does not end is reset by Kestrel with the response's end.
                                }
                            }

                            if (!started && !response.HasStarted)
                            {
                                // Nothing sent yet: a trailers-only response (no messages, so no grpc-encoding).
                                StartResponse(response, messages: false);
                                Set(response.Headers, end);
                            }
                            else
                            {
                                var collected = new HeaderDictionary();
                                Set(collected, end);
                                foreach (var (name, values) in collected)
                                {
                                    response.AppendTrailer(name, values);
                                }
                            }

                            await response.CompleteAsync().ConfigureAwait(false);
                            return;
                    }
                }

                var flush = await response.BodyWriter.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    throw new IOException("the client is gone");
                }
            }
        }
        catch (Exception e)
        {
            // The client is gone (or the response broke): later sends fail with 12006.
            lock (_gate)
            {
                _writeFailure = e;
                _ending = true;
            }

            _queue.Writer.TryComplete(e);
        }
    }

    private void StartResponse(HttpResponse response, bool messages = true)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = _contentType;
        if (messages && ResponseCompression != GrpcCompression.None)
        {
            response.Headers[GrpcProtocol.EncodingHeader] = GrpcMessageCodec.Name(ResponseCompression);
        }

        if (_cancelDetails)
        {
            response.Headers[GrpcProtocol.FeaturesHeader] = GrpcProtocol.CancelDetailsFeature;
        }
    }

    private static void Set(IHeaderDictionary headers, EndOp end)
    {
        headers[GrpcProtocol.StatusHeader] = ((int)end.Status).ToString(CultureInfo.InvariantCulture);
        if (end.Message.Length > 0)
        {
            headers[GrpcProtocol.MessageHeader] = GrpcProtocol.EncodeMessage(end.Message);
        }

        foreach (var (name, value) in end.Trailers)
        {
            headers.Append(name, value);
        }
    }

    // ------------------------------------------------------------------ inbound

    /// <summary>Kestrel's abort reason for a stream the client reset (RST_STREAM).</summary>
    private static bool IsClientReset(IOException e) => e.Message.StartsWith("The client reset the request stream", StringComparison.Ordinal);

    /// <summary>
    /// After the request body ended: true when Kestrel aborted this request because the client reset
    /// the stream. Kestrel poisons the body reader with its first abort reason, so a connection close
    /// right after the RST_STREAM (grpc-js closes its connection once its last call ended) cannot hide
    /// the reset, whereas the connection's closed token may already have fired by the time the
    /// request's aborted token (signalled through the thread pool) runs its callbacks.
    /// </summary>
    public bool WasResetByClient()
    {
        var reader = _context.Request.BodyReader;
        try
        {
            if (reader.TryRead(out var result))
            {
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }

            return false;
        }
        catch (IOException e) when (IsClientReset(e))
        {
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads the request body into the stream: messages, then the half-close at END_STREAM; a
    /// cancel-details control message resets the stream with the client's code and path.
    /// </summary>
    public async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var reader = _context.Request.BodyReader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    return;
                }

                var buffer = result.Buffer;
                try
                {
                    while (GrpcFraming.TryRead(ref buffer, _options.MaxReceiveMessageSize, out var frame))
                    {
                        if (frame.Flag == GrpcProtocol.ControlFlag && _cancelDetails && frame.Payload.IsEmpty)
                        {
                            Core.OnTrailer(Metadata.Empty, null); // in-band half-close (the client keeps the stream open for a cancel's details)
                            continue;
                        }

                        if (frame.Flag == GrpcProtocol.ControlFlag && _cancelDetails)
                        {
                            // The client canceled and says why; it ends its request stream next and waits
                            // for this response to end, so the reason is never raced by a reset.
                            var details = ThriftSerializer.Deserialize<CancelDetails>(frame.Payload, ThriftProtocol.Binary);
                            Core.OnReset(details.ToApplicationException(), details.CanceledPath);
                            await EndAsync(new EndOp(GrpcStatusCode.Cancelled, details.Message, []), CancellationToken.None).ConfigureAwait(false);
                            return;
                        }

                        await Core.OnDataAsync(GrpcMessageCodec.ReadPayload(frame, RequestEncoding, _options.MaxReceiveMessageSize, ReceiveLimit, "client"), cancellationToken).ConfigureAwait(false);
                    }

                    if (result.IsCompleted)
                    {
                        if (!buffer.IsEmpty)
                        {
                            throw new GrpcStatusException(GrpcStatusCode.Internal, $"the request body ended inside a message ({buffer.Length} byte(s) left over)");
                        }

                        Core.OnTrailer(Metadata.Empty, null);
                        return;
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        catch (GrpcStatusException e)
        {
            await Core.ResetAsync(StreamErrors.IllegalFrame with { Side = StreamSide.Server, Cause = e }).ConfigureAwait(false);
        }
        catch (ThriftProtocolException e)
        {
            await Core.ResetAsync(StreamErrors.IllegalFrame with { Side = StreamSide.Server, Cause = new GrpcStatusException(GrpcStatusCode.Internal, "malformed cancel-details control message: " + e.Message) }).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The stream is over on this side.
        }
        catch (IOException e) when (IsClientReset(e))
        {
            if (OnClientReset is { } onClientReset)
            {
                onClientReset();
            }
            else
            {
                Core.OnReset(ResetException, _caller);
            }
        }
        catch (Exception e) when (e is IOException or ConnectionAbortedException or BadHttpRequestException or InvalidOperationException)
        {
            Core.OnConnectionClosed(e);
        }
    }
}
