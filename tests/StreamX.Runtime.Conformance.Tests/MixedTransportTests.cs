using System.Net;
using StreamX.Examples.Echo;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using StreamX.Transport;
using StreamX.Transport.Grpc;
using StreamX.Transport.TTHeader;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.EchoService;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.KitexTexts;

namespace StreamX.Runtime.Conformance.Tests;

/// <summary>
/// Chains that cross transports (ttstream and gRPC hops in one cascade) and one port serving both:
/// the canceled path and code survive every hop, whichever transport carries it.
/// </summary>
[Collection(CountersCollection.Name)]
public sealed class MixedTransportTests
{
    public enum Hop
    {
        TTHeader,
        Grpc,
        GrpcAuto,
    }

    private sealed class Server : IAsyncDisposable
    {
        private readonly IAsyncDisposable _server;

        private Server(IAsyncDisposable server, IPEndPoint endPoint)
        {
            _server = server;
            EndPoint = endPoint;
        }

        public IPEndPoint EndPoint { get; }

        public static async Task<Server> StartAsync(Hop hop, string name, TestService.TestServiceBase service)
        {
            var options = new StreamXServerOptions { ServiceName = name };
            var endPoint = new IPEndPoint(IPAddress.Loopback, 0);
            if (hop == Hop.TTHeader)
            {
                var s = await StreamXServer.StartAsync(endPoint, options, [TestService.TestServiceBase.BindService(service)]);
                return new Server(s, s.LocalEndPoint);
            }

            var g = await StreamXGrpcServer.StartAsync(endPoint, options, [TestService.TestServiceBase.BindService(service)]);
            return new Server(g, g.LocalEndPoint);
        }

        public ClientTransport Client(Hop hop) => hop switch
        {
            Hop.TTHeader => new TTHeaderClientTransport(EndPoint),
            Hop.Grpc => new GrpcClientTransport(new GrpcClientOptions { Address = new Uri($"http://{EndPoint}"), CancelDetails = GrpcCancelDetails.Always }),
            _ => new GrpcClientTransport(new GrpcClientOptions { Address = new Uri($"http://{EndPoint}") }),
        };

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }

    /// <summary>A → B → C with server streaming: A cancels, C sees the code and the path A -> B.</summary>
    [Theory]
    [InlineData(Hop.TTHeader, Hop.Grpc)]
    [InlineData(Hop.Grpc, Hop.TTHeader)]
    [InlineData(Hop.Grpc, Hop.Grpc)]
    public async Task Cascade_AToBToC_AcrossTransports_CSeesThePathAToB(Hop aToB, Hop bToC)
    {
        var cStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cSaw = new TaskCompletionSource<StreamError?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serviceC = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                ctx.CancellationToken.Register(() => cSaw.TrySetResult(ctx.CancelReason));
                await responses.SendAsync(Res("c0"));
                cStarted.SetResult();
                await ctx.CancellationToken.WhenCanceled();
            },
        };
        await using var c = await Server.StartAsync(bToC, "C", serviceC);
        await using var toC = c.Client(bToC);
        var clientOfC = new TestService.TestServiceClient(toC);
        var serviceB = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                await using var downstream = clientOfC.EchoServer(req);
                await foreach (var r in downstream)
                {
                    await responses.SendAsync(r);
                }
            },
        };
        await using var b = await Server.StartAsync(aToB, "B", serviceB);
        await using var toB = b.Client(aToB);

        var clientA = new TestService.TestServiceClient(toB, new StreamXClientOptions { ServiceName = "A" });
        using var cts = new CancellationTokenSource();
        await using var call = clientA.EchoServer(Req("hello"), cancellationToken: cts.Token);
        Assert.Equal("c0", (await call.RecvAsync().Within())!.Message);
        await cStarted.Task.Within();
        await cts.CancelAsync();

        var atC = await cSaw.Task.Within();
        Assert.Equal($"[ttstream error, code=12007] [server-side stream] [canceled path: A -> B] {UserCancelText}", atC!.Text);
    }

    /// <summary>
    /// With the default (Auto) a gRPC hop cannot carry the reason of a server-streaming cancel (the request
    /// stream is already closed and HTTP/2 resets carry nothing): C says so honestly, naming its caller.
    /// A bidirectional stream whose server has answered carries the full reason even in Auto.
    /// </summary>
    [Fact]
    public async Task Cascade_OverAnAutoGrpcHop_ServerStreaming_FallsBackToTheResetAndTheCallerName()
    {
        var (atC, _) = await RunAutoCascadeAsync(bidi: false);
        Assert.Equal("[ttstream error, code=12010] [server-side stream] [canceled path: B] the client reset the HTTP/2 stream (RST_STREAM)", atC!.Text);
    }

    [Fact]
    public async Task Cascade_OverAnAutoGrpcHop_Bidirectional_CarriesTheFullReason()
    {
        var (atC, _) = await RunAutoCascadeAsync(bidi: true);
        Assert.Equal($"[ttstream error, code=12007] [server-side stream] [canceled path: A -> B] {UserCancelText}", atC!.Text);
    }

    private static async Task<(StreamError? AtC, string First)> RunAutoCascadeAsync(bool bidi)
    {
        var cStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cSaw = new TaskCompletionSource<StreamError?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serviceC = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                ctx.CancellationToken.Register(() => cSaw.TrySetResult(ctx.CancelReason));
                await responses.SendAsync(Res("c0"));
                cStarted.SetResult();
                await ctx.CancellationToken.WhenCanceled();
            },
            Echo = async (requests, responses, ctx) =>
            {
                ctx.CancellationToken.Register(() => cSaw.TrySetResult(ctx.CancelReason));
                await foreach (var r in requests.WithCancellation(ctx.CancellationToken))
                {
                    await responses.SendAsync(Res("c0"));
                    cStarted.TrySetResult();
                }
            },
        };
        await using var c = await Server.StartAsync(Hop.Grpc, "C", serviceC);
        await using var toC = c.Client(Hop.GrpcAuto);
        var clientOfC = new TestService.TestServiceClient(toC);
        var serviceB = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                if (bidi)
                {
                    await using var duplex = clientOfC.Echo();
                    await duplex.SendAsync(req);
                    await foreach (var r in duplex)
                    {
                        await responses.SendAsync(r);
                    }
                }
                else
                {
                    await using var downstream = clientOfC.EchoServer(req);
                    await foreach (var r in downstream)
                    {
                        await responses.SendAsync(r);
                    }
                }
            },
        };
        await using var b = await Server.StartAsync(Hop.TTHeader, "B", serviceB);
        await using var toB = b.Client(Hop.TTHeader);
        var clientA = new TestService.TestServiceClient(toB, new StreamXClientOptions { ServiceName = "A" });
        using var cts = new CancellationTokenSource();
        await using var call = clientA.EchoServer(Req("hello"), cancellationToken: cts.Token);
        var first = (await call.RecvAsync().Within())!.Message!;
        await cStarted.Task.Within();
        await cts.CancelAsync();
        return (await cSaw.Task.Within(), first);
    }

    /// <summary>One port, both transports: detection by the first bytes sends gRPC to Kestrel's HTTP/2 and ttstream to StreamX.</summary>
    [Fact]
    public async Task OnePort_ServesTTHeaderAndGrpcClients()
    {
        var service = new EchoService
        {
            EchoServer = async (req, responses, ctx) =>
            {
                for (var i = 0; i < 3; i++)
                {
                    await responses.SendAsync(Res($"{req.Message}#{i}"));
                }
            },
            PingPong = (req, ctx) => Task.FromResult(Res("pong:" + req.Message)),
        };
        var dispatcher = new StreamXDispatcher(new StreamXServerOptions { ServiceName = "both" }, [TestService.TestServiceBase.BindService(service)]);
        await using var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), dispatcher, null, StreamXGrpc.CreateRequestDelegate(dispatcher));

        await using var tt = new TTHeaderClientTransport(server.LocalEndPoint);
        await using var grpc = new GrpcClientTransport(server.LocalEndPoint);
        foreach (var transport in new ClientTransport[] { tt, grpc })
        {
            var client = new TestService.TestServiceClient(transport);
            var received = new List<string>();
            await using (var call = client.EchoServer(Req("x")))
            {
                await foreach (var r in call.Within())
                {
                    received.Add(r.Message!);
                }
            }

            Assert.Equal(["x#0", "x#1", "x#2"], received);
            Assert.Equal("pong:p", (await client.PingPongAsync(Req("p")).Within()).Message);
        }
    }
}
