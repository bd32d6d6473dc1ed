using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StreamX.Examples.Echo;
using StreamX.Thrift;

namespace StreamX.Transport.Grpc.Tests;

/// <summary>
/// A server that refuses a stream unprocessed (RST_STREAM REFUSED_STREAM: Kestrel does it when a client opens
/// streams faster than it retires them) makes SocketsHttpHandler send the request again on a new stream. What the
/// call had written to the refused stream must reach the server on the new one: before this was handled, the
/// messages went into the refused stream and the new one never got any (the handler waited for its request
/// forever; about one call in 10,000 under rapid cancels against Kestrel).
/// </summary>
public sealed class RefusedStreamTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task RequestRefusedUnprocessed_IsSentAgain_WithWhatWasWritten_OnTheNewStream()
    {
        await using var server = new ScriptedHttp2Server();
        await using var transport = new GrpcClientTransport(server.EndPoint);
        var client = new TestService.TestServiceClient(transport);

        await using var call = client.EchoServer(new Request { Message = "hello" });
        var response = await call.RecvAsync().AsTask().WaitAsync(Wait);

        Assert.Equal("echo:hello", response!.Message);
        Assert.Null(await call.RecvAsync().AsTask().WaitAsync(Wait));
        var (refused, accepted, request) = await server.Seen.WaitAsync(Wait);
        Assert.Equal(1, refused);
        Assert.Equal(3, accepted);
        Assert.Equal("hello", request.Message);
    }

    /// <summary>
    /// A minimal HTTP/2 server on a raw socket: refuses the first stream, then answers the second with one Response
    /// echoing the Request it received on that stream, and status 0.
    /// </summary>
    private sealed class ScriptedHttp2Server : IAsyncDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly Task _run;
        private readonly TaskCompletionSource<(int Refused, int Accepted, Request Request)> _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Socket? _connection;

        public ScriptedHttp2Server()
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(1);
            EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
            _run = Task.Run(RunAsync);
        }

        public IPEndPoint EndPoint { get; }

        public Task<(int Refused, int Accepted, Request Request)> Seen => _seen.Task;

        private async Task RunAsync()
        {
            try
            {
                _connection = await _listener.AcceptAsync();
                var stream = new NetworkStream(_connection);
                var preface = new byte[24];
                await stream.ReadExactlyAsync(preface);
                await WriteFrameAsync(stream, type: 0x4, flags: 0, streamId: 0, []); // SETTINGS
                var refused = 0;
                var accepted = 0;
                var body = new List<byte>();
                while (true)
                {
                    var header = new byte[9];
                    await stream.ReadExactlyAsync(header);
                    var length = (header[0] << 16) | (header[1] << 8) | header[2];
                    var (type, flags) = (header[3], header[4]);
                    var streamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7fffffff);
                    var payload = new byte[length];
                    await stream.ReadExactlyAsync(payload);
                    switch (type)
                    {
                        case 0x4 when (flags & 0x1) == 0: // SETTINGS: acknowledge
                            await WriteFrameAsync(stream, 0x4, 0x1, 0, []);
                            break;
                        case 0x6 when (flags & 0x1) == 0: // PING: answer
                            await WriteFrameAsync(stream, 0x6, 0x1, 0, payload);
                            break;
                        case 0x1 when refused == 0: // the first request: refused, unprocessed
                            refused = streamId;
                            var code = new byte[4];
                            BinaryPrimitives.WriteUInt32BigEndian(code, 0x7); // REFUSED_STREAM
                            await WriteFrameAsync(stream, 0x3, 0, streamId, code);
                            break;
                        case 0x1:
                            accepted = streamId;
                            break;
                        case 0x0 when streamId == accepted && accepted != 0:
                            body.AddRange(payload);
                            if (body.Count >= 5 && body.Count >= 5 + BinaryPrimitives.ReadInt32BigEndian(body.ToArray().AsSpan(1)))
                            {
                                var bytes = body.ToArray();
                                var request = ThriftSerializer.Deserialize<Request>(bytes.AsSpan(5, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1))), ThriftProtocol.Binary);
                                await AnswerAsync(stream, accepted, request);
                                _seen.TrySetResult((refused, accepted, request));
                            }

                            break;
                        default:
                            break; // WINDOW_UPDATE, DATA for the refused stream, acknowledgements …
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or EndOfStreamException or OperationCanceledException)
            {
                _seen.TrySetException(new InvalidOperationException("the scripted server's connection ended before the request arrived", e));
            }
        }

        /// <summary>Response headers, one message, trailers with grpc-status 0 (HPACK literals, no Huffman).</summary>
        private static async Task AnswerAsync(NetworkStream stream, int streamId, Request request)
        {
            var headers = new List<byte> { 0x88 }; // :status 200 (static table 8)
            headers.AddRange([0x0f, 0x10]); // content-type (static table 31), literal value without indexing
            AddString(headers, "application/grpc+thrift");
            await WriteFrameAsync(stream, 0x1, 0x4, streamId, headers.ToArray());

            var message = ThriftSerializer.Serialize(new Response { Message = "echo:" + request.Message }, ThriftProtocol.Binary);
            var data = new byte[5 + message.Length];
            BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(1), message.Length);
            message.CopyTo(data, 5);
            await WriteFrameAsync(stream, 0x0, 0, streamId, data);

            var trailers = new List<byte> { 0x00 }; // literal, new name, without indexing
            AddString(trailers, "grpc-status");
            AddString(trailers, "0");
            await WriteFrameAsync(stream, 0x1, 0x4 | 0x1, streamId, trailers.ToArray());
        }

        private static void AddString(List<byte> block, string value)
        {
            var bytes = Encoding.ASCII.GetBytes(value);
            block.Add((byte)bytes.Length); // shorter than 127: one byte, no Huffman
            block.AddRange(bytes);
        }

        private static async Task WriteFrameAsync(NetworkStream stream, byte type, byte flags, int streamId, byte[] payload)
        {
            var frame = new byte[9 + payload.Length];
            frame[0] = (byte)(payload.Length >> 16);
            frame[1] = (byte)(payload.Length >> 8);
            frame[2] = (byte)payload.Length;
            frame[3] = type;
            frame[4] = flags;
            BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId);
            payload.CopyTo(frame, 9);
            await stream.WriteAsync(frame);
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Dispose();
            _connection?.Dispose();
            try
            {
                await _run;
            }
            catch (Exception)
            {
                // Ended by the dispose.
            }
        }
    }
}
