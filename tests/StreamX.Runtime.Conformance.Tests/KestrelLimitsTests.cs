using System.Net;
using StreamX.Examples.Echo;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using StreamX.Transport;
using StreamX.Transport.Grpc;
using StreamX.Transport.TTHeader;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.EchoService;

namespace StreamX.Runtime.Conformance.Tests;

/// <summary>
/// The console servers' <c>KestrelLimits</c> (TTHeaderServerOptions, GrpcServerOptions) reach the Kestrel they start:
/// the connection count for every protocol of a TTHeader port, HTTP/2's limits for gRPC.
/// </summary>
public sealed class KestrelLimitsTests
{
    /// <summary>A bidi handler that tells which connection (client address and port) each call came on, then echoes.</summary>
    private static (EchoService Service, Func<Task<string>> NextPeer) PeerReporting()
    {
        var peers = System.Threading.Channels.Channel.CreateUnbounded<string>();
        var service = new EchoService
        {
            PingPong = (req, ctx) => Task.FromResult(Res("pong:" + req.Message)),
            Echo = async (requests, responses, ctx) =>
            {
                peers.Writer.TryWrite(ctx.Peer ?? "?");
                await foreach (var r in requests)
                {
                    await responses.SendAsync(Res(r.Message!));
                }
            },
        };
        return (service, () => peers.Reader.ReadAsync().AsTask().Within());
    }

    private static async Task<string> EchoOnceAsync(BidiStreamingCall<Request, Response> call, string message)
    {
        await call.SendAsync(Req(message)).Within();
        var response = await call.RecvAsync().Within();
        Assert.NotNull(response);
        return response.Message!;
    }

    [Fact]
    public async Task TTHeader_MaxConcurrentConnections_ClosesTheConnectionOverTheLimit()
    {
        var (service, nextPeer) = PeerReporting();
        await using var server = await StreamXServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0),
            new StreamXServerOptions(),
            [TestService.TestServiceBase.BindService(service)],
            new TTHeaderServerOptions { KestrelLimits = limits => limits.MaxConcurrentConnections = 1 });

        await using var first = new TTHeaderClientTransport(server.LocalEndPoint);
        await using var call = new TestService.TestServiceClient(first).Echo();
        Assert.Equal("a", await EchoOnceAsync(call, "a"));
        await nextPeer();

        // The first connection is still open: a second one is over the limit, and Kestrel closes it at once.
        await using var second = new TTHeaderClientTransport(server.LocalEndPoint);
        var e = await Await.Throws<StreamXException>(() => new TestService.TestServiceClient(second).PingPongAsync(Req("b")));
        Assert.True(e.Error.Code == 12006 && e.Error.Cause is IOException, e.ToString());

        Assert.Equal("c", await EchoOnceAsync(call, "c"));
    }

    /// <summary>
    /// Two gRPC calls open at once: on one connection by default; with HTTP/2's MaxStreamsPerConnection = 1 the server
    /// announces SETTINGS_MAX_CONCURRENT_STREAMS = 1 and the client opens a second connection for the second call.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Grpc_Http2MaxStreamsPerConnection_IsWhatTheClientIsTold(bool limited)
    {
        var (service, nextPeer) = PeerReporting();
        await using var server = await StreamXGrpcServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0),
            new StreamXDispatcher(new StreamXServerOptions(), [TestService.TestServiceBase.BindService(service)]),
            limited ? new GrpcServerOptions { KestrelLimits = limits => limits.Http2.MaxStreamsPerConnection = 1 } : null,
            tls: null);
        await using var transport = new GrpcClientTransport(server.LocalEndPoint);
        var client = new TestService.TestServiceClient(transport);

        await using var one = client.Echo();
        Assert.Equal("1", await EchoOnceAsync(one, "1"));
        await using var two = client.Echo();
        Assert.Equal("2", await EchoOnceAsync(two, "2"));
        Assert.Equal(limited, await nextPeer() != await nextPeer());
    }
}
