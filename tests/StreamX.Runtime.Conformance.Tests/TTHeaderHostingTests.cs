using System.Net;
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
}
