using System.Buffers;
using System.Globalization;
using System.Net;
using StreamX.Examples.Echo;
using StreamX.Thrift;
using StreamX.Transport.TTHeader.Tests.Support;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>
/// A frame larger than <see cref="FrameLimits.MaxFrameBytes"/> is refused on the way out, for that send alone (12004,
/// naming the frame size, the limit and the option): a peer with the same limits would otherwise close the whole
/// connection, failing every stream multiplexed on it. The size is counted as the decoder counts it, LENGTH included.
/// Unary calls likewise: a request over the limit fails with 12004 before anything is sent, a reply over it is replaced
/// by an exception that says so.
/// </summary>
public sealed class OversizedFrameTests
{
    private const int Limit = 4096;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static readonly FrameLimits SmallLimits = new(MaxFrameBytes: Limit);

    public static TheoryData<string> Frames => new()
    {
        "data", "data-long-method", "header-strings", "trailer", "acl-and-ints", "rst",
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public void Describe_counts_the_frame_as_the_decoder_does_exactly_at_the_limit_passes_one_byte_over_fails(string kind)
    {
        for (var extra = 0; extra < 4; extra++)
        {
            // Different payload and header lengths, so the header padding varies too.
            var frame = Sample(kind, payloadBytes: 1000 + extra, headerChars: 10 + extra);
            var bytes = Codec.Encode(frame);

            // The decoder accepts it with exactly its size as the limit and refuses it one byte below.
            Codec.Decode(bytes, new FrameLimits(MaxFrameBytes: bytes.Length));
            Assert.Contains($"frame of {bytes.Length} bytes exceeds", Codec.DecodeFails(bytes, new FrameLimits(MaxFrameBytes: bytes.Length - 1)).Message, StringComparison.Ordinal);

            // The sender's check agrees at both points.
            Assert.Null(FrameCodec.Describe(frame, new FrameLimits(MaxFrameBytes: bytes.Length)));
            Assert.Equal(
                $"frame of {bytes.Length} bytes (payload {frame.Payload.Length}) is over the limit of {bytes.Length - 1} bytes (FrameLimits.MaxFrameBytes); the peer would close the connection",
                FrameCodec.Describe(frame, new FrameLimits(MaxFrameBytes: bytes.Length - 1)));

            // The header-only overload is unchanged: no frame-size check.
            Assert.Null(FrameCodec.Describe(frame, FrameLimits.DefaultMaxHeaderBytes));
        }
    }

    [Fact]
    public void Checking_a_data_frame_allocates_nothing()
    {
        // The check runs before every send; Data frames are the hot path.
        var frame = Frame.Create(FrameType.Data, 1, "Echo", payload: new byte[100]);
        Assert.Null(FrameCodec.Describe(frame, SmallLimits)); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Assert.Null(FrameCodec.Describe(frame, SmallLimits));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Describe_reports_a_header_problem_before_the_frame_size()
    {
        var frame = Frame.Create(FrameType.Header, 1, "Echo", Codec.Strings(("x-big", new string('v', 70_000))), new byte[100]);
        var problem = FrameCodec.Describe(frame, new FrameLimits(MaxFrameBytes: 64));
        Assert.StartsWith("header \"x-big\" cannot be sent", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_send_over_the_default_limit_fails_that_send_alone_other_streams_keep_working()
    {
        // The reported case: a 20 MiB message to a server with the default limits (16 MiB).
        await using var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(new Echo())]);
        await using var transport = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { MuxPoolSize = 1 });
        var client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "client" });

        await using var healthy = client.Echo();
        await RoundTripAsync(healthy, "before");

        await using var big = client.Echo();
        var chars = (20 * 1024 * 1024) - 8; // the Request struct adds 8 bytes: a 20 MiB payload
        var error = await Assert.ThrowsAsync<StreamXException>(() => big.SendAsync(new Request { Message = new string('x', chars) }).AsTask().WaitAsync(Timeout));
        Assert.Equal(12004, error.Code);
        Assert.Equal(StreamSide.Client, error.Side);
        Assert.IsType<FrameException>(error.InnerException);
        Assert.Contains(
            $"frame of {DataFrameBytes(0) + chars} bytes (payload 20971520) is over the limit of 16777216 bytes (FrameLimits.MaxFrameBytes); the peer would close the connection",
            error.Message,
            StringComparison.Ordinal);

        // Nothing of it reached the connection: the stream that failed to send carries on, and so does the other one.
        await RoundTripAsync(big, "small");
        await RoundTripAsync(healthy, "after");
        Assert.Equal(1, transport.OpenConnections);
        await CloseAsync(big);
        await CloseAsync(healthy);
    }

    [Fact]
    public async Task Client_frame_exactly_at_a_configured_limit_passes_one_byte_more_fails_that_send_alone()
    {
        await using var server = await StreamXServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(new Echo())], new TTHeaderServerOptions { Limits = SmallLimits });
        await using var transport = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { MuxPoolSize = 1, Limits = SmallLimits });
        var client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "client" });

        await using var healthy = client.Echo();
        await RoundTripAsync(healthy, "before");

        // Exactly at the limit: sent, accepted by the server, and echoed back in a frame of the same size.
        var atLimit = CharsForFrame(Limit);
        Assert.Equal(Limit, DataFrameBytes(atLimit));
        await using var call = client.Echo();
        await RoundTripAsync(call, new string('a', atLimit));

        // One byte more: refused for this send only.
        var error = await Assert.ThrowsAsync<StreamXException>(() => call.SendAsync(new Request { Message = new string('b', atLimit + 1) }).AsTask().WaitAsync(Timeout));
        Assert.Equal(12004, error.Code);
        Assert.Equal(StreamSide.Client, error.Side);
        Assert.Contains(
            $"frame of {Limit + 1} bytes (payload {atLimit + 9}) is over the limit of {Limit} bytes (FrameLimits.MaxFrameBytes); the peer would close the connection",
            error.Message,
            StringComparison.Ordinal);

        await RoundTripAsync(call, "still open");
        await RoundTripAsync(healthy, "after");
        Assert.Equal(1, transport.OpenConnections);
        await CloseAsync(call);
        await CloseAsync(healthy);
        await server.Dispatcher.WhenIdleAsync().WaitAsync(Timeout);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Server_send_over_the_limit_fails_the_handlers_send_alone_other_streams_keep_working(bool handlerCatches)
    {
        var echo = new Echo();
        await using var server = await StreamXServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(echo)], new TTHeaderServerOptions { Limits = SmallLimits });
        await using var transport = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { MuxPoolSize = 1, Limits = SmallLimits });
        var client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "client" });

        await using var healthy = client.Echo();
        await RoundTripAsync(healthy, "before");

        // The handler sends a message one byte over the limit.
        var over = CharsForFrame(Limit + 1, "EchoServer");
        await using var call = client.EchoServer(new Request { Message = (handlerCatches ? "catch:" : "big:") + over });
        var sendError = Assert.IsType<StreamXException>(await echo.SendFailed.Task.WaitAsync(Timeout));
        Assert.Equal(12004, sendError.Code);
        Assert.Equal(StreamSide.Server, sendError.Side);
        var problem = $"frame of {Limit + 1} bytes (payload {over + 8}) is over the limit of {Limit} bytes (FrameLimits.MaxFrameBytes); the peer would close the connection";
        Assert.Contains(problem, sendError.Message, StringComparison.Ordinal);

        if (handlerCatches)
        {
            // The handler caught it and carried on: its stream is intact.
            Assert.Equal("small", (await call.RecvAsync().AsTask().WaitAsync(Timeout))!.Message);
            Assert.Null(await call.RecvAsync().AsTask().WaitAsync(Timeout));
        }
        else
        {
            // The handler let it escape: the stream ends with an error trailer that says why, not a dead connection.
            var error = await Assert.ThrowsAsync<StreamXException>(() => call.RecvAsync().AsTask().WaitAsync(Timeout));
            Assert.Equal(12001, error.Code);
            Assert.Equal($"[ttstream error, code=12001] [client-side stream] [ttstream error, code=12004] [server-side stream] {problem}", error.Message);
        }

        await RoundTripAsync(healthy, "after");
        Assert.Equal(1, transport.OpenConnections);
        await CloseAsync(healthy);
        await using var next = client.EchoServer(new Request { Message = "ok" });
        Assert.Equal("small", (await next.RecvAsync().AsTask().WaitAsync(Timeout))!.Message);
        Assert.Null(await next.RecvAsync().AsTask().WaitAsync(Timeout));
        await server.Dispatcher.WhenIdleAsync().WaitAsync(Timeout);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void Unary_Describe_counts_the_packet_as_the_decoder_does(bool framedPayload, bool withHeaders)
    {
        for (var extra = 0; extra < 4; extra++)
        {
            var headers = withHeaders ? Codec.Strings(("isn", "svc"), ("k", new string('v', 10 + extra))) : Codec.Strings();
            var message = new UnaryMessage("PingPong", ThriftMessageType.Call, 7, new byte[1000 + extra]);
            var output = new ArrayBufferWriter<byte>();
            UnaryTTHeaderCodec.Write(output, new UnaryTTHeaderPacket(7, message, headers, framedPayload: framedPayload));
            var size = output.WrittenCount;
            var payload = (framedPayload ? 4 : 0) + message.EncodedLength;

            var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
            Assert.True(UnaryTTHeaderCodec.TryRead(ref buffer, new FrameLimits(MaxFrameBytes: size), out _));
            buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
            Assert.Throws<FrameException>(() => UnaryTTHeaderCodec.TryRead(ref buffer, new FrameLimits(MaxFrameBytes: size - 1), out _));

            Assert.Null(UnaryTTHeaderCodec.Describe(headers, message.Method, message.Body.Length, framedPayload, new FrameLimits(MaxFrameBytes: size)));
            Assert.Equal(
                $"frame of {size} bytes (payload {payload}) is over the limit of {size - 1} bytes (FrameLimits.MaxFrameBytes); the peer would close the connection",
                UnaryTTHeaderCodec.Describe(headers, message.Method, message.Body.Length, framedPayload, new FrameLimits(MaxFrameBytes: size - 1)));
        }
    }

    [Fact]
    public void Framed_Describe_counts_the_message_as_the_decoder_does()
    {
        var message = new UnaryMessage("PingPong", ThriftMessageType.Reply, 7, ThriftSerializer.Serialize(new TestService.PingPongResult { Success = new Response { Message = "pong" } }, ThriftProtocol.Binary));
        var output = new ArrayBufferWriter<byte>();
        FramedCodec.Write(output, message);
        var size = output.WrittenCount;

        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.True(FramedCodec.TryRead(ref buffer, new FrameLimits(MaxFrameBytes: size), out _));
        buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.Throws<FrameException>(() => FramedCodec.TryRead(ref buffer, new FrameLimits(MaxFrameBytes: size - 1), out _));

        Assert.Null(FramedCodec.Describe(message, new FrameLimits(MaxFrameBytes: size)));
        Assert.Equal(
            $"frame of {size} bytes (payload {size - 4}) is over the limit of {size - 1} bytes (FrameLimits.MaxFrameBytes); the peer would close the connection",
            FramedCodec.Describe(message, new FrameLimits(MaxFrameBytes: size - 1)));
    }

    /// <summary>A stream whose opening Header frame alone is over the limit fails before a connection is dialed.</summary>
    [Fact]
    public async Task Stream_whose_header_frame_is_over_the_limit_fails_before_any_connection_is_dialed()
    {
        await using var server = await StreamXServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(new Echo())], new TTHeaderServerOptions { Limits = SmallLimits });
        await using var transport = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { Limits = SmallLimits });
        var client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "client" });

        // Under the 64 KiB header limit, over the 4 KiB frame limit.
        var options = new CallOptions { Headers = new Dictionary<string, string> { ["x-big"] = new string('h', 2 * Limit) } };
        await using var call = client.Echo(options);
        var error = await Assert.ThrowsAsync<StreamXException>(async () => await call.SendAsync(new Request { Message = "x" }).AsTask().WaitAsync(Timeout));
        Assert.Equal(12004, error.Code);
        Assert.Matches(@"^frame of \d+ bytes \(payload 0\) is over the limit of 4096 bytes", error.InnerException!.Message);
        Assert.Equal(0, transport.OpenConnections);
    }

    [Fact]
    public async Task Unary_request_over_the_limit_fails_that_call_alone_before_anything_is_sent()
    {
        await using var server = await StreamXServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(new Echo())], new TTHeaderServerOptions { Limits = SmallLimits });
        await using var transport = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { Limits = SmallLimits });
        var client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "client" });
        Assert.Equal("before", (await client.PingPongAsync(new Request { Message = "before" }).WaitAsync(Timeout)).Message);
        var connections = transport.OpenConnections;

        var request = new Request { Message = new string('x', Limit) };
        var error = await Assert.ThrowsAsync<StreamXException>(() => client.PingPongAsync(request).WaitAsync(Timeout));
        Assert.Equal(12004, error.Code);
        Assert.Equal(StreamSide.Client, error.Side);
        Assert.IsType<FrameException>(error.InnerException);
        var payload = 4 + new UnaryMessage("PingPong", ThriftMessageType.Call, 1, ThriftSerializer.Serialize(new TestService.PingPongArgs { Req = request }, ThriftProtocol.Binary)).EncodedLength;
        Assert.Matches(
            $@"frame of \d+ bytes \(payload {payload}\) is over the limit of {Limit} bytes \(FrameLimits\.MaxFrameBytes\); the peer would close the connection$",
            error.InnerException!.Message);

        // Nothing was sent: the idle connection is still there and serves the next call.
        Assert.Equal(connections, transport.OpenConnections);
        Assert.Equal("after", (await client.PingPongAsync(new Request { Message = "after" }).WaitAsync(Timeout)).Message);
        Assert.Equal(connections, transport.OpenConnections);
    }

    [Fact]
    public async Task Unary_reply_over_the_limit_fails_that_call_with_a_clear_error()
    {
        await using var server = await StreamXServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(new Echo())], new TTHeaderServerOptions { Limits = SmallLimits });
        await using var transport = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { Limits = SmallLimits });
        var client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "client" });

        // Exactly at the limit: answered.
        var atLimit = Limit - UnaryReplyBytes(0, framed: false);
        Assert.Equal(Limit, UnaryReplyBytes(atLimit, framed: false));
        Assert.Equal(atLimit, (await client.PingPongAsync(new Request { Message = "reply:" + atLimit }).WaitAsync(Timeout)).Message!.Length);

        // One byte more: the client gets an exception that says why, not a closed connection. (The payload is all but
        // the 14 fixed bytes and the 4 of the header block: protocol id, transform count, padding.)
        var error = await Assert.ThrowsAsync<ThriftApplicationException>(() => client.PingPongAsync(new Request { Message = "reply:" + (atLimit + 1) }).WaitAsync(Timeout));
        Assert.Equal(
            $"the reply could not be sent: frame of {Limit + 1} bytes (payload {Limit + 1 - 18}) is over the limit of {Limit} bytes (FrameLimits.MaxFrameBytes); the peer would close the connection",
            error.Message);
        Assert.Equal("pong", (await client.PingPongAsync(new Request { Message = "pong" }).WaitAsync(Timeout)).Message);
    }

    [Fact]
    public async Task Framed_reply_over_the_limit_fails_that_call_with_a_clear_error()
    {
        await using var server = await StreamXServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(new Echo())], new TTHeaderServerOptions { Limits = SmallLimits });
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(server.LocalEndPoint, cts.Token);
        await using var stream = new System.Net.Sockets.NetworkStream(socket, ownsSocket: false);

        var atLimit = Limit - UnaryReplyBytes(0, framed: true);
        Assert.Equal(Limit, UnaryReplyBytes(atLimit, framed: true));
        var reply = await FramedCallAsync(stream, 1, "reply:" + atLimit, cts.Token);
        Assert.Equal(ThriftMessageType.Reply, reply.Type);
        Assert.Equal(atLimit, ThriftSerializer.Deserialize<TestService.PingPongResult>(reply.Body.Span, ThriftProtocol.Binary).Success!.Message!.Length);

        reply = await FramedCallAsync(stream, 2, "reply:" + (atLimit + 1), cts.Token);
        Assert.Equal(ThriftMessageType.Exception, reply.Type);
        Assert.Equal(
            $"the reply could not be sent: frame of {Limit + 1} bytes (payload {Limit + 1 - 4}) is over the limit of {Limit} bytes (FrameLimits.MaxFrameBytes); the peer would close the connection",
            ThriftSerializer.Deserialize<ThriftApplicationException>(reply.Body.Span, ThriftProtocol.Binary).Message);

        // The connection carries on.
        reply = await FramedCallAsync(stream, 3, "pong", cts.Token);
        Assert.Equal("pong", ThriftSerializer.Deserialize<TestService.PingPongResult>(reply.Body.Span, ThriftProtocol.Binary).Success!.Message);
    }

    /// <summary>The size of the PingPong reply packet (TTHeader, Framed payload, as to our client) or Framed message carrying <paramref name="chars"/> characters.</summary>
    private static int UnaryReplyBytes(int chars, bool framed)
    {
        var body = ThriftSerializer.Serialize(new TestService.PingPongResult { Success = new Response { Message = new string('r', chars) } }, ThriftProtocol.Binary);
        var message = new UnaryMessage("PingPong", ThriftMessageType.Reply, 1, body);
        var output = new ArrayBufferWriter<byte>();
        if (framed)
        {
            FramedCodec.Write(output, message);
        }
        else
        {
            UnaryTTHeaderCodec.Write(output, new UnaryTTHeaderPacket(1, message, framedPayload: true));
        }

        return output.WrittenCount;
    }

    /// <summary>One Framed PingPong call on <paramref name="stream"/> (a plain Framed Thrift client) and its reply.</summary>
    private static async Task<UnaryMessage> FramedCallAsync(Stream stream, int sequenceId, string text, CancellationToken cancellationToken)
    {
        var call = new ArrayBufferWriter<byte>();
        FramedCodec.Write(call, new UnaryMessage("PingPong", ThriftMessageType.Call, sequenceId, ThriftSerializer.Serialize(new TestService.PingPongArgs { Req = new Request { Message = text } }, ThriftProtocol.Binary)));
        await stream.WriteAsync(call.WrittenMemory, cancellationToken);

        var length = new byte[4];
        await stream.ReadExactlyAsync(length, cancellationToken);
        var rest = new byte[System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(length)];
        await stream.ReadExactlyAsync(rest, cancellationToken);
        var buffer = new ReadOnlySequence<byte>(length.Concat(rest).ToArray());
        Assert.True(FramedCodec.TryRead(ref buffer, default, out var reply));
        Assert.Equal(sequenceId, reply!.SequenceId);
        return reply;
    }

    /// <summary>The encoded size of the Data frame of a message of <paramref name="chars"/> ASCII characters.</summary>
    private static int DataFrameBytes(int chars, string method = "Echo")
    {
        var output = new ArrayBufferWriter<byte>();
        FrameCodec.Write(output, Frame.Create(FrameType.Data, 1, method, payload: ThriftSerializer.Serialize(new Request { Message = new string('x', chars) }, ThriftProtocol.Binary)));
        return output.WrittenCount;
    }

    /// <summary>How many characters make a Data frame of exactly <paramref name="frameBytes"/> bytes.</summary>
    private static int CharsForFrame(int frameBytes, string method = "Echo") => frameBytes - DataFrameBytes(0, method);

    private static Frame Sample(string kind, int payloadBytes, int headerChars)
    {
        var payload = new byte[payloadBytes];
        var value = new string('v', headerChars);
        return kind switch
        {
            "data" => Frame.Create(FrameType.Data, 1, "Echo", payload: payload),
            "data-long-method" => Frame.Create(FrameType.Data, -7, "Method" + value, payload: payload),
            "header-strings" => Frame.Create(FrameType.Header, 3, "Echo", Codec.Strings(("isn", "svc"), ("k", value)), payload),
            "trailer" => Frame.Create(FrameType.Trailer, 3, "Echo", Codec.Strings(("biz-status", value)), payload),
            "acl-and-ints" => new Frame(FrameType.Header, 3, "Echo", Codec.Strings((FrameCodec.AclTokenKey, value), ("k", "v")), new Dictionary<ushort, string> { [12] = value }, payload),
            "rst" => Frame.Create(FrameType.Rst, 3, "Echo", Codec.Strings(("ttscp", value)), payload),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static async Task RoundTripAsync(BidiStreamingCall<Request, Response> call, string message)
    {
        await call.SendAsync(new Request { Message = message }).AsTask().WaitAsync(Timeout);
        Assert.Equal(message, (await call.RecvAsync().AsTask().WaitAsync(Timeout))!.Message);
    }

    private static async Task CloseAsync(BidiStreamingCall<Request, Response> call)
    {
        await call.CloseSendAsync().AsTask().WaitAsync(Timeout);
        Assert.Null(await call.RecvAsync().AsTask().WaitAsync(Timeout));
    }

    private sealed class Echo : TestService.TestServiceBase
    {
        public TaskCompletionSource<Exception> SendFailed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task<Response> PingPongAsync(Request req, ServerCallContext context)
        {
            // "reply:N": a response of N characters.
            var message = req.Message ?? string.Empty;
            return Task.FromResult(new Response
            {
                Message = message.StartsWith("reply:", StringComparison.Ordinal) ? new string('r', int.Parse(message["reply:".Length..], CultureInfo.InvariantCulture)) : message,
            });
        }

        public override async Task EchoAsync(MessageReader<Request> requests, MessageWriter<Response> responses, ServerCallContext context)
        {
            await foreach (var r in requests)
            {
                await responses.SendAsync(new Response { Message = r.Message });
            }
        }

        public override async Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context)
        {
            // "big:N" or "catch:N": first a response of N characters; "catch" goes on if that send fails.
            var instruction = (req.Message ?? string.Empty).Split(':');
            if (instruction.Length == 2)
            {
                try
                {
                    await responses.SendAsync(new Response { Message = new string('r', int.Parse(instruction[1], CultureInfo.InvariantCulture)) });
                }
                catch (Exception e)
                {
                    SendFailed.TrySetResult(e);
                    if (instruction[0] != "catch")
                    {
                        throw;
                    }
                }
            }

            await responses.SendAsync(new Response { Message = "small" });
        }
    }
}
