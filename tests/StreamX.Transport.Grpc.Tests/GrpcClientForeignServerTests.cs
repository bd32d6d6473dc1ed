using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;
using StreamX.Examples.Echo;
using StreamX.Thrift;
using StreamX.Transport.Grpc;
using StreamX.Transport.TTHeader;

namespace StreamX.Transport.Grpc.Tests;

/// <summary>
/// The client against a server that is not StreamX (a raw HTTP/2 endpoint that answers what each test
/// scripts): foreign statuses, broken responses, metadata, and what the client puts on the wire.
/// </summary>
public sealed class GrpcClientForeignServerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private sealed class Foreign : IAsyncDisposable
    {
        private readonly StreamXServer _server;

        private Foreign(StreamXServer server, GrpcClientTransport transport)
        {
            _server = server;
            Transport = transport;
            Client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "me" });
        }

        public GrpcClientTransport Transport { get; }

        public TestService.TestServiceClient Client { get; }

        public ConcurrentQueue<IHeaderDictionary> Requests { get; } = new();

        public static async Task<Foreign> StartAsync(RequestDelegate app, GrpcClientOptions? options = null)
        {
            Foreign? self = null;
            var dispatcher = new StreamXDispatcher(new StreamXServerOptions(), []);
            var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), dispatcher, null, async context =>
            {
                var copy = new HeaderDictionary();
                foreach (var (k, v) in context.Request.Headers)
                {
                    copy[k] = v;
                }

                self!.Requests.Enqueue(copy);
                await app(context);
            });
            var address = new Uri($"http://{server.LocalEndPoint}");
            var transport = new GrpcClientTransport(options is null ? new GrpcClientOptions { Address = address } : options with { Address = address });
            self = new Foreign(server, transport);
            return self;
        }

        public async ValueTask DisposeAsync()
        {
            await Transport.DisposeAsync();
            await _server.DisposeAsync();
        }
    }

    private static byte[] ResponseBytes(string message) => ThriftSerializer.Serialize(new Response { Message = message }, ThriftProtocol.Binary);

    private static RequestDelegate TrailersOnly(int status, string? message = null, params (string Key, string Value)[] extra) => async context =>
    {
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (message is not null)
        {
            context.Response.Headers["grpc-message"] = GrpcProtocol.EncodeMessage(message);
        }

        foreach (var (k, v) in extra)
        {
            context.Response.Headers[k] = v;
        }

        await context.Response.CompleteAsync();
    };

    private static async Task<IStreamXError> RecvFailsAsync(Foreign foreign)
    {
        await using var call = foreign.Client.EchoServer(new Request { Message = "x" });
        var e = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            while (await call.RecvAsync().AsTask().WaitAsync(Wait) is not null)
            {
            }
        });
        return Assert.IsAssignableFrom<IStreamXError>(e);
    }

    [Fact]
    public async Task ForeignInternal_Is12001_WithTheStatusAsCause_AndTheDecodedMessage()
    {
        await using var foreign = await Foreign.StartAsync(TrailersOnly(13, "boom: 100% broken"));
        var error = await RecvFailsAsync(foreign);
        Assert.Equal(12001, error.Error.Code);
        var cause = Assert.IsType<GrpcStatusException>(error.Error.Cause);
        Assert.Equal(GrpcStatusCode.Internal, cause.StatusCode);
        Assert.Equal("boom: 100% broken", cause.Detail);
        Assert.Equal("[ttstream error, code=12001] [client-side stream] grpc status 13 (INTERNAL): boom: 100% broken", error.Error.Text);
    }

    [Fact]
    public async Task ForeignCancelled_IsACancellation_12009()
    {
        await using var foreign = await Foreign.StartAsync(TrailersOnly(1, "Cancelled"));
        var error = await RecvFailsAsync(foreign);
        Assert.IsType<StreamXCanceledException>(error);
        Assert.Equal(12009, error.Error.Code);
    }

    [Fact]
    public async Task ForeignDeadlineExceeded_IsATimeout_12015()
    {
        await using var foreign = await Foreign.StartAsync(TrailersOnly(4, "Deadline exceeded"));
        var error = await RecvFailsAsync(foreign);
        Assert.Equal(12015, error.Error.Code);
        Assert.Equal(StreamErrorCategory.Timeout, error.Error.Category);
    }

    [Fact]
    public async Task ServerDeadlineBeatingTheLocalTimer_EndsTheCallAsTheLocalDeadlineWould()
    {
        await using var foreign = await Foreign.StartAsync(TrailersOnly(4, "Deadline exceeded"));
        var options = new CallOptions { Timeout = TimeSpan.FromSeconds(30) };
        await using var call = foreign.Client.EchoServer(new Request { Message = "x" }, options);
        var error = await Assert.ThrowsAsync<StreamXException>(async () => await call.RecvAsync().AsTask().WaitAsync(Wait));
        Assert.Equal("[ttstream error, code=12015] [client-side stream] stream timeout, timeout in ctx: 30s", error.Message);

        var unary = await Assert.ThrowsAsync<StreamXException>(() => foreign.Client.PingPongAsync(new Request { Message = "x" }, options).WaitAsync(Wait));
        Assert.Equal("[ttstream error, code=12015] [client-side stream] stream timeout, timeout in ctx: 30s", unary.Message);
    }

    [Fact]
    public async Task ForeignBizStatus_IsABizStatusException()
    {
        await using var foreign = await Foreign.StartAsync(TrailersOnly(13, "no balance", ("biz-status", "10001"), ("biz-message", "no balance")));
        await using var call = foreign.Client.EchoServer(new Request { Message = "x" });
        var error = await Assert.ThrowsAsync<BizStatusException>(async () => await call.RecvAsync().AsTask().WaitAsync(Wait));
        Assert.Equal(10001, error.StatusCode);
        Assert.Equal("no balance", error.StatusMessage);
    }

    [Theory]
    [InlineData(404, GrpcStatusCode.Unimplemented)]
    [InlineData(503, GrpcStatusCode.Unavailable)]
    [InlineData(500, GrpcStatusCode.Unknown)]
    public async Task HttpErrorStatus_MapsThroughTheProtocolTable(int http, GrpcStatusCode expected)
    {
        await using var foreign = await Foreign.StartAsync(context =>
        {
            context.Response.StatusCode = http;
            return Task.CompletedTask;
        });
        var error = await RecvFailsAsync(foreign);
        Assert.Equal(expected, Assert.IsType<GrpcStatusException>(error.Error.Cause).StatusCode);
    }

    [Fact]
    public async Task NonGrpcContentType_IsUnknown()
    {
        await using var foreign = await Foreign.StartAsync(async context =>
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html>");
        });
        var error = await RecvFailsAsync(foreign);
        var cause = Assert.IsType<GrpcStatusException>(error.Error.Cause);
        Assert.Equal(GrpcStatusCode.Unknown, cause.StatusCode);
        Assert.Contains("text/html", cause.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingGrpcStatus_IsInternal_AfterTheMessages()
    {
        await using var foreign = await Foreign.StartAsync(async context =>
        {
            context.Response.ContentType = "application/grpc+proto"; // grpc-js answers +proto: accepted
            await context.Response.Body.WriteAsync(Wire.Frame(ResponseBytes("one")));
        });
        await using var call = foreign.Client.EchoServer(new Request { Message = "x" });
        Assert.Equal("one", (await call.RecvAsync().AsTask().WaitAsync(Wait))!.Message);
        var error = await Assert.ThrowsAnyAsync<StreamXException>(async () => await call.RecvAsync().AsTask().WaitAsync(Wait));
        Assert.Equal(GrpcStatusCode.Internal, Assert.IsType<GrpcStatusException>(error.Error.Cause).StatusCode);
        Assert.Contains("without grpc-status", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompressedMessage_IsAProtocolError_12004()
    {
        await using var foreign = await Foreign.StartAsync(async context =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(Wire.Frame(ResponseBytes("z"), flag: 1));
            context.Response.AppendTrailer("grpc-status", "0");
        });
        var error = await RecvFailsAsync(foreign);
        Assert.Equal(12004, error.Error.Code);
        Assert.Contains("compressed", error.Error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedMessage_IsRefusedBeforeItIsBuffered()
    {
        await using var foreign = await Foreign.StartAsync(
            async context =>
            {
                context.Response.ContentType = "application/grpc";
                var prefix = new byte[5];
                BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), 64 * 1024 * 1024);
                await context.Response.Body.WriteAsync(prefix);
                await context.Response.Body.FlushAsync();
                // Holds the response open until the client gives up on it: the client must not wait for the 64 MiB.
                var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using var registration = context.RequestAborted.Register(() => aborted.TrySetResult());
                await aborted.Task;
            },
            new GrpcClientOptions { Address = new Uri("http://unused"), MaxReceiveMessageSize = 1024 });
        var error = await RecvFailsAsync(foreign);
        Assert.Equal(GrpcStatusCode.ResourceExhausted, Assert.IsType<GrpcStatusException>(error.Error.Cause).StatusCode);
    }

    [Fact]
    public async Task Metadata_HeadersAndTrailers_ReachTheCaller_MetainfoKitexStyle()
    {
        await using var foreign = await Foreign.StartAsync(async context =>
        {
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["x-header"] = "h";
            context.Response.Headers["rpc-persist-trace-id"] = "abc";
            await context.Response.Body.WriteAsync(Wire.Frame(ResponseBytes("one")));
            context.Response.AppendTrailer("grpc-status", "0");
            context.Response.AppendTrailer("x-trailer", "t");
        });
        await using var call = foreign.Client.EchoServer(new Request { Message = "x" });
        Assert.Equal("one", (await call.RecvAsync().AsTask().WaitAsync(Wait))!.Message);
        Assert.Null(await call.RecvAsync().AsTask().WaitAsync(Wait));
        var headers = await call.GetHeadersAsync().WaitAsync(Wait);
        Assert.Equal("h", headers["x-header"]);
        Assert.Equal("abc", headers["RPC_PERSIST_TRACE_ID"]);
        Assert.False(headers.ContainsKey("content-type"));
        Assert.Equal("t", (await call.GetTrailersAsync().WaitAsync(Wait))!["x-trailer"]);
    }

    [Fact]
    public async Task Request_CarriesTheProtocolHeaders_TheDeadline_AndMappedMetainfo()
    {
        await using var foreign = await Foreign.StartAsync(TrailersOnly(0));
        var options = new CallOptions
        {
            Timeout = TimeSpan.FromSeconds(30),
            PersistentMetainfo = new Dictionary<string, string> { ["TRACE_ID"] = "abc" },
            TransientMetainfo = new Dictionary<string, string> { ["hop"] = "1" },
            Headers = new Dictionary<string, string> { ["X-Custom"] = "v" },
        };
        await using (var call = foreign.Client.EchoServer(new Request { Message = "x" }, options))
        {
            Assert.Null(await call.RecvAsync().AsTask().WaitAsync(Wait));
        }

        Assert.True(foreign.Requests.TryDequeue(out var request));
        Assert.Equal("application/grpc+thrift", request!["content-type"]);
        Assert.Equal("trailers", request["te"]);
        Assert.Equal("me", request["streamx-caller"]);
        Assert.Equal("cancel-details", request["streamx-features"]);
        Assert.Equal("abc", request["rpc-persist-trace-id"]);
        Assert.Equal("1", request["rpc-transit-hop"]);
        Assert.Equal("v", request["x-custom"]);
        Assert.True(GrpcProtocol.TryParseTimeout(request["grpc-timeout"], out var timeout));
        Assert.InRange(timeout, TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData("content-type")]
    [InlineData("grpc-status")]
    [InlineData("has space")]
    [InlineData(":path")]
    public async Task Request_HeaderThatCannotTravel_FailsTheCall_NamingIt(string key)
    {
        await using var foreign = await Foreign.StartAsync(TrailersOnly(0));
        await using var call = foreign.Client.EchoServer(new Request { Message = "x" }, new CallOptions { Headers = new Dictionary<string, string> { [key] = "v" } });
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await call.RecvAsync().AsTask().WaitAsync(Wait));
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.Empty(foreign.Requests);
    }

    [Fact]
    public async Task Unary_ForeignStatus_ThrowsWithTheStatus_BizStatusAsItself()
    {
        await using var foreign = await Foreign.StartAsync(context => context.Request.Path.Value!.EndsWith("/PingPong", StringComparison.Ordinal)
            ? TrailersOnly(7, "who are you")(context)
            : TrailersOnly(0)(context));
        var error = await Assert.ThrowsAnyAsync<StreamXException>(() => foreign.Client.PingPongAsync(new Request { Message = "x" }).WaitAsync(Wait));
        Assert.Equal(GrpcStatusCode.PermissionDenied, Assert.IsType<GrpcStatusException>(error.Error.Cause).StatusCode);

        await using var biz = await Foreign.StartAsync(TrailersOnly(13, "late", ("biz-status", "4001"), ("biz-message", "late")));
        var bizError = await Assert.ThrowsAsync<BizStatusException>(() => biz.Client.PingPongAsync(new Request { Message = "x" }).WaitAsync(Wait));
        Assert.Equal(4001, bizError.StatusCode);
    }

    [Fact]
    public async Task Unary_SendsTheArgsWrapper_AndReadsTheResultWrapper()
    {
        byte[]? received = null;
        await using var foreign = await Foreign.StartAsync(async context =>
        {
            using var ms = new MemoryStream();
            await context.Request.Body.CopyToAsync(ms);
            received = ms.ToArray();
            context.Response.ContentType = "application/grpc+thrift";
            var result = ThriftSerializer.Serialize(new TestService.PingPongResult { Success = new Response { Message = "pong" } }, ThriftProtocol.Binary);
            await context.Response.Body.WriteAsync(Wire.Frame(result));
            context.Response.AppendTrailer("grpc-status", "0");
        });
        var response = await foreign.Client.PingPongAsync(new Request { Message = "ping" }).WaitAsync(Wait);
        Assert.Equal("pong", response.Message);
        var args = ThriftSerializer.Serialize(new TestService.PingPongArgs { Req = new Request { Message = "ping" } }, ThriftProtocol.Binary);
        Assert.Equal(Wire.Frame(args), received);
    }

    // ------------------------------------------------------------------ compression

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var ms = new MemoryStream();
        await context.Request.Body.CopyToAsync(ms);
        return ms.ToArray();
    }

    private static byte[] ResultBytes(string message) =>
        ThriftSerializer.Serialize(new TestService.PingPongResult { Success = new Response { Message = message } }, ThriftProtocol.Binary);

    private static Func<byte[], byte[]> Compressor(string encoding) => encoding == "deflate" ? Wire.Zlib : Wire.Gzip;

    private static Func<byte[], byte[]> Decompressor(string encoding) => encoding == "deflate" ? Wire.Unzlib : Wire.Gunzip;

    /// <summary>A foreign server whose every answer is these messages (flag, payload) under this grpc-encoding, then OK.</summary>
    private static RequestDelegate Answer(string? encoding, params (byte Flag, byte[] Payload)[] messages) => async context =>
    {
        await ReadBodyAsync(context);
        context.Response.ContentType = "application/grpc";
        if (encoding is not null)
        {
            context.Response.Headers["grpc-encoding"] = encoding;
        }

        foreach (var (flag, payload) in messages)
        {
            await context.Response.Body.WriteAsync(Wire.Frame(payload, flag));
        }

        context.Response.AppendTrailer("grpc-status", "0");
    };

    [Fact]
    public async Task Compression_ByDefault_RequestsListWhatTheClientDecodes_AndCompressNothing()
    {
        byte[]? body = null;
        await using var foreign = await Foreign.StartAsync(async context =>
        {
            body = await ReadBodyAsync(context);
            await Answer(null, (0, ResultBytes("pong")))(context);
        });
        Assert.Equal("pong", (await foreign.Client.PingPongAsync(new Request { Message = "ping" }).WaitAsync(Wait)).Message);

        Assert.True(foreign.Requests.TryDequeue(out var request));
        Assert.Equal("identity,gzip,deflate", request!["grpc-accept-encoding"]);
        Assert.False(request.ContainsKey("grpc-encoding"));
        Assert.Equal(0, Wire.Frames(body!).Single().Flag);
    }

    [Theory]
    [InlineData(GrpcCompression.Gzip, "gzip")]
    [InlineData(GrpcCompression.Deflate, "deflate")]
    public async Task RequestCompression_EveryMessageIsCompressed_UnaryAndStreaming(GrpcCompression compression, string encoding)
    {
        var bodies = new ConcurrentQueue<byte[]>();
        await using var foreign = await Foreign.StartAsync(
            async context =>
            {
                bodies.Enqueue(await ReadBodyAsync(context));
                await Answer(null, (0, context.Request.Path.Value!.EndsWith("/PingPong", StringComparison.Ordinal) ? ResultBytes("pong") : ResponseBytes("all")))(context);
            },
            new GrpcClientOptions { Address = new Uri("http://unused"), RequestCompression = compression });

        Assert.Equal("pong", (await foreign.Client.PingPongAsync(new Request { Message = "ping ping ping ping" }).WaitAsync(Wait)).Message);
        await using (var call = foreign.Client.EchoClient())
        {
            await call.SendAsync(new Request { Message = "one one one one" }).AsTask().WaitAsync(Wait);
            await call.SendAsync(new Request { Message = "two two two two" }).AsTask().WaitAsync(Wait);
            Assert.Equal("all", (await call.CloseAndRecvAsync().WaitAsync(Wait)).Message);
        }

        foreach (var request in foreign.Requests)
        {
            Assert.Equal(encoding, request["grpc-encoding"]);
            Assert.Equal("identity,gzip,deflate", request["grpc-accept-encoding"]);
        }

        Assert.Equal(2, foreign.Requests.Count);
        Assert.True(bodies.TryDequeue(out var unary));
        var args = ThriftSerializer.Serialize(new TestService.PingPongArgs { Req = new Request { Message = "ping ping ping ping" } }, ThriftProtocol.Binary);
        var frame = Wire.Frames(unary!).Single();
        Assert.Equal(1, frame.Flag);
        Assert.Equal(args, Decompressor(encoding)(frame.Payload)); // decoded by .NET's own stream, not by StreamX's codec

        Assert.True(bodies.TryDequeue(out var streaming));
        var frames = Wire.Frames(streaming!);
        Assert.Equal([1, 1], frames.Select(f => f.Flag));
        Assert.Equal(
            ["one one one one", "two two two two"],
            frames.Select(f => ThriftSerializer.Deserialize<Request>(Decompressor(encoding)(f.Payload), ThriftProtocol.Binary).Message));
    }

    [Fact]
    public async Task RequestCompression_TheSendLimitCountsTheUncompressedSize()
    {
        await using var foreign = await Foreign.StartAsync(
            Answer(null, (0, ResultBytes("pong"))),
            new GrpcClientOptions { Address = new Uri("http://unused"), RequestCompression = GrpcCompression.Gzip, MaxSendMessageSize = 1000 });
        var big = new Request { Message = new string('a', 2000) }; // ~40 bytes once compressed

        var unary = await Assert.ThrowsAsync<StreamXException>(() => foreign.Client.PingPongAsync(big).WaitAsync(Wait));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, Assert.IsType<GrpcStatusException>(unary.Error.Cause).StatusCode);
        Assert.Empty(foreign.Requests); // refused before anything was sent

        await using var call = foreign.Client.EchoClient();
        var send = await Assert.ThrowsAsync<StreamXException>(async () => await call.SendAsync(big).AsTask().WaitAsync(Wait));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, Assert.IsType<GrpcStatusException>(send.Error.Cause).StatusCode);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task ResponseCompression_IsDecodedByTheResponsesEncoding_MixedWithPlainMessages(string encoding)
    {
        var compress = Compressor(encoding);
        await using var foreign = await Foreign.StartAsync(context => context.Request.Path.Value!.EndsWith("/PingPong", StringComparison.Ordinal)
            ? Answer(encoding, (1, compress(ResultBytes("zipped pong"))))(context)
            : Answer(encoding, (1, compress(ResponseBytes("one"))), (0, ResponseBytes("two")), (1, compress(ResponseBytes("three"))))(context));

        Assert.Equal("zipped pong", (await foreign.Client.PingPongAsync(new Request { Message = "ping" }).WaitAsync(Wait)).Message);
        await using var call = foreign.Client.EchoServer(new Request { Message = "x" });
        var received = new List<string>();
        while (await call.RecvAsync().AsTask().WaitAsync(Wait) is { } r)
        {
            received.Add(r.Message!);
        }

        Assert.Equal(["one", "two", "three"], received);
    }

    [Theory]
    [InlineData("identity", "received a compressed message (flag byte 1), but the server's grpc-encoding is identity")]
    [InlineData("br", "received a message compressed with 'br', which StreamX cannot decompress (supported: identity, gzip, deflate)")]
    public async Task ResponseCompression_CompressedMessageTheEncodingCannotExplain_IsInternal_12004(string encoding, string detail)
    {
        await using var foreign = await Foreign.StartAsync(context => context.Request.Path.Value!.EndsWith("/PingPong", StringComparison.Ordinal)
            ? Answer(encoding, (1, Wire.Gzip(ResultBytes("z"))))(context)
            : Answer(encoding, (0, ResponseBytes("plain is fine")), (1, Wire.Gzip(ResponseBytes("z"))))(context));

        await using var call = foreign.Client.EchoServer(new Request { Message = "x" });
        Assert.Equal("plain is fine", (await call.RecvAsync().AsTask().WaitAsync(Wait))!.Message);
        var error = await Assert.ThrowsAnyAsync<StreamXException>(async () => await call.RecvAsync().AsTask().WaitAsync(Wait));
        Assert.Equal(12004, error.Error.Code);
        var cause = Assert.IsType<GrpcStatusException>(error.Error.Cause);
        Assert.Equal(GrpcStatusCode.Internal, cause.StatusCode);
        Assert.Equal(detail, cause.Detail);

        var unary = await Assert.ThrowsAnyAsync<StreamXException>(() => foreign.Client.PingPongAsync(new Request { Message = "x" }).WaitAsync(Wait));
        Assert.Equal(12004, unary.Error.Code);
        Assert.Equal(detail, Assert.IsType<GrpcStatusException>(unary.Error.Cause).Detail);
    }

    [Fact]
    public async Task ResponseCompression_Bomb_IsResourceExhausted_NamingTheLimit()
    {
        var bomb = Wire.GzipZeros(1024 * 1024); // 1 MiB of zeros in ~1 KB
        await using var foreign = await Foreign.StartAsync(
            Answer("gzip", (1, bomb)),
            new GrpcClientOptions { Address = new Uri("http://unused"), MaxReceiveMessageSize = 4096 });
        Assert.InRange(bomb.Length, 1, 4096);

        var error = await RecvFailsAsync(foreign);
        Assert.Equal(12004, error.Error.Code);
        var cause = Assert.IsType<GrpcStatusException>(error.Error.Cause);
        Assert.Equal(GrpcStatusCode.ResourceExhausted, cause.StatusCode);
        Assert.Equal("received a gzip-compressed message that decompresses to more than GrpcClientOptions.MaxReceiveMessageSize (4096 bytes)", cause.Detail);

        var unary = await Assert.ThrowsAnyAsync<StreamXException>(() => foreign.Client.PingPongAsync(new Request { Message = "x" }).WaitAsync(Wait));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, Assert.IsType<GrpcStatusException>(unary.Error.Cause).StatusCode);
    }

    [Fact]
    public async Task ResponseCompression_CorruptData_IsInternal_SayingSo()
    {
        await using var foreign = await Foreign.StartAsync(Answer("gzip", (1, Wire.Zlib(ResponseBytes("not gzip")))));
        var error = await RecvFailsAsync(foreign);
        var cause = Assert.IsType<GrpcStatusException>(error.Error.Cause);
        Assert.Equal(GrpcStatusCode.Internal, cause.StatusCode);
        Assert.Contains("the compressed data is corrupt", cause.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x80)] // an end notice carries no payload; with one it is no message this client knows
    [InlineData(0x81)]
    public async Task Flags_AreWholeBytes_ControlAndCompressedAreNotMixedUp(byte flag)
    {
        await using var foreign = await Foreign.StartAsync(Answer("gzip", (flag, Wire.Gzip(ResponseBytes("?")))));
        var error = await RecvFailsAsync(foreign);
        Assert.Equal($"received a message with the invalid flag byte 0x{flag:x2}", Assert.IsType<GrpcStatusException>(error.Error.Cause).Detail);
    }
}
