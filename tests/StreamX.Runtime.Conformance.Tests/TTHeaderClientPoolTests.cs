using System.Net;
using StreamX.Examples.Echo;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using StreamX.Transport.TTHeader;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.EchoService;

namespace StreamX.Runtime.Conformance.Tests;

/// <summary>
/// The TTHeader client's pools against a server that goes away and comes back on the same port: pooled connections
/// the server closed while they were idle are not reused, in every pool mode and for unary calls.
/// </summary>
public sealed class TTHeaderClientPoolTests
{
    private static EchoService Service(string name) => new()
    {
        PingPong = (req, ctx) => Task.FromResult(Res($"{name}:{req.Message}")),
        EchoServer = async (req, responses, ctx) => await responses.SendAsync(Res($"{name}:{req.Message}")),
    };

    private static Task<StreamXServer> StartAsync(int port, string name) =>
        StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, port), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(Service(name))]);

    private static async Task<string> StreamOnceAsync(TestService.TestServiceClient client, string message)
    {
        await using var call = client.EchoServer(Req(message));
        var response = await call.RecvAsync().Within();
        Assert.NotNull(response);
        return response.Message!;
    }

    /// <summary>The server restarts between two calls: the second call dials again instead of failing on the closed connection.</summary>
    [Theory]
    [InlineData(ConnectionPoolMode.Mux, false)]
    [InlineData(ConnectionPoolMode.Long, false)]
    [InlineData(ConnectionPoolMode.Short, false)]
    [InlineData(ConnectionPoolMode.Mux, true)]
    public async Task IdleConnectionsTheServerClosed_AreNotReused(ConnectionPoolMode mode, bool unary)
    {
        var first = await StartAsync(0, "one");
        var port = first.LocalEndPoint.Port;
        await using var transport = new TTHeaderClientTransport(new IPEndPoint(IPAddress.Loopback, port), new TTHeaderClientOptions { PoolMode = mode });
        var client = new TestService.TestServiceClient(transport);

        Assert.Equal("one:a", unary ? (await client.PingPongAsync(Req("a")).Within()).Message : await StreamOnceAsync(client, "a"));
        await first.DisposeAsync();

        await using var second = await StartAsync(port, "two");
        Assert.Equal("two:b", unary ? (await client.PingPongAsync(Req("b")).Within()).Message : await StreamOnceAsync(client, "b"));
    }

    /// <summary>
    /// MaxIdleTimeout: a pooled connection idle for longer is not reused (a new one is dialed); within it, the same
    /// connection serves again. Long-mode streams and unary calls; one tick makes every idle connection too old.
    /// </summary>
    [Theory]
    [InlineData(false, false)]
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
        Assert.Equal(1, transport.OpenConnections);
    }

    [Fact]
    public void MaxIdleTimeout_IsValidated()
    {
        Assert.Throws<ArgumentException>(() => new TTHeaderClientOptions { MaxIdleTimeout = TimeSpan.Zero }.Validate());
        new TTHeaderClientOptions { MaxIdleTimeout = null }.Validate();
    }
}
