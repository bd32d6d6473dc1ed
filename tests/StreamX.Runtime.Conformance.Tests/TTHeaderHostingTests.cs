using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamX.Examples.Echo;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using StreamX.Transport.TTHeader;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.EchoService;

namespace StreamX.Runtime.Conformance.Tests;

/// <summary>TTHeader hosting beyond the conformance suite: inside an existing ASP.NET Core host, and server limits.</summary>
[Collection(CountersCollection.Name)]
public sealed class TTHeaderHostingTests
{
    private static EchoService Service() => new()
    {
        PingPong = (req, ctx) => Task.FromResult(Res("pong:" + req.Message)),
        EchoServer = async (req, responses, ctx) => await responses.SendAsync(Res(req.Message!)),
        Echo = async (requests, responses, ctx) =>
        {
            await foreach (var r in requests)
            {
                await responses.SendAsync(Res(r.Message!));
            }
        },
    };

    [Fact]
    public async Task UseStreamX_ServesOnAKestrelEndpointOfAnExistingApp()
    {
        var dispatcher = new StreamXDispatcher(new StreamXServerOptions { ServiceName = "app" }, [TestService.TestServiceBase.BindService(Service())]);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseStreamX(dispatcher)));
        await using var app = builder.Build();
        await app.StartAsync().Within();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            await using var transport = new TTHeaderClientTransport(new IPEndPoint(IPAddress.Loopback, new Uri(address).Port));
            var client = new TestService.TestServiceClient(transport);

            Assert.Equal("pong:x", (await client.PingPongAsync(Req("x")).Within()).Message);
            await using var call = client.EchoServer(Req("streamed"));
            Assert.Equal("streamed", (await call.RecvAsync().Within())!.Message);
        }
        finally
        {
            await dispatcher.StopAsync().Within();
            await app.StopAsync().Within();
        }
    }

    /// <summary>
    /// TCP keep-alive is set on each connection as it arrives (seen here by the next connection middleware, reached with
    /// an HTTP/2 preface), with the defaults or the configured values; null leaves the socket alone.
    /// </summary>
    [Theory]
    [InlineData("default", 1, 15, 15, 9)]
    [InlineData("custom", 1, 7, 3, 4)]
    [InlineData("off", 0, -1, -1, -1)]
    public async Task KeepAlive_IsSetOnEveryConnection(string setting, int enabled, int time, int interval, int count)
    {
        var options = setting switch
        {
            "default" => new TTHeaderServerOptions(),
            "custom" => new TTHeaderServerOptions { KeepAlive = new TcpKeepAlive(TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(3), 4) },
            _ => new TTHeaderServerOptions { KeepAlive = null },
        };
        var seen = new TaskCompletionSource<(int Enabled, int Time, int Interval, int Count)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new StreamXDispatcher(new StreamXServerOptions(), [TestService.TestServiceBase.BindService(Service())]);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.UseStreamX(dispatcher, options);
            listen.Use(next => context =>
            {
                var socket = context.Features.Get<IConnectionSocketFeature>()!.Socket;
                var on = (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!;
                seen.TrySetResult(on == 0
                    ? (0, -1, -1, -1)
                    : (on,
                        (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!,
                        (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!,
                        (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!));
                return next(context);
            });
        }));
        await using var app = builder.Build();
        await app.StartAsync().Within();
        try
        {
            var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).Within();
            await client.SendAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray(), SocketFlags.None).Within();

            Assert.Equal((enabled, time, interval, count), await seen.Task.Within());
        }
        finally
        {
            await app.StopAsync().Within();
        }
    }

    [Fact]
    public async Task StreamsBeyondThePerConnectionLimit_AreRefusedAtOnce_OthersKeepWorking()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService
        {
            Echo = async (requests, responses, ctx) =>
            {
                started.TrySetResult();
                await release.Task;
            },
        };
        await using var server = await StreamXServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0),
            new StreamXServerOptions(),
            [TestService.TestServiceBase.BindService(service)],
            new TTHeaderServerOptions { MaxConcurrentStreamsPerConnection = 1 });
        await using var transport = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { MuxPoolSize = 1 });
        var client = new TestService.TestServiceClient(transport);

        await using var first = client.Echo();
        await first.SendAsync(Req("a")).Within();
        await started.Task.Within();
        await using var second = client.Echo();
        var refused = await Await.Throws<StreamXException>(async () => await second.RecvAsync());
        Assert.Equal(12001, refused.Code);
        Assert.Contains("too many concurrent streams on one connection (limit 1)", refused.Message, StringComparison.Ordinal);

        release.SetResult();
        await first.CloseSendAsync().Within();
        Assert.Null(await first.RecvAsync().Within());
    }

    /// <summary>
    /// A connection that does not send the 8 bytes that tell its protocol within ProtocolDetectionTimeout is closed (and
    /// logged at Debug, 3003); one that spoke in time keeps working after its timeout would have fired.
    /// </summary>
    [Fact]
    public async Task ProtocolDetectionTimeout_ClosesSilentConnections_NotDetectedOnes()
    {
        var logs = new SignalingLoggerProvider("did not send the 8 bytes");
        using var logging = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        var peers = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        var service = new EchoService
        {
            PingPong = (req, ctx) =>
            {
                peers.Enqueue(ctx.Peer);
                return Task.FromResult(Res("pong:" + req.Message));
            },
        };
        await using var server = await StreamXServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0),
            new StreamXServerOptions { LoggerFactory = logging },
            [TestService.TestServiceBase.BindService(service)],
            new TTHeaderServerOptions { ProtocolDetectionTimeout = TimeSpan.FromMilliseconds(300) });

        // A client that spoke at once; its connection's detection timer is started before the silent one's below.
        await using var transport = new TTHeaderClientTransport(server.LocalEndPoint);
        var client = new TestService.TestServiceClient(transport);
        Assert.Equal("pong:1", (await client.PingPongAsync(Req("1")).Within()).Message);

        // A connection that sends 3 bytes and then nothing: closed by the server once the timeout has passed.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(server.LocalEndPoint).Within();
        await silent.SendAsync(new byte[] { 0, 0, 0 }, SocketFlags.None).Within();
        var buffer = new byte[16];
        Assert.Equal(0, await silent.ReceiveAsync(buffer, SocketFlags.None).Within());
        var (level, message) = await logs.Seen.Task.Within();
        Assert.Equal(LogLevel.Debug, level);
        Assert.EndsWith("within 300ms (TTHeaderServerOptions.ProtocolDetectionTimeout)", message, StringComparison.Ordinal);

        // The first connection's timeout has passed too, and it still serves (the same connection: the same client port).
        Assert.Equal("pong:2", (await client.PingPongAsync(Req("2")).Within()).Message);
        Assert.Equal(2, peers.Count);
        Assert.Single(peers.Distinct());
    }

    [Fact]
    public void ProtocolDetectionTimeout_IsValidated()
    {
        Assert.Throws<ArgumentException>(() => new TTHeaderServerOptions { ProtocolDetectionTimeout = TimeSpan.Zero }.Validate());
        Assert.Throws<ArgumentException>(() => new TTHeaderServerOptions { ProtocolDetectionTimeout = TimeSpan.FromDays(30) }.Validate());
        new TTHeaderServerOptions { ProtocolDetectionTimeout = null }.Validate();
    }
}
