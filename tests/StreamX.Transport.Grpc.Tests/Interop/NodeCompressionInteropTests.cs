using System.Net;
using System.Text.Json;
using StreamX.Examples.Echo;

namespace StreamX.Transport.Grpc.Tests.Interop;

/// <summary>
/// Compression against gRPC code nobody here wrote: the Node peer (@grpc/grpc-js with Node's zlib,
/// tests/interop/grpc-node, <c>--compression</c>). Our client compresses its requests for a grpc-js
/// server and decodes that server's compressed responses (compressed by the peer below grpc-js, which
/// never compresses responses itself); a grpc-js client compresses its requests for our server and
/// decodes our compressed responses. The peer counts the messages and their flag bytes on its HTTP/2
/// streams, so every test sees what actually went over the wire, not only that the calls worked.
/// </summary>
[Trait("Category", "Slow")]
[Trait("Category", "Interop")]
public sealed class NodeCompressionInteropTests : IClassFixture<GrpcNodeFixture>
{
    private static readonly TimeSpan Step = PeerProcess.EventTimeout;

    private static string Name(GrpcCompression compression) => compression == GrpcCompression.Deflate ? "deflate" : compression == GrpcCompression.Gzip ? "gzip" : "identity";

    /// <summary>Long enough that compressing matters.</summary>
    private static string Text(string tag) => tag + string.Concat(Enumerable.Repeat(" squeeze me", 200));

    // ------------------------------------------------------------------ our client, the Node server

    private static async Task<(PeerProcess Server, GrpcClientTransport Transport, TestService.TestServiceClient Client)> StartNodeServerAsync(string compression, GrpcCompression requestCompression)
    {
        await GrpcNodeFixture.EnsureReadyAsync();
        var (server, address) = await PeerProcess.StartServerAsync(PeerProcess.Node, "--compression", compression);
        var transport = new GrpcClientTransport(new GrpcClientOptions { Address = new Uri("http://" + address), Package = "echo", RequestCompression = requestCompression });
        return (server, transport, new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "csharp-client" }));
    }

    /// <summary>Every mode once, checking what came back.</summary>
    private static async Task RunEveryModeAsync(TestService.TestServiceClient client)
    {
        Assert.Equal(Text("u"), (await client.PingPongAsync(new Request { Message = Text("u") }).WaitAsync(Step)).Message);

        var options = Text("s") + ",count:3,delay:1";
        await using (var call = client.EchoServer(new Request { Message = options }))
        {
            var received = new List<string>();
            while (await call.RecvAsync().AsTask().WaitAsync(Step) is { } r)
            {
                received.Add(r.Message!);
            }

            Assert.Equal([options + "#0", options + "#1", options + "#2"], received);
        }

        await using (var call = client.EchoClient())
        {
            foreach (var text in new[] { Text("c0"), Text("c1"), Text("c2") })
            {
                await call.SendAsync(new Request { Message = text }).AsTask().WaitAsync(Step);
            }

            Assert.Equal(Text("c0") + Text("c1") + Text("c2"), (await call.CloseAndRecvAsync().WaitAsync(Step)).Message);

            // CloseAndRecvAsync returns with the response message (as Kitex's CloseAndRecv does); disposing the call
            // before the trailers arrive resets the stream, which the server would count as a reset. Wait for them.
            await call.GetTrailersAsync().WaitAsync(Step);
        }

        await using (var call = client.Echo())
        {
            for (var i = 0; i < 3; i++)
            {
                await call.SendAsync(new Request { Message = Text($"b{i}") }).AsTask().WaitAsync(Step);
                Assert.Equal(Text($"b{i}"), (await call.RecvAsync().AsTask().WaitAsync(Step))!.Message);
            }

            await call.CloseSendAsync().AsTask().WaitAsync(Step);
            Assert.Null(await call.RecvAsync().AsTask().WaitAsync(Step));
        }
    }

    /// <summary>The (request messages, compressed ones, compressed responses) the Node server counted for a method.</summary>
    private static async Task<(int Requests, int Compressed, int CompressedResponses)> CountsAsync(PeerProcess server, string method)
    {
        var closed = await server.WaitAsync("server_h2_close", e => e.Str("path") == "/echo.TestService/" + method);
        Assert.Equal(0, closed.Int("rst_code"));
        return (closed.Int("request_messages")!.Value, closed.Int("request_compressed")!.Value, closed.Int("response_compressed")!.Value);
    }

    private static readonly (string Method, int Requests, int Responses)[] Modes =
        [("PingPong", 1, 1), ("EchoServer", 1, 3), ("EchoClient", 3, 1), ("Echo", 3, 3)];

    [Theory]
    [InlineData(GrpcCompression.Gzip)]
    [InlineData(GrpcCompression.Deflate)]
    public async Task OurClient_CompressesForAGrpcJsServer_AndDecodesItsCompressedResponses(GrpcCompression compression)
    {
        var (server, transport, client) = await StartNodeServerAsync(Name(compression), compression);
        await using var _ = server;
        await using var __ = transport;

        await RunEveryModeAsync(client);

        foreach (var (method, requests, responses) in Modes)
        {
            var call = await server.WaitAsync("server_call", e => e.Str("method") == method);
            Assert.Equal(Name(compression), call.Str("grpc_encoding"));
            Assert.Equal("identity,gzip,deflate", call.Str("grpc_accept_encoding"));
            // grpc-js decompressed every request (the handler got the text above), and every response
            // went back compressed by Node's zlib and was decoded by us.
            Assert.Equal((requests, requests, responses), await CountsAsync(server, method));
        }
    }

    [Fact]
    public async Task OurClient_WithoutRequestCompression_StillAcceptsCompressedResponses()
    {
        var (server, transport, client) = await StartNodeServerAsync("gzip", GrpcCompression.None);
        await using var _ = server;
        await using var __ = transport;

        await RunEveryModeAsync(client);

        foreach (var (method, requests, responses) in Modes)
        {
            var call = await server.WaitAsync("server_call", e => e.Str("method") == method);
            Assert.Null(call.Str("grpc_encoding"));
            Assert.Equal("identity,gzip,deflate", call.Str("grpc_accept_encoding"));
            Assert.Equal((requests, 0, responses), await CountsAsync(server, method));
        }
    }

    // ------------------------------------------------------------------ the Node client, our server

    /// <summary>The Node client modes' semantics (as the Kitex oracle's handlers): echo, <c>count:N</c> responses, concatenation, echo per message.</summary>
    private sealed class Oracle : TestService.TestServiceBase
    {
        public override Task<Response> PingPongAsync(Request req, ServerCallContext context) =>
            Task.FromResult(new Response { Message = req.Message });

        public override async Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context)
        {
            var count = req.Message!.Split(',').Where(o => o.StartsWith("count:", StringComparison.Ordinal)).Select(o => int.Parse(o[6..], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(3).Last();
            for (var i = 0; i < count; i++)
            {
                await responses.SendAsync(new Response { Message = $"{req.Message}#{i}" });
            }
        }

        public override async Task<Response> EchoClientAsync(MessageReader<Request> requests, ServerCallContext context)
        {
            var all = string.Empty;
            await foreach (var r in requests)
            {
                all += r.Message;
            }

            return new Response { Message = all };
        }

        public override async Task EchoAsync(MessageReader<Request> requests, MessageWriter<Response> responses, ServerCallContext context)
        {
            await foreach (var r in requests)
            {
                await responses.SendAsync(new Response { Message = r.Message });
            }
        }
    }

    private static Task<(PeerProcess Client, JsonElement End)> RunNodeClientAsync(string address, params string[] args) =>
        PeerProcess.RunNodeClientAsync(address, ["--wire", .. args]);

    public static TheoryData<string, bool> NodeClientCases() => new()
    {
        { "gzip", true },
        { "deflate", true },
        { "gzip", false },
        { "deflate", false },
    };

    [Theory]
    [MemberData(nameof(NodeClientCases))]
    public async Task GrpcJsClient_CompressesForOurServer_AndDecodesOurCompressedResponses(string algorithm, bool responseCompression)
    {
        var compression = algorithm == "gzip" ? GrpcCompression.Gzip : GrpcCompression.Deflate;
        await using var server = await StreamXGrpcServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0),
            new StreamXServerOptions { ServiceName = "csharp-server" },
            [TestService.TestServiceBase.BindService(new Oracle())],
            new GrpcServerOptions { ResponseCompression = responseCompression ? compression : GrpcCompression.None });
        var address = server.LocalEndPoint.ToString();
        var msg = Text("n");

        foreach (var (mode, requests, responses) in new[] { ("pingpong", 1, 1), ("server", 1, 3), ("client", 3, 1), ("bidi", 3, 3) })
        {
            var (client, end) = await RunNodeClientAsync(address, "--mode", mode, "-n", "3", "--delay-ms", "1", "--msg", msg, "--compression", algorithm);
            await using var _ = client;
            Assert.True(end.Int("code") == 0, $"{mode}: {end}");
            switch (mode)
            {
                case "pingpong":
                    Assert.Equal(msg, end.Str("response"));
                    break;
                case "client":
                    Assert.Equal($"{msg}-0;{msg}-1;{msg}-2;", end.Str("response"));
                    break;
                default:
                    Assert.Equal(responses, client.Events("client_recv").Count);
                    break;
            }

            Assert.Equal(algorithm, (await client.WaitAsync("client_h2_request")).GetProperty("headers").Str("grpc-encoding"));
            var headers = (await client.WaitAsync("client_h2_response")).GetProperty("headers");
            Assert.Equal("identity,gzip,deflate", headers.Str("grpc-accept-encoding"));
            Assert.Equal(responseCompression ? algorithm : null, headers.Str("grpc-encoding"));

            // Every request went compressed (our server decoded each); responses as configured.
            var closed = await client.WaitAsync("client_h2_close");
            Assert.Equal(0, closed.Int("rst_code"));
            Assert.Equal((requests, requests), (closed.Int("request_messages"), closed.Int("request_compressed")));
            Assert.Equal((responses, responseCompression ? responses : 0), (closed.Int("response_messages"), closed.Int("response_compressed")));
        }
    }

    [Fact]
    public async Task GrpcJsClient_OverOurReceiveLimit_AfterDecompression_GetsResourceExhausted()
    {
        // 20 000 characters squeeze to a few hundred bytes: under the limit on the wire, over it decompressed.
        await using var server = await StreamXGrpcServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0),
            new StreamXServerOptions { ServiceName = "csharp-server" },
            [TestService.TestServiceBase.BindService(new Oracle())],
            new GrpcServerOptions { MaxReceiveMessageSize = 4096 });
        var (client, end) = await RunNodeClientAsync(server.LocalEndPoint.ToString(), "--mode", "pingpong", "--msg", new string('z', 20_000), "--compression", "gzip");
        await using var _ = client;

        Assert.Equal(8, end.Int("code"));
        Assert.Equal("received a gzip-compressed message that decompresses to more than GrpcServerOptions.MaxReceiveMessageSize (4096 bytes)", end.Str("details"));
        Assert.Equal(1, (await client.WaitAsync("client_h2_close")).Int("request_compressed"));
    }
}
