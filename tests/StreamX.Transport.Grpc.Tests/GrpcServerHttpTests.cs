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

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string contentType = "application/grpc+thrift", Action<HttpRequestMessage>? configure = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact, Content = content };
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        configure?.Invoke(request);
        var response = await _http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync(); // trailers arrive at the end of the body
        return response;
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

    [Fact]
    public async Task Compression_IsRefused_WithTheSupportedEncoding()
    {
        using var response = await PostAsync("/echo.TestService/PingPong", Wire.Frame(Args("x")), configure: r => r.Headers.TryAddWithoutValidation("grpc-encoding", "gzip"));
        Assert.Equal("12", Status(response));
        Assert.Equal("identity", response.Headers.GetValues("grpc-accept-encoding").Single());
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
