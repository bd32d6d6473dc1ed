using System.Net;
using StreamX.Examples.Echo;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using StreamX.Transport.TTHeader;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.EchoService;

namespace StreamX.Runtime.Conformance.Tests;

/// <summary>
/// The TTHeader client's pools: pooled connections the server closed while they were idle are not reused, in every
/// pool mode and for unary calls; idle connections older than MaxIdleTimeout are not reused either.
/// </summary>
public sealed class TTHeaderClientPoolTests
{
    private static EchoService Service(string name) => new()
    {
        PingPong = (req, ctx) => Task.FromResult(Res($"{name}:{req.Message}")),
        EchoServer = async (req, responses, ctx) => await responses.SendAsync(Res($"{name}:{req.Message}")),
    };

    private static async Task<string> StreamOnceAsync(TestService.TestServiceClient client, string message)
    {
        await using var call = client.EchoServer(Req(message));
        var response = await call.RecvAsync().Within();
        Assert.NotNull(response);
        return response.Message!;
    }

    /// <summary>
    /// The server drops its connections between two calls: the second call dials again instead of failing on the closed
    /// connection — at once, with no wait for the client to notice the close, for an idle Long-mode or unary connection
    /// (checked when taken) and in Short mode. (A Mux connection is replaced once its reader has seen the close:
    /// ConnectionTrackingTests in the TTHeader tests.)
    /// </summary>
    [Theory]
    [InlineData(ConnectionPoolMode.Long, false)]
    [InlineData(ConnectionPoolMode.Short, false)]
    [InlineData(ConnectionPoolMode.Mux, true)]
    public async Task IdleConnectionsTheServerClosed_AreNotReused(ConnectionPoolMode mode, bool unary)
    {
        await using var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(Service("s"))]);
        await using var forwarder = new StreamX.Tests.Shared.TcpForwarder(server.LocalEndPoint);
        await using var transport = new TTHeaderClientTransport(forwarder.LocalEndPoint, new TTHeaderClientOptions { PoolMode = mode });
        var client = new TestService.TestServiceClient(transport);

        Assert.Equal("s:a", unary ? (await client.PingPongAsync(Req("a")).Within()).Message : await StreamOnceAsync(client, "a"));
        await forwarder.DropConnectionsAsync().Within();

        Assert.Equal("s:b", unary ? (await client.PingPongAsync(Req("b")).Within()).Message : await StreamOnceAsync(client, "b"));
        Assert.Equal(2, forwarder.Accepted);
    }

    /// <summary>
    /// MaxIdleTimeout: a pooled connection idle for longer is not reused (a new one is dialed); within it, the same
    /// connection serves again. Long-mode streams and unary calls; one tick makes every idle connection too old. (A
    /// Long-mode stream disposed early returns its connection once the reset is sent, not before the call's dispose
    /// returns, so reuse by the very next stream is not asserted; unary calls return theirs before they complete.)
    /// </summary>
    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task IdleConnections_OlderThanMaxIdleTimeout_AreNotReused(bool unary, bool expire)
    {
        var peers = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        var service = new EchoService
        {
            PingPong = (req, ctx) =>
            {
                peers.Enqueue(ctx.Peer);
                return Task.FromResult(Res(req.Message!));
            },
            EchoServer = async (req, responses, ctx) =>
            {
                peers.Enqueue(ctx.Peer);
                await responses.SendAsync(Res(req.Message!));
            },
        };
        await using var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(service)]);
        var options = new TTHeaderClientOptions { PoolMode = ConnectionPoolMode.Long };
        await using var transport = new TTHeaderClientTransport(server.LocalEndPoint, expire ? options with { MaxIdleTimeout = TimeSpan.FromTicks(1) } : options);
        var client = new TestService.TestServiceClient(transport);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal($"{i}", unary ? (await client.PingPongAsync(Req($"{i}")).Within()).Message : await StreamOnceAsync(client, $"{i}"));
        }

        Assert.Equal(expire ? 3 : 1, peers.Distinct().Count());
        if (unary)
        {
            Assert.Equal(1, transport.OpenConnections);
        }
    }

    [Fact]
    public void MaxIdleTimeout_IsValidated()
    {
        Assert.Throws<ArgumentException>(() => new TTHeaderClientOptions { MaxIdleTimeout = TimeSpan.Zero }.Validate());
        new TTHeaderClientOptions { MaxIdleTimeout = null }.Validate();
    }
}
