using System.Net;
using StreamX.Examples.Echo;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>A streaming connection the server closed leaves the transport's bookkeeping (no growth over server restarts).</summary>
public sealed class ConnectionTrackingTests
{
    private sealed class Echo : TestService.TestServiceBase
    {
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
        var first = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(new Echo())]);
        var port = first.LocalEndPoint.Port;
        await using var transport = new TTHeaderClientTransport(new IPEndPoint(IPAddress.Loopback, port), new TTHeaderClientOptions { PoolMode = mode, MuxPoolSize = 1 });
        var client = new TestService.TestServiceClient(transport);

        for (var round = 0; round < 3; round++)
        {
            Assert.Equal($"r{round}", await StreamOnceAsync(client, $"r{round}"));
            Assert.Equal(1, transport.TrackedStreamingConnections);
            var forgotten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Action signal = () => forgotten.TrySetResult();
            transport.ConnectionForgotten += signal;
            await first.DisposeAsync();
            await forgotten.Task.WaitAsync(TimeSpan.FromSeconds(20));
            transport.ConnectionForgotten -= signal;
            Assert.Equal(0, transport.TrackedStreamingConnections);
            first = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, port), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(new Echo())]);
        }

        await first.DisposeAsync();
    }
}
