namespace StreamX.Transport.Grpc.Tests.Interop;

/// <summary>
/// The C# interop peer's <c>--transport grpc</c> as a client of the Node gRPC server, and as the
/// middle hop of a cascade between Node processes (<c>--downstream</c> over gRPC by default).
/// </summary>
[Trait("Category", "Slow")]
[Trait("Category", "Interop")]
public sealed class InteropPeerOverGrpcTests : IClassFixture<GrpcNodeFixture>
{
    private const string UserCancelText = "[ttstream error, code=12007] [client-side stream] user code invoking stream RPC with context processed by context.WithCancel or context.WithTimeout, then invoking cancel() actively";

    [Fact]
    public async Task CSharpPeerClient_OverGrpc_AgainstNodeServer()
    {
        await GrpcNodeFixture.EnsureReadyAsync();
        var (server, address) = await PeerProcess.StartServerAsync(PeerProcess.Node);
        await using var _ = server;

        await using (var client = PeerProcess.CSharp("client", "--transport", "grpc", "--addr", address, "--mode", "pingpong", "--msg", "ping", "--persist", "P1=pv1"))
        {
            Assert.Equal("ping", (await client.WaitAsync("client_end")).Str("response"));
            Assert.Equal(0, await client.ExitCodeAsync());
        }

        var call = await server.WaitAsync("server_call", e => e.Str("method") == "PingPong");
        Assert.Equal("application/grpc+thrift", call.Str("content_type"));
        Assert.Equal("pv1", call.Map("metadata")["rpc-persist-p1"]);
        Assert.Equal("oracle-client", call.Map("metadata")["streamx-caller"]);

        await using (var client = PeerProcess.CSharp("client", "--transport", "grpc", "--addr", address, "--mode", "pingpong", "--msg", "ping,error:boom"))
        {
            var end = await client.WaitAsync("client_end");
            Assert.Equal("[ttstream error, code=12001] [client-side stream] grpc status 13 (INTERNAL): boom", end.Str("err"));
            Assert.Equal(0, await client.ExitCodeAsync());
        }

        await using (var client = PeerProcess.CSharp("client", "--transport", "grpc", "--addr", address, "--mode", "cancel", "-n", "1000", "--delay-ms", "30", "--cancel-after", "2"))
        {
            var end = await client.WaitAsync("client_end");
            Assert.Equal(UserCancelText, end.Str("err"));
            Assert.Equal(2, end.Int("recv_count"));
        }

        var done = await server.WaitAsync("server_ctx_done", e => e.Str("method") == "EchoServer");
        Assert.Equal("cancelled", done.Str("ctx_err"));
        Assert.True(done.Bool("reset_by_client"), server.Output);
    }

    [Fact]
    public async Task Cascade_NodeClient_CSharpHop_NodeServer_CancelReachesTheEnd()
    {
        await GrpcNodeFixture.EnsureReadyAsync();
        var (c, addressC) = await PeerProcess.StartServerAsync(PeerProcess.Node);
        await using var _c = c;
        var (b, addressB) = await PeerProcess.StartServerAsync(PeerProcess.CSharp, "--transport", "grpc", "--service-name", "B", "--downstream", addressC);
        await using var _b = b;

        await using var a = PeerProcess.Node("client", "--addr", addressB, "--mode", "cancel", "-n", "1000", "--delay-ms", "30", "--cancel-after", "2");
        var end = await a.WaitAsync("client_end");
        Assert.Equal(1, end.Int("code"));
        Assert.Equal(2, end.Int("recv_count"));

        // B: the Node client's reset fires the handler's token; the oracle's callback on it runs.
        var atB = await b.WaitAsync("server_ctx_done");
        Assert.StartsWith("[ttstream error, code=12010] [server-side stream] ", atB.Str("ctx_err"));
        Assert.Equal(12010, (await b.WaitAsync("stream_end")).Int("code"));

        // C: B's relay call joined the handler's lifecycle, so it was reset too.
        var callAtC = await c.WaitAsync("server_call");
        Assert.Equal("B", callAtC.Map("metadata")["streamx-caller"]);
        var atC = await c.WaitAsync("server_ctx_done");
        Assert.Equal("cancelled", atC.Str("ctx_err"));
        Assert.True(atC.Bool("reset_by_client"), c.Output);
    }
}
