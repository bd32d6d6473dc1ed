using System.Buffers.Binary;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using StreamX.Examples.Echo;
using StreamX.Thrift;
using StreamX.Transport.Grpc;

namespace StreamX.Transport.Grpc.Tests;

/// <summary>
/// The server as any HTTP/2 client sees it, with raw HttpClient requests: the gRPC protocol's
/// rules (content types, trailers-only errors, limits, malformed input) rather than StreamX's client.
/// </summary>
public sealed class GrpcServerHttpTests : IAsyncLifetime
{
    private StreamXGrpcServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await StreamXGrpcServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0),
            new StreamXServerOptions { ServiceName = "server" },
            [TestService.TestServiceBase.BindService(new Echo())],
            new GrpcServerOptions { MaxReceiveMessageSize = 1024 });
        _http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = new Uri($"http://{_server.LocalEndPoint}") };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private sealed class Echo : TestService.TestServiceBase
    {
        public override Task<Response> PingPongAsync(Request req, ServerCallContext context) =>
            req.Message == "fail" ? throw new InvalidOperationException("boom") : Task.FromResult(new Response { Message = "pong:" + req.Message });

        public override async Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context)
        {
            await responses.SendAsync(new Response { Message = req.Message });
        }
    }

    private static byte[] Args(string message) =>
        ThriftSerializer.Serialize(new TestService.PingPongArgs { Req = new Request { Message = message } }, ThriftProtocol.Binary);

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string contentType = "application/grpc+thrift", Action<HttpRequestMessage>? configure = null) =>
        (await CallAsync(_http, path, body, contentType, configure)).Response;

    /// <summary>One request; the response with its body read to the end (trailers arrive after it).</summary>
    private static async Task<(HttpResponseMessage Response, byte[] Body)> CallAsync(HttpClient http, string path, byte[] body, string contentType = "application/grpc+thrift", Action<HttpRequestMessage>? configure = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact, Content = content };
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        configure?.Invoke(request);
        var response = await http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return (response, bytes);
    }

    private static Action<HttpRequestMessage> Headers(params (string Name, string Value)[] headers) => request =>
    {
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    };

    private static byte[] Result(string message) =>
        ThriftSerializer.Serialize(new TestService.PingPongResult { Success = new Response { Message = message } }, ThriftProtocol.Binary);

    private static byte[] StreamRequest(string message) => ThriftSerializer.Serialize(new Request { Message = message }, ThriftProtocol.Binary);

    private static string ResponseText(byte[] payload) => ThriftSerializer.Deserialize<Response>(payload, ThriftProtocol.Binary).Message!;

    /// <summary>A second server, with other options, for one test.</summary>
    private static async Task<(StreamXGrpcServer Server, HttpClient Http)> StartAsync(GrpcServerOptions options)
    {
        var server = await StreamXGrpcServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0),
            new StreamXServerOptions { ServiceName = "server" },
            [TestService.TestServiceBase.BindService(new Echo())],
            options);
        return (server, new HttpClient(new SocketsHttpHandler()) { BaseAddress = new Uri($"http://{server.LocalEndPoint}") });
    }

    private static string? Status(HttpResponseMessage response) =>
        (response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t : response.Headers.TryGetValues("grpc-status", out var h) ? h : null)?.Single();

    private static string? Header(HttpResponseMessage response, string name) =>
        (response.TrailingHeaders.TryGetValues(name, out var t) ? t : response.Headers.TryGetValues(name, out var h) ? h : null)?.Single();

    [Theory]
    [InlineData("application/grpc+thrift")]
    [InlineData("application/grpc")]
    public async Task Unary_AnswersWithTheRequestsContentType_AndTheResultWrapper(string contentType)
    {
        using var response = await PostAsync("/echo.TestService/PingPong", Wire.Frame(Args("hi")), contentType);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal("0", Status(response));
    }

    [Fact]
    public async Task Unary_HandlerFailure_IsInternal_WithTheMessage_AndTheExceptionType()
    {
        using var response = await PostAsync("/TestService/PingPong", Wire.Frame(Args("fail")));
        Assert.Equal("13", Status(response));
        Assert.Equal("biz error: boom", Uri.UnescapeDataString(Header(response, "grpc-message")!));
        Assert.Equal("6", Header(response, "streamx-exception-type"));
    }

    [Fact]
    public async Task UnknownMethod_IsUnimplemented()
    {
        using var response = await PostAsync("/echo.TestService/Nope", Wire.Frame(Args("x")));
        Assert.Equal("12", Status(response));
        Assert.Contains("unknown method Nope", Uri.UnescapeDataString(Header(response, "grpc-message")!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownService_IsUnimplemented()
    {
        using var response = await PostAsync("/echo.Other/PingPong", Wire.Frame(Args("x")));
        Assert.Equal("12", Status(response));
    }

    [Fact]
    public async Task MalformedPath_IsUnimplemented_TrailersOnly()
    {
        using var response = await PostAsync("/just-one-segment", Wire.Frame(Args("x")));
        Assert.Equal("12", response.Headers.GetValues("grpc-status").Single());
    }

    [Fact]
    public async Task NotGrpcContentType_Is415()
    {
        using var response = await PostAsync("/echo.TestService/PingPong", Wire.Frame(Args("x")), "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("br")]
    [InlineData("snappy")]
    [InlineData("gzip,deflate")]
    public async Task Compression_UnsupportedEncoding_IsUnimplemented_ListingTheSupportedOnes(string encoding)
    {
        using var response = await PostAsync("/echo.TestService/PingPong", Wire.Frame(Wire.Gzip(Args("x")), flag: 1), configure: Headers(("grpc-encoding", encoding)));
        Assert.Equal("12", Status(response));
        Assert.Equal($"grpc-encoding '{encoding}' is not supported (supported: identity, gzip, deflate)", Uri.UnescapeDataString(Header(response, "grpc-message")!));
        // The spec: the answer lists what the server accepts, and not the encoding that was used.
        Assert.Equal("identity,gzip,deflate", response.Headers.GetValues("grpc-accept-encoding").Single());

        using var streaming = await PostAsync("/echo.TestService/EchoServer", Wire.Frame(Wire.Gzip(StreamRequest("x")), flag: 1), configure: Headers(("grpc-encoding", encoding)));
        Assert.Equal("12", Status(streaming));
        Assert.Equal("identity,gzip,deflate", streaming.Headers.GetValues("grpc-accept-encoding").Single());
    }

    [Fact]
    public async Task Compression_EveryAnswerListsTheSupportedEncodings()
    {
        using var ok = await PostAsync("/echo.TestService/PingPong", Wire.Frame(Args("x")));
        Assert.Equal("0", Status(ok));
        Assert.Equal("identity,gzip,deflate", ok.Headers.GetValues("grpc-accept-encoding").Single());
        Assert.False(ok.Headers.Contains("grpc-encoding")); // response compression is off by default

        using var failed = await PostAsync("/echo.TestService/Nope", Wire.Frame(Args("x")));
        Assert.Equal("identity,gzip,deflate", failed.Headers.GetValues("grpc-accept-encoding").Single());
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("GZIP")]
    public async Task Compression_CompressedRequest_IsDecompressed_UnaryAndStreaming(string encoding)
    {
        Func<byte[], byte[]> compress = encoding.Equals("deflate", StringComparison.Ordinal) ? Wire.Zlib : Wire.Gzip;
        var (unary, body) = await CallAsync(_http, "/echo.TestService/PingPong", Wire.Frame(compress(Args("zipped")), flag: 1), configure: Headers(("grpc-encoding", encoding)));
        using (unary)
        {
            Assert.Equal("0", Status(unary));
            var frame = Wire.Frames(body).Single();
            Assert.Equal(0, frame.Flag); // the server does not compress unless told to
            Assert.Equal(Result("pong:zipped"), frame.Payload);
        }

        // A message under a compressing encoding may still go uncompressed (flag 0).
        var (mixed, mixedBody) = await CallAsync(_http, "/echo.TestService/PingPong", Wire.Frame(Args("plain")), configure: Headers(("grpc-encoding", encoding)));
        using (mixed)
        {
            Assert.Equal("0", Status(mixed));
            Assert.Equal(Result("pong:plain"), Wire.Frames(mixedBody).Single().Payload);
        }

        var (streaming, streamBody) = await CallAsync(_http, "/echo.TestService/EchoServer", Wire.Frame(compress(StreamRequest("s")), flag: 1), configure: Headers(("grpc-encoding", encoding)));
        using (streaming)
        {
            Assert.Equal("0", Status(streaming));
            Assert.Equal("s", ResponseText(Wire.Frames(streamBody).Single().Payload));
        }
    }

    [Theory]
    [InlineData(null, "received a compressed message (flag byte 1), but the client sent no grpc-encoding")]
    [InlineData("identity", "received a compressed message (flag byte 1), but the client's grpc-encoding is identity")]
    public async Task Compression_CompressedFlag_WithoutACompressingEncoding_IsInternal(string? encoding, string message)
    {
        var configure = encoding is null ? null : Headers(("grpc-encoding", encoding));
        using var response = await PostAsync("/echo.TestService/PingPong", Wire.Frame(Wire.Gzip(Args("x")), flag: 1), configure: configure);
        Assert.Equal("13", Status(response));
        Assert.Equal(message, Uri.UnescapeDataString(Header(response, "grpc-message")!));

        using var streaming = await PostAsync("/echo.TestService/EchoServer", Wire.Frame(Wire.Gzip(StreamRequest("x")), flag: 1), configure: configure);
        Assert.Equal("13", Status(streaming));
        Assert.Equal("12004", Header(streaming, "streamx-reset"));
        Assert.Contains(message, Uri.UnescapeDataString(Header(streaming, "grpc-message")!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compression_CorruptData_IsInternal_SayingSo()
    {
        // deflate bytes announced as gzip, and gzip bytes cut short.
        using var wrong = await PostAsync("/echo.TestService/PingPong", Wire.Frame(Wire.Zlib(Args("x")), flag: 1), configure: Headers(("grpc-encoding", "gzip")));
        Assert.Equal("13", Status(wrong));
        Assert.Contains("the compressed data is corrupt", Uri.UnescapeDataString(Header(wrong, "grpc-message")!), StringComparison.Ordinal);

        using var truncated = await PostAsync("/echo.TestService/EchoServer", Wire.Frame(Wire.Gzip(StreamRequest("x"))[..^3], flag: 1), configure: Headers(("grpc-encoding", "gzip")));
        Assert.Equal("13", Status(truncated));
        Assert.Equal("12004", Header(truncated, "streamx-reset"));
        Assert.Contains("the compressed data is corrupt", Uri.UnescapeDataString(Header(truncated, "grpc-message")!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compression_Bomb_IsResourceExhausted_NamingTheLimit()
    {
        // 8 MiB of zeros in ~8 KB: under the 1024-byte limit on the wire, far over it decompressed.
        var bomb = Wire.GzipZeros(8 * 1024 * 1024);
        Assert.True(bomb.Length < 10 * 1024 && bomb.Length > 1024, $"{bomb.Length} bytes");
        var small = Wire.Gzip(new byte[100]);
        Assert.True(small.Length < 1024);

        // A small bomb: passes the wire check (the compressed size), stopped when inflating.
        var tiny = Wire.GzipZeros(4096);
        Assert.True(tiny.Length < 1024, $"{tiny.Length} bytes");
        using var unary = await PostAsync("/echo.TestService/PingPong", Wire.Frame(tiny, flag: 1), configure: Headers(("grpc-encoding", "gzip")));
        Assert.Equal("8", Status(unary));
        Assert.Equal("received a gzip-compressed message that decompresses to more than GrpcServerOptions.MaxReceiveMessageSize (1024 bytes)", Uri.UnescapeDataString(Header(unary, "grpc-message")!));

        using var streaming = await PostAsync("/echo.TestService/EchoServer", Wire.Frame(tiny, flag: 1), configure: Headers(("grpc-encoding", "gzip")));
        Assert.Equal("8", Status(streaming));
        Assert.Equal("12004", Header(streaming, "streamx-reset"));

        // A big one is refused by its wire length before it is even buffered.
        using var big = await PostAsync("/echo.TestService/PingPong", Wire.Frame(bomb, flag: 1), configure: Headers(("grpc-encoding", "gzip")));
        Assert.Equal("8", Status(big));
        Assert.Contains("received message larger than max", Uri.UnescapeDataString(Header(big, "grpc-message")!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x80)] // a control message, but this client did not ask for cancel details
    [InlineData(0x81)] // control and compressed at once: no such flag
    [InlineData(0x02)]
    public async Task Flags_AreWholeBytes_UnknownOnesAreInternal(byte flag)
    {
        using var streaming = await PostAsync("/echo.TestService/EchoServer", Wire.Frame(StreamRequest("x"), flag), configure: Headers(("grpc-encoding", "gzip")));
        Assert.Equal("13", Status(streaming));
        Assert.Contains($"invalid flag byte 0x{flag:x2}", Uri.UnescapeDataString(Header(streaming, "grpc-message")!), StringComparison.Ordinal);

        using var unary = await PostAsync("/echo.TestService/PingPong", Wire.Frame(Args("x"), flag), configure: Headers(("grpc-encoding", "gzip")));
        Assert.Equal("13", Status(unary));
    }

    [Theory]
    [InlineData(GrpcCompression.Gzip, "identity,deflate,gzip", "gzip")]
    [InlineData(GrpcCompression.Deflate, "identity,deflate,gzip", "deflate")]
    [InlineData(GrpcCompression.Gzip, "identity, deflate", null)]
    [InlineData(GrpcCompression.Gzip, "identity", null)]
    [InlineData(GrpcCompression.Gzip, null, null)]
    public async Task ResponseCompression_OnlyWithAnEncodingTheClientAccepts(GrpcCompression configured, string? accept, string? expected)
    {
        var (server, http) = await StartAsync(new GrpcServerOptions { ResponseCompression = configured });
        await using var _ = server;
        using var __ = http;
        var configure = accept is null ? null : Headers(("grpc-accept-encoding", accept));
        Func<byte[], byte[]> decompress = expected == "deflate" ? Wire.Unzlib : Wire.Gunzip;

        var (unary, body) = await CallAsync(http, "/echo.TestService/PingPong", Wire.Frame(Args("hi")), configure: configure);
        using (unary)
        {
            Assert.Equal("0", Status(unary));
            Assert.Equal("identity,gzip,deflate", unary.Headers.GetValues("grpc-accept-encoding").Single());
            var frame = Wire.Frames(body).Single();
            if (expected is null)
            {
                Assert.False(unary.Headers.Contains("grpc-encoding"));
                Assert.Equal(0, frame.Flag);
                Assert.Equal(Result("pong:hi"), frame.Payload);
            }
            else
            {
                Assert.Equal(expected, unary.Headers.GetValues("grpc-encoding").Single());
                Assert.Equal(1, frame.Flag);
                Assert.Equal(Result("pong:hi"), decompress(frame.Payload));
            }
        }

        var (streaming, streamBody) = await CallAsync(http, "/echo.TestService/EchoServer", Wire.Frame(StreamRequest("s")), configure: configure);
        using (streaming)
        {
            Assert.Equal("0", Status(streaming));
            var frame = Wire.Frames(streamBody).Single();
            Assert.Equal(expected is null ? 0 : 1, frame.Flag);
            Assert.Equal("s", ResponseText(expected is null ? frame.Payload : decompress(frame.Payload)));
            Assert.Equal(expected, streaming.Headers.TryGetValues("grpc-encoding", out var values) ? values.Single() : null);
        }
    }

    [Fact]
    public async Task ResponseCompression_ErrorsStayTrailersOnly()
    {
        var (server, http) = await StartAsync(new GrpcServerOptions { ResponseCompression = GrpcCompression.Gzip });
        await using var _ = server;
        using var __ = http;
        var (response, body) = await CallAsync(http, "/echo.TestService/PingPong", Wire.Frame(Args("fail")), configure: Headers(("grpc-accept-encoding", "gzip")));
        using (response)
        {
            Assert.Empty(body);
            Assert.Equal("13", response.Headers.GetValues("grpc-status").Single());
            Assert.False(response.Headers.Contains("grpc-encoding"));
        }

        // A streaming call reset before its handler sent anything (here: an unknown flag byte) too.
        var (streaming, streamBody) = await CallAsync(http, "/echo.TestService/EchoServer", Wire.Frame(StreamRequest("x"), flag: 2), configure: Headers(("grpc-accept-encoding", "gzip")));
        using (streaming)
        {
            Assert.Empty(streamBody);
            Assert.Equal("13", streaming.Headers.GetValues("grpc-status").Single());
            Assert.False(streaming.Headers.Contains("grpc-encoding"));
            Assert.Equal("identity,gzip,deflate", streaming.Headers.GetValues("grpc-accept-encoding").Single());
        }

        // A call that ends without messages after its headers went out may name the encoding (headers, then trailers).
        var (unknown, unknownBody) = await CallAsync(http, "/echo.TestService/Nope", Wire.Frame(StreamRequest("x")), configure: Headers(("grpc-accept-encoding", "gzip")));
        using (unknown)
        {
            Assert.Empty(unknownBody);
            Assert.Equal("12", Status(unknown));
        }
    }

    [Fact]
    public async Task CompressedFlag_WithoutEncoding_IsInternal()
    {
        using var response = await PostAsync("/echo.TestService/PingPong", Wire.Frame(Args("x"), flag: 1));
        Assert.Equal("13", Status(response));
    }

    [Fact]
    public async Task MalformedTimeout_IsInternal_AndNamed()
    {
        using var response = await PostAsync("/echo.TestService/PingPong", Wire.Frame(Args("x")), configure: r => r.Headers.TryAddWithoutValidation("grpc-timeout", "soon"));
        Assert.Equal("13", Status(response));
        Assert.Contains("grpc-timeout", Uri.UnescapeDataString(Header(response, "grpc-message")!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageOverTheLimit_IsResourceExhausted_BeforeItIsBuffered()
    {
        var body = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), 1_000_000); // declares 1 MB, sends none of it
        using var response = await PostAsync("/echo.TestService/PingPong", body);
        Assert.Equal("8", Status(response));
    }

    [Fact]
    public async Task UnaryWithTwoMessages_IsInternal()
    {
        using var response = await PostAsync("/echo.TestService/PingPong", [.. Wire.Frame(Args("a")), .. Wire.Frame(Args("b"))]);
        Assert.Equal("13", Status(response));
        Assert.Contains("exactly one message", Uri.UnescapeDataString(Header(response, "grpc-message")!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyEndingInsideAMessage_IsInternal()
    {
        var frame = Wire.Frame(Args("abc"));
        using var response = await PostAsync("/echo.TestService/PingPong", frame[..^2]);
        Assert.Equal("13", Status(response));
        Assert.Contains("ended inside a message", Uri.UnescapeDataString(Header(response, "grpc-message")!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamingMethod_MessageOverTheLimit_ResetsWithResourceExhausted()
    {
        var body = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), 1_000_000);
        using var response = await PostAsync("/echo.TestService/EchoServer", body);
        Assert.Equal("8", Status(response));
        Assert.Equal("12004", Header(response, "streamx-reset"));
    }

    [Fact]
    public async Task Http11_IsRefused()
    {
        var content = new ByteArrayContent(Wire.Frame(Args("x")));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/grpc");
        var request = new HttpRequestMessage(HttpMethod.Post, "/echo.TestService/PingPong") { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact, Content = content };

        // The endpoint speaks HTTP/2 only (prior knowledge): an HTTP/1.1 request is never served as a call.
        try
        {
            using var response = await _http.SendAsync(request);
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("grpc-status"));
        }
        catch (HttpRequestException)
        {
            // Also a refusal.
        }
    }
}
