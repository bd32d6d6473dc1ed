using System.Net;
using StreamX.Examples.Echo;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>
/// The client transport's connection bookkeeping: a streaming connection the server closed leaves it (no growth over
/// server restarts); idle pooled connections are swept after MaxIdleTimeout.
/// </summary>
public sealed class ConnectionTrackingTests
{
    private sealed class Echo : TestService.TestServiceBase
    {
        public override Task<Response> PingPongAsync(Request req, ServerCallContext context) => Task.FromResult(new Response { Message = req.Message });

        public override async Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context) =>
            await responses.SendAsync(new Response { Message = req.Message });
    }

    private static async Task<string?> StreamOnceAsync(TestService.TestServiceClient client, string message)
    {
        await using var call = client.EchoServer(new Request { Message = message });
        return (await call.RecvAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20)))?.Message;
    }

    [Theory]
    [InlineData(ConnectionPoolMode.Mux)]
    [InlineData(ConnectionPoolMode.Long)]
    public async Task ConnectionsTheServerClosed_AreForgotten(ConnectionPoolMode mode)
    {
        await using var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(new Echo())]);
        await using var forwarder = new StreamX.Tests.Shared.TcpForwarder(server.LocalEndPoint);
        await using var transport = new TTHeaderClientTransport(forwarder.LocalEndPoint, new TTHeaderClientOptions { PoolMode = mode, MuxPoolSize = 1 });
        var client = new TestService.TestServiceClient(transport);

        for (var round = 0; round < 3; round++)
        {
            Assert.Equal($"r{round}", await StreamOnceAsync(client, $"r{round}"));
            Assert.Equal(1, transport.TrackedStreamingConnections);
            var forgotten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Action signal = () => forgotten.TrySetResult();
            transport.ConnectionForgotten += signal;
            await forwarder.DropConnectionsAsync().WaitAsync(TimeSpan.FromSeconds(20));
            await forgotten.Task.WaitAsync(TimeSpan.FromSeconds(20));
            transport.ConnectionForgotten -= signal;
            Assert.Equal(0, transport.TrackedStreamingConnections);
        }

        Assert.Equal(3, forwarder.Accepted);
    }

    /// <summary>Idle Long-mode and unary connections are closed by the sweep once older than MaxIdleTimeout, with no call to trigger it.</summary>
    [Fact]
    public async Task IdleConnections_AreSweptAfterMaxIdleTimeout()
    {
        await using var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(new Echo())]);
        await using var transport = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { PoolMode = ConnectionPoolMode.Long, MaxIdleTimeout = TimeSpan.FromMilliseconds(200) });
        var client = new TestService.TestServiceClient(transport);
        var swept = 0;
        var allSwept = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        transport.IdleSwept += closed =>
        {
            if (Interlocked.Add(ref swept, closed) >= 2)
            {
                allSwept.TrySetResult();
            }
        };

        Assert.Equal("s", await StreamOnceAsync(client, "s"));
        Assert.Equal("u", (await client.PingPongAsync(new Request { Message = "u" }).WaitAsync(TimeSpan.FromSeconds(20))).Message);
        Assert.Equal(2, transport.OpenConnections);

        await allSwept.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, transport.OpenConnections);

        // The transport still works: the next calls dial again.
        Assert.Equal("s2", await StreamOnceAsync(client, "s2"));
        Assert.Equal("u2", (await client.PingPongAsync(new Request { Message = "u2" }).WaitAsync(TimeSpan.FromSeconds(20))).Message);
    }
}
