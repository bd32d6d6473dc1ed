using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamX.Examples.Echo;
using StreamX.Hosting;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using StreamX.Transport;
using StreamX.Transport.Grpc;
using StreamX.Transport.TTHeader;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.EchoService;

namespace StreamX.Runtime.Conformance.Tests;

/// <summary>
/// StreamX.Hosting: the dispatcher and its handlers from dependency injection, served by the Generic Host
/// (<c>ListenTTHeader</c>, <c>ListenGrpc</c>) or by an ASP.NET Core app's Kestrel (<c>UseStreamX()</c>,
/// <c>UseStreamXGrpc()</c>), and stopped gracefully by the host: handlers learn 12013 "server is shutting down"
/// while their connections are still open, so their clients see the end the handler chose.
/// </summary>
[Collection(CountersCollection.Name)]
public sealed class HostIntegrationTests
{
    private const string ShuttingDown = "[ttstream error, code=12013] server is shutting down";

    /// <summary>A handler registered in the container; EchoServer streams until its token fires, then returns normally.</summary>
    private sealed class Probe
    {
        public TaskCompletionSource Streaming { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string?> Reason { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public EchoService Service() => new()
        {
            PingPong = (req, ctx) => Task.FromResult(Res("pong:" + req.Message)),
            EchoServer = async (req, responses, ctx) =>
            {
                if (req.Message != "hold")
                {
                    await responses.SendAsync(Res(req.Message!));
                    return;
                }

                await responses.SendAsync(Res("held"));
                Streaming.TrySetResult();
                await ctx.CancellationToken.WhenCanceled();
                Reason.TrySetResult(ctx.CancelReason?.Text);
            },
        };
    }

    private static async Task<string> OneMessageAsync(ClientTransport transport, string message)
    {
        await using var call = new TestService.TestServiceClient(transport).EchoServer(Req(message));
        return (await call.RecvAsync().Within())!.Message!;
    }

    /// <summary>Holds a stream open; returns it once the handler is streaming.</summary>
    private static async Task<ServerStreamingCall<Response>> HoldAsync(ClientTransport transport, Probe probe)
    {
        var call = new TestService.TestServiceClient(transport).EchoServer(Req("hold"));
        Assert.Equal("held", (await call.RecvAsync().Within())!.Message);
        await probe.Streaming.Task.Within();
        return call;
    }

    [Fact]
    public async Task GenericHost_ListenTTHeaderWithGrpc_ServesBoth_AndStopsHandlersGracefully()
    {
        var probe = new Probe();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(probe.Service());
        builder.Services.AddStreamX(new StreamXServerOptions { ServiceName = "hosted" })
            .AddService(sp => TestService.TestServiceBase.BindService(sp.GetRequiredService<EchoService>()))
            .ListenTTHeader(new IPEndPoint(IPAddress.Loopback, 0), serveGrpc: true);
        using var host = builder.Build();
        await host.StartAsync().Within();

        var listener = Assert.Single(host.Services.GetServices<StreamXHostedServer>());
        var endPoint = listener.LocalEndPoint!;
        Assert.StartsWith("ttheader+grpc 127.0.0.1:0 (listening on 127.0.0.1:", listener.ToString());
        await using var tt = new TTHeaderClientTransport(endPoint);
        await using var grpc = new GrpcClientTransport(endPoint);
        Assert.Equal("a", await OneMessageAsync(tt, "a"));
        Assert.Equal("b", await OneMessageAsync(grpc, "b"));
        Assert.Equal("pong:c", (await new TestService.TestServiceClient(tt).PingPongAsync(Req("c")).Within()).Message);

        await using var held = await HoldAsync(tt, probe);
        await host.StopAsync().Within();

        Assert.Equal(ShuttingDown, await probe.Reason.Task.Within());
        Assert.Null(await held.RecvAsync().Within()); // the handler returned: a normal end, not a dropped connection
    }

    [Fact]
    public async Task GenericHost_ListenGrpc_Serves()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddStreamX()
            .AddService(TestService.TestServiceBase.BindService(new Probe().Service()))
            .ListenGrpc(new IPEndPoint(IPAddress.Loopback, 0));
        using var host = builder.Build();
        await host.StartAsync().Within();
        try
        {
            await using var grpc = new GrpcClientTransport(host.Services.GetRequiredService<StreamXHostedServer>().LocalEndPoint!);
            Assert.Equal("g", await OneMessageAsync(grpc, "g"));
        }
        finally
        {
            await host.StopAsync().Within();
        }
    }

    /// <summary>
    /// In an ASP.NET Core app the host stops the dispatcher before Kestrel: before StreamX.Hosting the app had to call
    /// <c>dispatcher.StopAsync()</c> itself, or Kestrel closed the connections under running handlers.
    /// </summary>
    [Fact]
    public async Task WebApplication_UseStreamXAndUseStreamXGrpc_ServeTheRegisteredDispatcher_AndTheHostStopsItFirst()
    {
        var probe = new Probe();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(probe);
        builder.Services.AddStreamX(new StreamXServerOptions { ServiceName = "web" })
            .AddService(sp => TestService.TestServiceBase.BindService(sp.GetRequiredService<Probe>().Service()));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, listen => listen.UseStreamX());
            k.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        });
        await using var app = builder.Build();
        app.UseStreamXGrpc();
        await app.StartAsync().Within();

        var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a).Port).ToList();
        Assert.Equal(2, ports.Count);
        await using var tt = new TTHeaderClientTransport(new IPEndPoint(IPAddress.Loopback, ports[0]));
        await using var grpc = new GrpcClientTransport(new IPEndPoint(IPAddress.Loopback, ports[1]));
        Assert.Equal("a", await OneMessageAsync(tt, "a"));
        Assert.Equal("b", await OneMessageAsync(grpc, "b"));
        Assert.Same(app.Services.GetRequiredService<StreamXDispatcher>(), app.Services.GetRequiredService<StreamXDispatcher>());

        await using var held = await HoldAsync(tt, probe);
        await app.StopAsync().Within();

        Assert.Equal(ShuttingDown, await probe.Reason.Task.Within());
        Assert.Null(await held.RecvAsync().Within());
    }

    [Fact]
    public void AddStreamX_Twice_SharesOneDispatcher_AndRefusesOtherOptions()
    {
        var services = new ServiceCollection();
        var options = new StreamXServerOptions { ServiceName = "one" };
        services.AddStreamX(options).AddService(TestService.TestServiceBase.BindService(new Probe().Service()));
        services.AddStreamX(); // no options: the same registration
        services.AddStreamX(options with { }); // equal options: fine

        using var provider = services.BuildServiceProvider();
        Assert.Single(services, d => d.ServiceType == typeof(StreamXDispatcher));
        Assert.Equal("one", provider.GetRequiredService<StreamXDispatcher>().Options.ServiceName);

        var e = Assert.Throws<InvalidOperationException>(() => services.AddStreamX(new StreamXServerOptions { ServiceName = "two" }));
        Assert.StartsWith("AddStreamX was already called with other StreamXServerOptions", e.Message);
    }

    [Fact]
    public async Task UseStreamX_WithoutAddStreamX_SaysWhatIsMissing()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseStreamX()));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var app = builder.Build();
            await app.StartAsync().Within();
        });
        Assert.StartsWith("No StreamX dispatcher is registered: call builder.Services.AddStreamX()", e.Message);
    }
}
