using System.Net;
using System.Net.Http;

namespace StreamX.Transport.Grpc;

/// <summary>
/// The request body of a streaming call: HttpClient hands over the HTTP/2 request stream, messages are
/// written to it as the caller sends them (<see cref="WriteAsync"/>), and the body ends (END_STREAM) on
/// <see cref="Complete"/>.
/// </summary>
/// <remarks>
/// SocketsHttpHandler sends a request again, on a new HTTP/2 stream, when the server refused the first one
/// unprocessed (RST_STREAM REFUSED_STREAM, which Kestrel sends when a client opens streams faster than it retires
/// them, or a GOAWAY): it then asks this content to serialize itself a second time. Everything written to the
/// refused stream never reached the server, so until the server has answered (<see cref="Accepted"/>; no retry
/// happens after that) every frame is kept and written again, in order, on the new stream. Writers always write
/// to the current stream; one blocked on a refused stream is released and its frame goes out with the replay.
/// </remarks>
internal sealed class DuplexContent : HttpContent
{
    /// <summary>How much a request may have written before its acceptance and still be sent again (1 MiB).</summary>
    internal const int MaxReplayBytes = 1024 * 1024;

    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _io = new(1, 1);
    private readonly object _gate = new();
    private Stream? _stream;
    private CancellationTokenSource _attempt = new();
    private List<ReadOnlyMemory<byte>>? _replay = new();
    private long _replayBytes;
    private bool _replayDropped;
    private int _serializations;

    public DuplexContent(string contentType)
    {
        Headers.TryAddWithoutValidation("Content-Type", contentType);
    }

    /// <summary>Completes once the request headers went out and messages can be written.</summary>
    public Task Opened => _opened.Task;

    /// <summary>True while messages can be written (opened, not yet ended).</summary>
    public bool IsWritable => _opened.Task.IsCompletedSuccessfully && !_done.Task.IsCompleted;

    /// <summary>The server answered: the request will not be sent again, nothing more is kept for a replay.</summary>
    public void Accepted()
    {
        lock (_gate)
        {
            _replay = null;
        }
    }

    /// <summary>
    /// Writes one whole frame (length-prefixed message) and flushes it, in order with every other frame. Waits for
    /// the request stream to open first.
    /// </summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _opened.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _io.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Stream stream;
            CancellationToken attempt;
            lock (_gate)
            {
                stream = _stream!;
                attempt = _attempt.Token;
                if (_replay is not null)
                {
                    if (_replayBytes + frame.Length <= MaxReplayBytes)
                    {
                        _replay.Add(frame.ToArray());
                        _replayBytes += frame.Length;
                    }
                    else
                    {
                        _replay = null;
                        _replayDropped = true;
                    }
                }
            }

            using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attempt) : null;
            var token = linked?.Token ?? attempt;
            try
            {
                await stream.WriteAsync(frame, token).ConfigureAwait(false);
                await stream.FlushAsync(token).ConfigureAwait(false);
            }
            catch (Exception) when (attempt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The stream was refused and replaced while this frame was on its way: the replay sends it on the new
                // one (or, past the replay limit, the new attempt fails the call).
            }
        }
        finally
        {
            _io.Release();
        }
    }

    /// <summary>Ends the request body normally (END_STREAM).</summary>
    public void Complete()
    {
        _done.TrySetResult();
        _opened.TrySetException(new InvalidOperationException("the request stream was ended before it was opened"));
        _ = _opened.Task.Exception; // observed
    }

    /// <summary>Ends the request body with an error (the HTTP/2 stream is reset).</summary>
    public void Abort()
    {
        _done.TrySetException(new OperationCanceledException("the gRPC call was canceled"));
        _ = _done.Task.Exception;
        _opened.TrySetException(new OperationCanceledException("the gRPC call was canceled"));
        _ = _opened.Task.Exception;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _serializations) > 1)
        {
            // A retry after a refusal (possibly before the first attempt even opened): a writer blocked on the
            // refused stream lets go, its frame is in the replay.
            CancellationTokenSource refused;
            lock (_gate)
            {
                refused = _attempt;
                _attempt = new CancellationTokenSource();
            }

            await refused.CancelAsync().ConfigureAwait(false);
        }

        await _io.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<ReadOnlyMemory<byte>> replay;
            lock (_gate)
            {
                if (_replay is null)
                {
                    throw new HttpRequestException(_replayDropped
                        ? $"the server refused the stream after more than {MaxReplayBytes} bytes of the request were written; it cannot be sent again"
                        : "the server refused the stream after it had answered; it cannot be sent again");
                }

                _stream = stream;
                replay = _replay.Count == 0 ? [] : new List<ReadOnlyMemory<byte>>(_replay);
            }

            // SocketsHttpHandler holds the request headers back to send them with the first data; a
            // stream must open on the server before the caller sends anything (the handler starts then).
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (replay.Count > 0)
            {
                foreach (var frame in replay)
                {
                    await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                }

                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _io.Release();
        }

        _opened.TrySetResult();
        await _done.Task.ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
