using System.Text.Json;
using System.Text.RegularExpressions;

namespace StreamX.Transport.Grpc.Tests.Interop;

/// <summary>
/// A gRPC client nobody here wrote (@grpc/grpc-js, tests/interop/grpc-node) calling our
/// StreamXGrpcServer: the C# interop peer (tests/StreamX.InteropPeer) as a separate process serving
/// echo.TestService with the Kitex oracle's handlers over <c>--transport grpc</c>. The Node client
/// sends <c>application/grpc</c> (never <c>+thrift</c>), <c>:path /echo.TestService/M</c>, and cancels
/// with a bare RST_STREAM(CANCEL) (the peer's <c>rst-only</c> default).
/// </summary>
[Trait("Category", "Slow")]
[Trait("Category", "Interop")]
public sealed partial class NodeClientToStreamXServerTests : IClassFixture<GrpcNodeFixture>
{
    /// <summary>What our handler's token says when a client that is not StreamX resets the stream: 12010, no canceled path.</summary>
    private static readonly string ClientResetText =
        StreamErrors.FromReset(StreamSide.Server, GrpcServerCall.ResetException, canceledPath: null).Text;

    [GeneratedRegex(@"^\[ttstream error, code=12015\] \[server-side stream\] stream timeout, timeout in ctx: [0-9.]+m?s$")]
    private static partial Regex ServerTimeoutText();

    private static Task<(PeerProcess Server, string Address)> StartServerAsync() =>
        PeerProcess.StartServerAsync(PeerProcess.CSharp, "--transport", "grpc", "--service-name", "csharp-server");

    private static Task<(PeerProcess Client, JsonElement End)> RunClientAsync(string address, params string[] args) =>
        PeerProcess.RunNodeClientAsync(address, [.. args]);

    private static string[] Received(PeerProcess client) => client.Events("client_recv").Select(e => e.Str("message")!).ToArray();

    [Fact]
    public async Task PingPong_UnaryWithArgsAndResultWrappers_AnsweredWithTheRequestContentType()
    {
        var (server, address) = await StartServerAsync();
        await using var _ = server;
        var (client, end) = await RunClientAsync(address, "--mode", "pingpong", "--msg", "ping", "--wire");
        await using var __ = client;

        Assert.Equal(0, end.Int("code"));
        Assert.Equal("ping", end.Str("response"));
        var request = (await client.WaitAsync("client_h2_request")).GetProperty("headers");
        Assert.Equal("/echo.TestService/PingPong", request.Str(":path"));
        Assert.Equal("application/grpc", request.Str("content-type"));
        var response = (await client.WaitAsync("client_h2_response")).GetProperty("headers");
        Assert.Equal("200", response.Str(":status"));
        Assert.Equal("application/grpc", response.Str("content-type")); // the request's content type
        Assert.Equal("0", (await client.WaitAsync("client_h2_trailers")).GetProperty("headers").Str("grpc-status"));

        // Our handler got the request out of TestService_PingPong_args (field 1).
        var call = await server.WaitAsync("server_call");
        Assert.Equal("PingPong", call.Str("method"));
        Assert.Equal("ping", call.Str("message"));
    }

    [Fact]
    public async Task ServerStreaming_AllResponsesThenOk()
    {
        var (server, address) = await StartServerAsync();
        await using var _ = server;
        var (client, end) = await RunClientAsync(address, "--mode", "server", "-n", "3", "--delay-ms", "10", "--msg", "srv");
        await using var __ = client;

        Assert.Equal(0, end.Int("code"));
        Assert.Equal(3, end.Int("recv_count"));
        Assert.Equal(["srv,count:3,delay:10#0", "srv,count:3,delay:10#1", "srv,count:3,delay:10#2"], Received(client));
        var serverEnd = await server.WaitAsync("stream_end");
        Assert.Equal(3, serverEnd.Int("sent_count"));
        Assert.Equal(string.Empty, serverEnd.Str("err"));
        Assert.Equal("srv,count:3,delay:10", (await server.WaitAsync("server_call")).Str("message"));
    }

    [Fact]
    public async Task ClientStreaming_ConcatenatedAfterHalfClose()
    {
        var (server, address) = await StartServerAsync();
        await using var _ = server;
        var (client, end) = await RunClientAsync(address, "--mode", "client", "-n", "3", "--msg", "cs");
        await using var __ = client;

        Assert.Equal(0, end.Int("code"));
        Assert.Equal("cs-0;cs-1;cs-2;", end.Str("response"));
        var serverEnd = await server.WaitAsync("stream_end");
        Assert.Equal("EchoClient", serverEnd.Str("method"));
        Assert.Equal(3, serverEnd.Int("recv_count"));
        Assert.Equal(string.Empty, serverEnd.Str("err"));
    }

    [Fact]
    public async Task Bidi_EchoesEveryRequestUntilHalfClose()
    {
        var (server, address) = await StartServerAsync();
        await using var _ = server;
        var (client, end) = await RunClientAsync(address, "--mode", "bidi", "-n", "3", "--msg", "bd");
        await using var __ = client;

        Assert.Equal(0, end.Int("code"));
        Assert.Equal(["bd-0", "bd-1", "bd-2"], Received(client));
        var serverEnd = await server.WaitAsync("stream_end");
        Assert.Equal("Echo", serverEnd.Str("method"));
        Assert.Equal(3, serverEnd.Int("recv_count"));
        Assert.Equal(string.Empty, serverEnd.Str("err"));
    }

    [Fact]
    public async Task Cancel_ServerStreaming_RstReachesOurHandlerToken()
    {
        var (server, address) = await StartServerAsync();
        await using var _ = server;
        var (client, end) = await RunClientAsync(address, "--mode", "cancel", "-n", "1000", "--delay-ms", "50", "--cancel-after", "2");
        await using var __ = client;

        Assert.Equal(1, end.Int("code")); // CANCELLED, reported by grpc-js itself
        Assert.Equal(2, end.Int("recv_count"));

        // The handler's token fired with the reset (12010, no path: the client is not StreamX), not a
        // closed connection, although the Node client closes its connection right after the RST_STREAM.
        var done = await server.WaitAsync("server_ctx_done");
        Assert.Equal(ClientResetText, done.Str("ctx_err"));
        var serverEnd = await server.WaitAsync("stream_end");
        Assert.Equal(12010, serverEnd.Int("code"));
        Assert.InRange(serverEnd.Int("sent_count")!.Value, 2, 999);
    }

    [Fact]
    public async Task Cancel_Bidi_RstReachesOurHandler()
    {
        var (server, address) = await StartServerAsync();
        await using var _ = server;
        var (client, end) = await RunClientAsync(address, "--mode", "cancel-bidi", "-n", "5", "--cancel-after", "2");
        await using var __ = client;

        Assert.Equal(1, end.Int("code"));
        Assert.Equal(2, end.Int("recv_count"));
        var serverEnd = await server.WaitAsync("stream_end");
        Assert.Equal("Echo", serverEnd.Str("method"));
        Assert.Equal(12010, serverEnd.Int("code"));
        Assert.Equal(ClientResetText, serverEnd.Str("ctx_err"));
        Assert.Equal(ClientResetText, serverEnd.Str("err"));
    }

    /// <summary>
    /// One call before a deadline test: the first request in a fresh .NET process spends its JIT time
    /// before our handler starts the grpc-timeout clock, so our deadline would lie that much after the
    /// Node client's, and its reset (at its deadline) would come long before ours.
    /// </summary>
    private static async Task WarmUpAsync(string address)
    {
        var (client, end) = await RunClientAsync(address, "--mode", "pingpong", "--msg", "warm");
        await using var _ = client;
        Assert.Equal(0, end.Int("code"));
    }

    [Fact]
    public async Task Deadline_ServerStreaming_GrpcTimeoutEndsOurHandlerWith12015_ClientGets4()
    {
        var (server, address) = await StartServerAsync();
        await using var _ = server;
        await WarmUpAsync(address);
        var (client, end) = await RunClientAsync(address, "--mode", "timeout", "-n", "50", "--delay-ms", "100", "--timeout-ms", "500");
        await using var __ = client;

        Assert.Equal(4, end.Int("code"));
        Assert.Equal("DEADLINE_EXCEEDED", end.Str("status"));
        Assert.InRange(end.Int("recv_count")!.Value, 1, 6);
        var done = await server.WaitAsync("server_ctx_done");
        Assert.Matches(ServerTimeoutText(), done.Str("ctx_err"));
        var serverEnd = await server.WaitAsync("stream_end");
        Assert.Equal(12015, serverEnd.Int("code"));
        Assert.Matches(ServerTimeoutText(), serverEnd.Str("ctx_err"));
    }

    [Fact]
    public async Task Deadline_Unary_GrpcTimeoutEndsOurHandlerWith12015_ClientGets4()
    {
        var (server, address) = await StartServerAsync();
        await using var _ = server;
        await WarmUpAsync(address);
        var (client, end) = await RunClientAsync(address, "--mode", "pingpong", "--msg", "ping,delay:5000", "--timeout-ms", "400");
        await using var __ = client;

        Assert.Equal(4, end.Int("code"));
        Assert.InRange(end.Int("elapsed_ms")!.Value, 350, 4000);
        var done = await server.WaitAsync("server_ctx_done");
        Assert.Equal("PingPong", done.Str("method"));
        Assert.Matches(ServerTimeoutText(), done.Str("ctx_err"));
    }

    [Fact]
    public async Task ServerError_Status13WithOurHandlersMessage()
    {
        var (server, address) = await StartServerAsync();
        await using var _ = server;
        var (client, end) = await RunClientAsync(address, "--mode", "servererr", "-n", "2", "--delay-ms", "10");
        await using var __ = client;

        Assert.Equal(13, end.Int("code"));
        Assert.Equal("INTERNAL", end.Str("status"));
        // Our server wraps a handler's error as Kitex does on ttstream (spec §3.5): 'biz error: <text>'.
        Assert.Equal("biz error: oracle handler failure", end.Str("details"));
        Assert.Equal(2, end.Int("recv_count"));

        var (unary, unaryEnd) = await RunClientAsync(address, "--mode", "pingpong", "--msg", "ping,error:unary failure");
        await using var ___ = unary;
        Assert.Equal(13, unaryEnd.Int("code"));
        Assert.Equal("biz error: unary failure", unaryEnd.Str("details"));
    }

    [Fact]
    public async Task BizError_Status13WithBizStatusTrailers()
    {
        var (server, address) = await StartServerAsync();
        await using var _ = server;
        var (client, end) = await RunClientAsync(address, "--mode", "bizerr", "-n", "2", "--delay-ms", "10");
        await using var __ = client;

        Assert.Equal(13, end.Int("code"));
        Assert.Equal("oracle biz failure", end.Str("details"));
        Assert.Equal(2, end.Int("recv_count"));
        var trailer = end.Map("trailer");
        Assert.Equal("4001", trailer["biz-status"]);
        Assert.Equal("oracle biz failure", trailer["biz-message"]);

        var (unary, unaryEnd) = await RunClientAsync(address, "--mode", "pingpong", "--msg", "ping,bizerr:4002:unary biz failure");
        await using var ___ = unary;
        Assert.Equal(13, unaryEnd.Int("code"));
        Assert.Equal("unary biz failure", unaryEnd.Str("details"));
        Assert.Equal("4002", unaryEnd.Map("trailer")["biz-status"]);
        Assert.Equal("unary biz failure", unaryEnd.Map("trailer")["biz-message"]);
    }

    [Fact]
    public async Task Metadata_BothWays_MetainfoArrivesKitexStyle()
    {
        var (server, address) = await StartServerAsync();
        await using var _ = server;
        var (client, end) = await RunClientAsync(
            address, "--mode", "metadata", "-n", "2", "--delay-ms", "10",
            "--meta", "rpc-persist-trace-id=t1", "--meta", "rpc-transit-hop=h1", "--meta", "x-custom=c1", "--meta", "X-Upper=u1");
        await using var __ = client;

        // Request metadata → our handler: metainfo keys as Kitex names them, other keys lower-cased.
        var call = await server.WaitAsync("server_call");
        Assert.Equal(new Dictionary<string, string> { ["TRACE_ID"] = "t1" }, call.Map("meta_persistent"));
        Assert.Equal(new Dictionary<string, string> { ["HOP"] = "h1" }, call.Map("meta_transient"));
        var headers = call.Map("headers");
        Assert.Equal("t1", headers["RPC_PERSIST_TRACE_ID"]);
        Assert.Equal("h1", headers["RPC_TRANSIT_HOP"]);
        Assert.Equal("c1", headers["x-custom"]);
        Assert.Equal("u1", headers["x-upper"]);
        Assert.DoesNotContain(headers.Keys, k => k.StartsWith("rpc-", StringComparison.Ordinal) || k.StartsWith("grpc-", StringComparison.Ordinal) || k == "content-type" || k == "te");

        // Our handler's header and trailer → the Node client.
        Assert.Equal(0, end.Int("code"));
        Assert.Equal(2, end.Int("recv_count"));
        Assert.Equal("hv1", end.Map("header")["oracle-header"]);
        Assert.Equal(new Dictionary<string, string> { ["oracle-trailer"] = "tv1" }, end.Map("trailer"));
    }
}
