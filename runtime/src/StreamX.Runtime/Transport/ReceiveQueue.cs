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
        while (true)
        {
            if (_channel.Reader.TryRead(out var item))
            {
                return item;
            }

            if (!await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_endError is { } error)
                {
                    throw error;
                }

                return null;
            }
        }
    }

    /// <summary>Drops queued messages (after a local cancel or dispose nobody will read them).</summary>
    public void Clear()
    {
        while (_channel.Reader.TryRead(out _))
        {
        }
    }
}
