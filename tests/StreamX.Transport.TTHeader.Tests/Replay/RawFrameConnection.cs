using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace StreamX.Transport.TTHeader.Tests.Replay;

/// <summary>
/// A raw TCP connection that writes bytes as they are and decodes every ttstream frame the peer sends with
/// <see cref="FrameCodec"/>, in arrival order. Waits are signal-driven with a timeout (no polling, no sleeping).
/// </summary>
public sealed class RawFrameConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly List<Frame> _received = new();
    private readonly object _gate = new();
    private readonly Task _readLoop;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _closed;
    private Exception? _readError;

    private RawFrameConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public static async Task<RawFrameConnection> ConnectAsync(IPEndPoint endPoint, TimeSpan timeout)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(timeout);
        await socket.ConnectAsync(endPoint, cts.Token);
        return new RawFrameConnection(socket);
    }

    /// <summary>True once the peer closed the connection (or reading failed).</summary>
    public bool Closed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>Why reading stopped, if it failed (a decode error of the peer's bytes, a reset).</summary>
    public Exception? ReadError
    {
        get
        {
            lock (_gate)
            {
                return _readError;
            }
        }
    }

    public IReadOnlyList<Frame> Received
    {
        get
        {
            lock (_gate)
            {
                return _received.ToList();
            }
        }
    }

    public async Task SendAsync(byte[] bytes, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _stream.WriteAsync(bytes, cts.Token);
        await _stream.FlushAsync(cts.Token);
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the frames received so far; fails after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<Frame>, bool> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(_received))
                {
                    return;
                }

                if (_closed)
                {
                    Assert.Fail($"{what}: the connection closed first ({_readError?.Message ?? "by the peer"}); received: {Describe(_received)}");
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{what}: not within {timeout}; received: {Describe(Received)}");
            }
        }
    }

    /// <summary>Waits until the peer closes the connection.</summary>
    public Task WaitClosedAsync(TimeSpan timeout, string what)
    {
        return Wait();

        async Task Wait()
        {
            using var cts = new CancellationTokenSource(timeout);
            while (true)
            {
                Task changed;
                lock (_gate)
                {
                    if (_closed)
                    {
                        return;
                    }

                    changed = _changed.Task;
                }

                try
                {
                    await changed.WaitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail($"{what}: the connection is still open after {timeout}");
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already closed by the peer.
        }
        catch (ObjectDisposedException)
        {
        }

        await _stream.DisposeAsync();
        await _readLoop.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static string Describe(IEnumerable<Frame> frames) => "[" + string.Join("; ", frames.Select(FrameSemantics.Describe)) + "]";

    private async Task ReadLoopAsync()
    {
        Exception? error = null;
        try
        {
            var reader = PipeReader.Create(_stream);
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                try
                {
                    while (FrameCodec.TryRead(ref buffer, new FrameLimits(MaxHeaderBytes: FrameLimits.MaxSupportedHeaderBytes), out var frame))
                    {
                        Publish(frame!);
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        error = new IOException($"closed in the middle of a frame ({buffer.Length} bytes left)");
                    }

                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or FrameException)
        {
            error = e;
        }

        TaskCompletionSource changed;
        lock (_gate)
        {
            _closed = true;
            _readError = error;
            changed = _changed;
        }

        changed.TrySetResult();
    }

    private void Publish(Frame frame)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _received.Add(frame);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
