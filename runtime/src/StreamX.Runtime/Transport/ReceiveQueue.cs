using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace StreamX.Transport;

/// <summary>
/// A stream's bounded receive buffer. A full buffer makes <see cref="EnqueueAsync"/> wait, so a slow
/// reader slows the sender instead of growing memory. The end (normal or an error) is recorded
/// after the queued messages: readers get every message first, then the end, as Kitex's pipe does.
/// </summary>
internal sealed class ReceiveQueue
{
    private readonly Channel<ReadOnlyMemory<byte>> _channel;
    private Exception? _endError;
    private int _completed;

    public ReceiveQueue(int capacity)
    {
        _channel = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false,
            SingleReader = false,
            AllowSynchronousContinuations = false,
        });
    }

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>Adds a message, waiting for room. Messages arriving after the end are dropped (late frames are normal).</summary>
    public ValueTask EnqueueAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        _channel.Writer.TryWrite(payload) ? default : EnqueueWaitingAsync(payload, cancellationToken);

    /// <summary>The buffer was full (or the queue has ended): wait for room, or drop the message after the end.</summary>
    private async ValueTask EnqueueWaitingAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        try
        {
            await _channel.Writer.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The stream ended while this message was in flight; nobody will read it.
        }
    }

    /// <summary>Ends the queue; the first end wins. <paramref name="error"/> null means a normal end.</summary>
    public bool Complete(Exception? error)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        _endError = error;
        _channel.Writer.TryComplete();
        return true;
    }

    /// <summary>The next message; null at a normal end; throws the recorded error at an abnormal end.</summary>
    // Pooled state machine: this wait suspends for nearly every message of a ping-pong, and only the runtime awaits it (once).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlyMemory<byte>?> DequeueAsync(CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte>? message;
        while (!TryDequeue(out message))
        {
            await WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return message;
    }

    /// <summary>
    /// Without waiting: true with the next message, or true with null at a normal end (the recorded error is thrown at
    /// an abnormal end); false when nothing is there yet (<see cref="WaitAsync"/>, then try again). For callers that
    /// wait in their own async method instead of a nested <see cref="DequeueAsync"/> (one state machine fewer).
    /// </summary>
    public bool TryDequeue(out ReadOnlyMemory<byte>? message)
    {
        if (_channel.Reader.TryRead(out var item))
        {
            message = item;
            return true;
        }

        message = null;
        if (!_channel.Reader.Completion.IsCompleted)
        {
            return false;
        }

        // Completed, and (the channel completes only once drained) empty.
        return _endError is { } error ? throw error : true;
    }

    /// <summary>Waits until <see cref="TryDequeue"/> has something to report (a message or the end).</summary>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Drops queued messages (after a local cancel or dispose nobody will read them).</summary>
    public void Clear()
    {
        while (_channel.Reader.TryRead(out _))
        {
        }
    }
}
