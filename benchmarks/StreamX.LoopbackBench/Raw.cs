using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace StreamX.LoopbackBench;

/// <summary>
/// The raw baseline: the same work with no protocol. Messages are a 4-byte big-endian length and
/// the bytes, over a TCP socket (NoDelay) read and written through System.IO.Pipelines with the
/// buffer sizes of the StreamX client connection. A connection starts with a command message:
/// <c>'S' count</c> makes the server write <c>count</c> 1 KiB messages in a loop, flushing once
/// per 64 KiB written (the coalescing StreamX's write loop does, at its most favourable);
/// <c>'P'</c> makes it echo every message until an empty one.
/// </summary>
internal sealed class RawServer : IAsyncDisposable
{
    private const int FlushThreshold = 64 * 1024;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _accepted = new();
    private readonly Task _acceptLoop;

    public RawServer()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
                socket.NoDelay = true;
                lock (_accepted)
                {
                    _accepted.Add(socket);
                }

                _ = Task.Run(() => ServeAsync(socket));
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
    }

    private static async Task ServeAsync(Socket socket)
    {
        var pipe = RawPipe.Create(socket);
        var input = pipe.Input;
        var output = pipe.Output;
        try
        {
            while (await RawPipe.ReadMessageAsync(input) is { } command)
            {
                var mode = command.Span[0];
                if (mode == (byte)'S')
                {
                    var count = BinaryPrimitives.ReadInt32BigEndian(command.Span[1..]);
                    for (var i = 0; i < count; i++)
                    {
                        RawPipe.WriteMessage(output, Payload.Bytes);
                        if (output.UnflushedBytes >= FlushThreshold)
                        {
                            await output.FlushAsync().ConfigureAwait(false);
                        }
                    }

                    await output.FlushAsync().ConfigureAwait(false);
                }
                else if (mode == (byte)'P')
                {
                    await EchoAsync(input, output).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
            await output.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Echoes each message straight from the read buffer (no copy out) until an empty one.</summary>
    internal static async Task EchoAsync(PipeReader input, PipeWriter output)
    {
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            var echoed = false;
            var ended = false;
            while (true)
            {
                var start = buffer;
                if (!RawPipe.TryReadLength(ref buffer, out var length))
                {
                    break;
                }

                if (length == 0)
                {
                    ended = true;
                    break;
                }

                var span = output.GetSpan(4 + length);
                start.Slice(0, 4 + length).CopyTo(span);
                output.Advance(4 + length);
                echoed = true;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (echoed)
            {
                await output.FlushAsync().ConfigureAwait(false);
            }

            if (ended || result.IsCompleted)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        lock (_accepted)
        {
            foreach (var s in _accepted)
            {
                s.Dispose();
            }
        }
    }
}

/// <summary>A raw client connection.</summary>
internal sealed class RawClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly IDuplexPipe _pipe;

    private RawClient(Socket socket)
    {
        _socket = socket;
        _pipe = RawPipe.Create(socket);
    }

    public static async Task<RawClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint).ConfigureAwait(false);
        return new RawClient(socket);
    }

    /// <summary>Asks for <paramref name="count"/> messages and reads them all (parsing each length prefix, no copy).</summary>
    public async Task<long> StreamAsync(int count)
    {
        var command = new byte[5];
        command[0] = (byte)'S';
        BinaryPrimitives.WriteInt32BigEndian(command.AsSpan(1), count);
        RawPipe.WriteMessage(_pipe.Output, command);
        await _pipe.Output.FlushAsync().ConfigureAwait(false);

        var input = _pipe.Input;
        long received = 0;
        long bytes = 0;
        while (received < count)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            while (RawPipe.TryReadLength(ref buffer, out var length))
            {
                received++;
                bytes += length;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new IOException("server closed");
            }
        }

        return bytes;
    }

    public async Task BeginPingPongAsync()
    {
        RawPipe.WriteMessage(_pipe.Output, "P"u8);
        await _pipe.Output.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>One message each way.</summary>
    public async ValueTask PingAsync(ReadOnlyMemory<byte> message)
    {
        RawPipe.WriteMessage(_pipe.Output, message.Span);
        await _pipe.Output.FlushAsync().ConfigureAwait(false);
        await RawPipe.SkipMessageAsync(_pipe.Input).ConfigureAwait(false);
    }

    public async Task EndPingPongAsync()
    {
        RawPipe.WriteMessage(_pipe.Output, ReadOnlySpan<byte>.Empty);
        await _pipe.Output.FlushAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _pipe.Output.CompleteAsync().ConfigureAwait(false);
        await _pipe.Input.CompleteAsync().ConfigureAwait(false);
        _socket.Dispose();
    }
}

internal static class RawPipe
{
    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>The same reader/writer options as StreamX's client connection (StreamDuplexPipe).</summary>
    public static IDuplexPipe Create(Socket socket)
    {
        var stream = new NetworkStream(socket, ownsSocket: true);
        return new Duplex(
            PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096)),
            PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024)));
    }

    public static void WriteMessage(PipeWriter output, ReadOnlySpan<byte> message)
    {
        var span = output.GetSpan(4 + message.Length);
        BinaryPrimitives.WriteInt32BigEndian(span, message.Length);
        message.CopyTo(span[4..]);
        output.Advance(4 + message.Length);
    }

    /// <summary>Waits for one whole message and skips it (no copy); the server closing first is an error.</summary>
    public static async ValueTask SkipMessageAsync(PipeReader input)
    {
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryReadLength(ref buffer, out _))
            {
                input.AdvanceTo(buffer.Start);
                return;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new IOException("server closed");
            }
        }
    }

    /// <summary>Skips one whole message at the start of <paramref name="buffer"/>.</summary>
    public static bool TryReadLength(ref ReadOnlySequence<byte> buffer, out int length)
    {
        length = 0;
        if (buffer.Length < 4)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        length = BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (buffer.Length < 4 + length)
        {
            return false;
        }

        buffer = buffer.Slice(4 + length);
        return true;
    }

    /// <summary>Reads one message (copied out); null at the end of the connection.</summary>
    public static async ValueTask<ReadOnlyMemory<byte>?> ReadMessageAsync(PipeReader input)
    {
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            var start = buffer;
            if (TryReadLength(ref buffer, out var length))
            {
                var message = start.Slice(4, length).ToArray();
                input.AdvanceTo(buffer.Start);
                return message;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }
}
