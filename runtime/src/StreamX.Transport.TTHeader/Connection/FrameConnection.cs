using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// One TCP connection carrying ttstream frames, for either side: a read loop that decodes frames
/// and hands them to the owner (awaiting it, so a full stream buffer slows the socket: TCP is the
/// back-pressure, as in Kitex), and a write loop that drains a queue of frames and flushes once per
/// batch. Coalescing is the difference from Kitex, which flushes every frame.
/// </summary>
/// <remarks>
/// A frame sent while nothing else is being written skips the queue: the sender writes and flushes
/// it itself, saving the hop to the write loop (a thread-pool wake-up per message when messages
/// come one at a time: ping-pong, a cancel's Rst). The writer lock keeps one writer at a time; the
/// queue's order is kept because the fast path is only taken when the queue is empty, and queued
/// frames are only taken out under the lock. While a write is in progress, frames queue up and the
/// write loop sends them in batches.
/// <para>
/// Every frame is checked before it is written or queued: one whose headers cannot be encoded within the
/// limits (a key or value over 65,535 bytes, a header block over <see cref="FrameLimits.MaxHeaderBytes"/>), or
/// that is larger than <see cref="FrameLimits.MaxFrameBytes"/> (which a peer with the same limits would take for
/// a connection-fatal error), is refused with a 12004 error for that send alone. Nothing of it reaches the
/// connection, so the other streams on it are unaffected; an encoding failure in the writer would otherwise have
/// to fail them all, and an oversized frame would make the peer close the connection.
/// </para>
/// </remarks>
internal sealed class FrameConnection : IAsyncDisposable
{
    /// <summary>Bytes written before the write loop flushes even though more frames are queued (Kestrel's default pause threshold).</summary>
    private const long FlushThresholdBytes = 64 * 1024;

    private readonly IDuplexPipe _pipe;
    private readonly FrameLimits _limits;
    private readonly StreamSide _side;
    private readonly Func<Frame, ValueTask> _onFrame;
    private readonly Channel<Frame> _outbound;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _readLoop;
    private Task? _writeLoop;
    private int _closeStarted;
    private int _aborted;

    public FrameConnection(IDuplexPipe pipe, FrameLimits limits, int outboundCapacity, Func<Frame, ValueTask> onFrame, string? peer, StreamSide side)
    {
        _pipe = pipe;
        _limits = limits;
        _side = side;
        _onFrame = onFrame;
        Peer = peer;
        _outbound = Channel.CreateBounded<Frame>(new BoundedChannelOptions(Math.Max(1, outboundCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>The remote address, for logs.</summary>
    public string? Peer { get; }

    /// <summary>Completes when the connection is closed; the value is the failure, or null for an orderly close.</summary>
    public Task<Exception?> Closed => _closed.Task;

    /// <summary>True once closing began.</summary>
    public bool IsClosed => Volatile.Read(ref _closeStarted) != 0;

    public void Start()
    {
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>
    /// Sends a frame (ordered after every frame sent before it); completes once it is written or
    /// queued. Waits, cancelably, only while the queue is full. A frame whose headers cannot be
    /// encoded, or that is over <see cref="FrameLimits.MaxFrameBytes"/>, fails with 12004
    /// (<see cref="UnencodableException"/>) and leaves the connection as it was.
    /// </summary>
    public ValueTask SendAsync(Frame frame, CancellationToken cancellationToken = default)
    {
        if (IsClosed)
        {
            return ValueTask.FromException(ClosedException());
        }

        if (Unencodable(frame) is { } unencodable)
        {
            return ValueTask.FromException(unencodable);
        }

        if (_writeLock.Wait(0))
        {
            if (_outbound.Reader.Count == 0 && !IsClosed)
            {
                return WriteNow(frame);
            }

            _writeLock.Release();
        }

        return _outbound.Writer.TryWrite(frame) ? ValueTask.CompletedTask : SlowSendAsync(frame, cancellationToken);
    }

    /// <summary>The fast path: the caller holds the writer lock and nothing is queued.</summary>
    private ValueTask WriteNow(Frame frame)
    {
        var output = _pipe.Output;
        ValueTask<FlushResult> flush;
        try
        {
            FrameCodec.WriteChecked(output, frame, _limits.MaxHeaderBytes);
            flush = output.FlushAsync();
        }
        catch (Exception e)
        {
            _writeLock.Release();
            Fail(e);
            return ValueTask.FromException(ClosedException(e));
        }

        if (!flush.IsCompleted)
        {
            // Back-pressure: the frame is in the output; the sender does not wait for the socket
            // (as when it queues), but the next frames queue until this flush is done.
            _ = CompleteFlushAsync(flush);
            return ValueTask.CompletedTask;
        }

        FlushResult result;
        try
        {
            result = flush.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            OnFlushed(default, e);
            return ValueTask.CompletedTask;
        }

        OnFlushed(result, null);
        return ValueTask.CompletedTask;
    }

    private async Task CompleteFlushAsync(ValueTask<FlushResult> flush)
    {
        FlushResult result;
        try
        {
            result = await flush.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            OnFlushed(default, e);
            return;
        }

        OnFlushed(result, null);
    }

    /// <summary>Releases the writer lock after a fast-path flush; a failed or finished output closes the connection.</summary>
    private void OnFlushed(FlushResult result, Exception? error)
    {
        _writeLock.Release();
        if (error is not null)
        {
            Fail(error);
        }
        else if (result.IsCompleted)
        {
            Fail(new IOException("connection closed by peer"));
        }
    }

    /// <summary>The output failed: close at once (every stream on the connection learns it).</summary>
    private void Fail(Exception failure)
    {
        Interlocked.Exchange(ref _closeStarted, 1);
        _outbound.Writer.TryComplete();
        Abort(failure);
    }

    private async ValueTask SlowSendAsync(Frame frame, CancellationToken cancellationToken)
    {
        try
        {
            await _outbound.Writer.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw ClosedException();
        }
    }

    /// <summary>
    /// Closes the connection (idempotent). An orderly close (<paramref name="failure"/> null) writes
    /// every frame already queued first; a failure aborts at once.
    /// </summary>
    public void Close(Exception? failure)
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) != 0)
        {
            return;
        }

        _outbound.Writer.TryComplete();
        if (failure is not null || _writeLoop is null)
        {
            Abort(failure);
        }

        // Otherwise the write loop drains the queue and then aborts the rest.
    }

    private void Abort(Exception? failure)
    {
        // The first abort decides how the connection ended (a failure racing an orderly end).
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        _closing.Cancel();
        try
        {
            _pipe.Input.CancelPendingRead();
        }
        catch (Exception)
        {
            // The transport has already completed the input.
        }

        _ = CompleteAsync(failure);
    }

    private async Task CompleteAsync(Exception? failure)
    {
        try
        {
            await _pipe.Input.CompleteAsync(failure).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already completed by the transport.
        }

        try
        {
            await _pipe.Output.CompleteAsync(failure).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already completed by the transport.
        }

        _closed.TrySetResult(failure);
    }

    public async ValueTask DisposeAsync()
    {
        Close(null);
        await Closed.ConfigureAwait(false);
        foreach (var loop in new[] { _readLoop, _writeLoop })
        {
            if (loop is not null)
            {
                await loop.ConfigureAwait(false);
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        Exception? failure = null;
        try
        {
            var input = _pipe.Input;
            while (!_closing.IsCancellationRequested)
            {
                // No token: a cancelable one costs a registration on every read that waits. A local close wakes a
                // waiting read with CancelPendingRead instead (Abort).
                var result = await input.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    input.AdvanceTo(result.Buffer.Start);
                    break; // closed locally
                }

                var buffer = result.Buffer;
                try
                {
                    while (FrameCodec.TryRead(ref buffer, _limits, out var frame))
                    {
                        await _onFrame(frame!).ConfigureAwait(false);
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        failure = new FrameException($"connection closed in the middle of a frame ({buffer.Length} bytes left)");
                    }

                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            // Closed locally.
        }
        catch (Exception e)
        {
            failure = e;
        }

        var cause = failure ?? new IOException("connection closed by peer");
        if (Interlocked.Exchange(ref _closeStarted, 1) == 0)
        {
            _outbound.Writer.TryComplete();
        }

        Abort(cause);
    }

    private async Task WriteLoopAsync()
    {
        var output = _pipe.Output;
        var reader = _outbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                // One writer at a time: a sender may be writing a frame itself (SendAsync's fast path).
                await _writeLock.WaitAsync().ConfigureAwait(false);
                FlushResult result;
                try
                {
                    // Drain what is queued, then one flush: many small frames, one syscall. But at most
                    // about FlushThresholdBytes per flush: a long queue written in one go would pile up in
                    // the output pipe far beyond its back-pressure threshold, outgrow the pipe's segment
                    // pool and Kestrel's block pool (allocating both), and reach the socket in one burst.
                    while (reader.TryRead(out var frame))
                    {
                        FrameCodec.WriteChecked(output, frame, _limits.MaxHeaderBytes);
                        if (output.CanGetUnflushedBytes && output.UnflushedBytes >= FlushThresholdBytes)
                        {
                            break;
                        }
                    }

                    result = await output.FlushAsync().ConfigureAwait(false);
                }
                finally
                {
                    _writeLock.Release();
                }

                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            Fail(e);
            return;
        }

        // The queue was completed: an orderly close, everything queued is written. A sender still
        // writing on the fast path finishes first; nobody writes after this (the lock is kept).
        await _writeLock.WaitAsync().ConfigureAwait(false);
        Abort(null);
    }

    /// <summary>
    /// The 12004 error <see cref="SendAsync"/> fails with when <paramref name="frame"/> cannot be encoded within this
    /// connection's limits, or null: <c>[ttstream error, code=12004] [client-side stream] header "k" cannot be sent:
    /// its value is 70000 bytes (UTF-8), over the TTHeader limit of 65535 bytes for one key or value</c>, or
    /// <c>… frame of 20971570 bytes (payload 20971520) is over the limit of 16777216 bytes (FrameLimits.MaxFrameBytes); the peer would close the connection</c>.
    /// </summary>
    private StreamXException? Unencodable(Frame frame) =>
        FrameCodec.Describe(frame, _limits) is { } problem ? UnencodableException(problem, _side) : null;

    /// <summary>The per-call error of a frame that cannot be encoded (12004, the problem as its cause).</summary>
    public static StreamXException UnencodableException(string problem, StreamSide side) =>
        new(StreamErrors.IllegalFrame with { Side = side, Cause = new FrameException(problem) });

    private static StreamXException ClosedException(Exception? cause = null) =>
        new(StreamErrors.TransportClosing with { Cause = cause ?? new IOException("connection closed") });
}
