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
internal sealed class FrameConnection : IAsyncDisposable
{
    /// <summary>Bytes written before the write loop flushes even though more frames are queued (Kestrel's default pause threshold).</summary>
    private const long FlushThresholdBytes = 64 * 1024;

    private readonly IDuplexPipe _pipe;
    private readonly FrameLimits _limits;
    private readonly Func<Frame, ValueTask> _onFrame;
    private readonly Channel<Outbound> _outbound;
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _readLoop;
    private Task? _writeLoop;
    private int _closeStarted;

    public FrameConnection(IDuplexPipe pipe, FrameLimits limits, int outboundCapacity, Func<Frame, ValueTask> onFrame, string? peer)
    {
        _pipe = pipe;
        _limits = limits;
        _onFrame = onFrame;
        Peer = peer;
        _outbound = Channel.CreateBounded<Outbound>(new BoundedChannelOptions(Math.Max(1, outboundCapacity))
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

    /// <summary>Queues a frame; completes once it is queued (ordered after every frame queued before it).</summary>
    public ValueTask SendAsync(Frame frame, CancellationToken cancellationToken = default)
    {
        if (IsClosed)
        {
            return ValueTask.FromException(ClosedException());
        }

        var item = new Outbound(frame, null);
        return _outbound.Writer.TryWrite(item) ? ValueTask.CompletedTask : SlowSendAsync(item, cancellationToken);
    }

    /// <summary>Queues a frame and waits until it was written to the socket (for a final frame before closing).</summary>
    public async ValueTask SendAndFlushAsync(Frame frame, CancellationToken cancellationToken = default)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await SlowSendAsync(new Outbound(frame, written), cancellationToken).ConfigureAwait(false);
        await written.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask SlowSendAsync(Outbound item, CancellationToken cancellationToken)
    {
        try
        {
            await _outbound.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
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
        _closing.Cancel();
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
                var result = await input.ReadAsync(_closing.Token).ConfigureAwait(false);
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

                if (result.IsCompleted || result.IsCanceled)
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
        var flushed = new List<TaskCompletionSource>();
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                // Drain what is queued, then one flush: many small frames, one syscall. But at most
                // about FlushThresholdBytes per flush: a long queue written in one go would pile up in
                // the output pipe far beyond its back-pressure threshold, outgrow the pipe's segment
                // pool and Kestrel's block pool (allocating both), and reach the socket in one burst.
                while (reader.TryRead(out var item))
                {
                    FrameCodec.Write(output, item.Frame);
                    if (item.Written is not null)
                    {
                        flushed.Add(item.Written);
                    }

                    if (output.CanGetUnflushedBytes && output.UnflushedBytes >= FlushThresholdBytes)
                    {
                        break;
                    }
                }

                var result = await output.FlushAsync().ConfigureAwait(false);
                foreach (var w in flushed)
                {
                    w.TrySetResult();
                }

                flushed.Clear();
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            foreach (var w in flushed)
            {
                w.TrySetException(e);
            }

            Interlocked.Exchange(ref _closeStarted, 1);
            _outbound.Writer.TryComplete();
            Abort(e);
            return;
        }

        // The queue was completed: an orderly close, everything queued is written.
        Abort(null);
    }

    private static StreamXException ClosedException() =>
        new(StreamErrors.TransportClosing with { Cause = new IOException("connection closed") });

    private readonly record struct Outbound(Frame Frame, TaskCompletionSource? Written);
}
