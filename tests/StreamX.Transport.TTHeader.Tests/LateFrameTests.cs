using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using StreamX.Examples.Echo;
using StreamX.Thrift;
using StreamX.Transport.TTHeader.Tests.Replay;
using StreamX.Transport.TTHeader.Tests.Support;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>
/// Frames for a stream that has already ended on the receiving side are ignored (spec §2.8) — in particular Data
/// frames, which the read loop hands to a stream's bounded receive buffer: a stream that ends (reset, cancel) while
/// such a frame is in flight must drop it, not fail the whole connection and every other stream on it.
/// </summary>
public sealed class LateFrameTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Server_ignores_data_for_a_reset_stream_whose_handler_is_still_running()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var canceled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new SlowEcho(started, canceled, release);
        await using var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(service)]);
        await using var connection = await RawFrameConnection.ConnectAsync(server.LocalEndPoint, Timeout);
        try
        {
            await connection.SendAsync(Codec.Encode(Frame.Create(FrameType.Header, 1, "Echo", new Dictionary<string, string> { ["isn"] = TestService.ServiceName })), Timeout);
            await started.Task.WaitAsync(Timeout);

            // The client resets stream 1; its handler takes its time to return (it is still registered on the server).
            var rst = ExceptionPayload.Encode("Echo", 1, 12007, "user code invoking stream RPC with context processed by context.WithCancel or context.WithTimeout, then invoking cancel() actively");
            await connection.SendAsync(Codec.Encode(Frame.Create(FrameType.Rst, 1, "Echo", new Dictionary<string, string> { ["ttscp"] = "A" }, rst)), Timeout);
            await canceled.Task.WaitAsync(Timeout);

            // A Data frame that was in flight when the client reset the stream (or a peer that keeps sending).
            await connection.SendAsync(Codec.Encode(Frame.Create(FrameType.Data, 1, "Echo", payload: ThriftSerializer.Serialize(new Request { Message = "late" }, ThriftProtocol.Binary))), Timeout);

            // The connection is still usable for other streams.
            await connection.SendAsync(Codec.Encode(Frame.Create(FrameType.Header, 3, "EchoServer", new Dictionary<string, string> { ["isn"] = TestService.ServiceName })), Timeout);
            await connection.SendAsync(Codec.Encode(Frame.Create(FrameType.Data, 3, "EchoServer", payload: ThriftSerializer.Serialize(new Request { Message = "after" }, ThriftProtocol.Binary))), Timeout);
            await connection.WaitUntilAsync(r => r.Any(f => f.StreamId == 3 && f.Type == FrameType.Trailer), Timeout, "stream 3 after a late Data frame for reset stream 1");
            Assert.Equal([FrameType.Header, FrameType.Data, FrameType.Trailer], connection.Received.Where(f => f.StreamId == 3).Select(f => f.Type));
            Assert.DoesNotContain(connection.Received, f => f.StreamId == 1);
        }
        finally
        {
            release.TrySetResult();
        }

        await server.Dispatcher.WhenIdleAsync().WaitAsync(Timeout);
        Assert.False(connection.Closed, "the server closed the connection over a late Data frame");
    }

    [Fact]
    public async Task Client_cancel_while_the_read_loop_waits_on_that_streams_full_buffer_keeps_the_connection()
    {
        // A fake server: once both streams are open and half-closed, it sends 64 messages for A (filling A's
        // receive buffer: the test never reads A), B's Header (the test's signal that the read loop got there), one
        // more message for A (the read loop now waits for room in A's buffer), and, once the client reset A, B's data
        // and Trailer.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var fake = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync().WaitAsync(Timeout);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var reader = PipeReader.Create(stream);
            var ids = new Dictionary<string, int>();
            var trailers = new HashSet<int>();
            var resetA = false;
            var burstSent = false;
            while (!resetA)
            {
                var result = await reader.ReadAsync().AsTask().WaitAsync(Timeout);
                var buffer = result.Buffer;
                var frames = new List<Frame>();
                while (FrameCodec.TryRead(ref buffer, default, out var frame))
                {
                    frames.Add(frame!);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                foreach (var f in frames)
                {
                    if (f.Type == FrameType.Data)
                    {
                        ids[ThriftSerializer.Deserialize<Request>(f.Payload.Span, ThriftProtocol.Binary).Message!] = f.StreamId;
                    }
                    else if (f.Type == FrameType.Trailer)
                    {
                        trailers.Add(f.StreamId);
                    }
                    else if (f.Type == FrameType.Rst && f.StreamId == ids["A"])
                    {
                        resetA = true;
                    }
                }

                Assert.False(result.IsCompleted && !resetA, "the client closed the connection");
                if (!burstSent && trailers.Count == 2)
                {
                    burstSent = true;
                    var burst = new ArrayBufferWriter<byte>();
                    FrameCodec.Write(burst, Frame.Create(FrameType.Header, ids["A"], "EchoServer"));
                    for (var i = 0; i < 64; i++)
                    {
                        FrameCodec.Write(burst, Frame.Create(FrameType.Data, ids["A"], "EchoServer", payload: ThriftSerializer.Serialize(new Response { Message = "a-" + i }, ThriftProtocol.Binary)));
                    }

                    FrameCodec.Write(burst, Frame.Create(FrameType.Header, ids["B"], "EchoServer"));
                    FrameCodec.Write(burst, Frame.Create(FrameType.Data, ids["A"], "EchoServer", payload: ThriftSerializer.Serialize(new Response { Message = "a-64" }, ThriftProtocol.Binary)));
                    await stream.WriteAsync(burst.WrittenMemory);
                }
            }

            var rest = new ArrayBufferWriter<byte>();
            FrameCodec.Write(rest, Frame.Create(FrameType.Data, ids["B"], "EchoServer", payload: ThriftSerializer.Serialize(new Response { Message = "b-0" }, ThriftProtocol.Binary)));
            FrameCodec.Write(rest, Frame.Create(FrameType.Trailer, ids["B"], "EchoServer"));
            await stream.WriteAsync(rest.WrittenMemory);

            // Wait for the client to hang up.
            while (true)
            {
                var end = await reader.ReadAsync().AsTask().WaitAsync(Timeout);
                reader.AdvanceTo(end.Buffer.End);
                if (end.IsCompleted)
                {
                    break;
                }
            }
        });

        await using (var transport = new TTHeaderClientTransport((IPEndPoint)listener.LocalEndpoint, new TTHeaderClientOptions { MuxPoolSize = 1 }))
        {
            var client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "client" });
            using var cancelA = new CancellationTokenSource();
            var a = client.EchoServer(new Request { Message = "A" }, null, cancelA.Token);
            var b = client.EchoServer(new Request { Message = "B" });

            await b.GetHeadersAsync().WaitAsync(Timeout);
            cancelA.Cancel();
            await Assert.ThrowsAsync<StreamXCanceledException>(() => a.RecvAsync().AsTask().WaitAsync(Timeout));

            // B, on the same connection, is unaffected.
            Assert.Equal("b-0", (await b.RecvAsync().AsTask().WaitAsync(Timeout))!.Message);
            Assert.Null(await b.RecvAsync().AsTask().WaitAsync(Timeout));
        }

        await fake.WaitAsync(Timeout);
    }

    private sealed class SlowEcho(TaskCompletionSource started, TaskCompletionSource canceled, TaskCompletionSource release) : TestService.TestServiceBase
    {
        public override async Task EchoAsync(MessageReader<Request> requests, MessageWriter<Response> responses, ServerCallContext context)
        {
            using var registration = context.CancellationToken.Register(() => canceled.TrySetResult());
            started.TrySetResult();
            await release.Task; // ignores its token for a while, as slow handlers do
        }

        public override async Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context) =>
            await responses.SendAsync(new Response { Message = req.Message });
    }
}
