using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StreamX.Examples.Echo;
using StreamX.Hosting;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using StreamX.Transport;
using StreamX.Transport.Grpc;
using StreamX.Transport.TTHeader;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.EchoService;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.KitexTexts;

namespace StreamX.Runtime.Conformance.Tests;

/// <summary>
/// StreamX.Hosting's <c>AddStreamXClient</c>: generated clients from dependency injection, one transport per client
/// type made on first use and disposed with the container, the app's service name and logging filled in.
/// </summary>
public sealed class ClientInjectionTests
{
    /// <summary>A server whose EchoServer handler reports why its token fired.</summary>
    private static async Task<(StreamXServer Server, TaskCompletionSource Started, TaskCompletionSource<StreamError?> Saw)> StartWatchedAsync(string name)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saw = new TaskCompletionSource<StreamError?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new EchoService
        {
            PingPong = (req, ctx) => Task.FromResult(Res("pong:" + req.Message)),
            EchoServer = async (req, responses, ctx) =>
            {
                ctx.CancellationToken.Register(() => saw.TrySetResult(ctx.CancelReason));
                await responses.SendAsync(Res("c0"));
                started.TrySetResult();
                await ctx.CancellationToken.WhenCanceled();
            },
        };
        var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions { ServiceName = name }, [TestService.TestServiceBase.BindService(service)]);
        return (server, started, saw);
    }

    /// <summary>
    /// A → B → C where B is a Generic Host app whose handler gets its client of C injected: A cancels, and C sees the
    /// code and the path A -> B, as with a client made by hand.
    /// </summary>
    [Fact]
    public async Task InjectedClient_InAHostedHandler_CarriesTheCascade()
    {
        var (c, cStarted, cSaw) = await StartWatchedAsync("C");
        await using var _ = c;

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddStreamXClient<TestService.TestServiceClient>(_ => new TTHeaderClientTransport(c.LocalEndPoint));
        builder.Services.AddSingleton(sp =>
        {
            var toC = sp.GetRequiredService<TestService.TestServiceClient>();
            return new EchoService
            {
                EchoServer = async (req, responses, ctx) =>
                {
                    await using var downstream = toC.EchoServer(req);
                    await foreach (var r in downstream)
                    {
                        await responses.SendAsync(r);
                    }
                },
            };
        });
        builder.Services.AddStreamX(new StreamXServerOptions { ServiceName = "B" })
            .AddService(sp => TestService.TestServiceBase.BindService(sp.GetRequiredService<EchoService>()))
            .ListenTTHeader(new IPEndPoint(IPAddress.Loopback, 0));
        using var host = builder.Build();
        await host.StartAsync().Within();
        try
        {
            var b = host.Services.GetRequiredService<StreamXHostedServer>().LocalEndPoint!;
            await using var toB = new TTHeaderClientTransport(b);
            using var cts = new CancellationTokenSource();
            await using var call = new TestService.TestServiceClient(toB, new StreamXClientOptions { ServiceName = "A" }).EchoServer(Req("hello"), cancellationToken: cts.Token);
            Assert.Equal("c0", (await call.RecvAsync().Within())!.Message);
            await cStarted.Task.Within();
            await cts.CancelAsync();

            var atC = await cSaw.Task.Within();
            Assert.Equal($"[ttstream error, code=12007] [server-side stream] [canceled path: A -> B] {UserCancelText}", atC!.Text);
        }
        finally
        {
            await host.StopAsync().Within();
        }
    }

    /// <summary>One transport per client type, made on first use; the app's name and logging filled in; disposed with the container.</summary>
    [Fact]
    public async Task OneTransport_MadeOnFirstUse_NamedAfterTheApp_DisposedWithTheContainer()
    {
        var (server, started, saw) = await StartWatchedAsync("S");
        await using var _ = server;
        var made = 0;
        using var logging = LoggerFactory.Create(_ => { });
        var services = new ServiceCollection()
            .AddSingleton(logging)
            .AddStreamXClient<TestService.TestServiceClient>(_ =>
            {
                Interlocked.Increment(ref made);
                return new TTHeaderClientTransport(server.LocalEndPoint);
            });
        services.AddStreamX(new StreamXServerOptions { ServiceName = "app" });
        var provider = services.BuildServiceProvider();

        Assert.Equal(0, made);
        var one = provider.GetRequiredService<TestService.TestServiceClient>();
        var two = provider.GetRequiredService<TestService.TestServiceClient>();
        Assert.NotSame(one, two);
        Assert.Same(one.Transport, two.Transport);
        Assert.Equal(1, made);
        Assert.Equal("app", one.Options.ServiceName);
        Assert.Same(logging, one.Options.LoggerFactory);

        // The app's name is what its cancels say, outside any handler too.
        using (var cts = new CancellationTokenSource())
        {
            await using var call = one.EchoServer(Req("x"), cancellationToken: cts.Token);
            Assert.Equal("c0", (await call.RecvAsync().Within())!.Message);
            await started.Task.Within();
            await cts.CancelAsync();
            Assert.Equal($"[ttstream error, code=12007] [server-side stream] [canceled path: app] {UserCancelText}", (await saw.Task.Within())!.Text);
        }

        await provider.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => one.PingPongAsync(Req("after")));
        Assert.Throws<ObjectDisposedException>(() => provider.GetRequiredService<TestService.TestServiceClient>());
    }

    [Fact]
    public async Task GivenOptions_Win_AndTheLastRegistrationIsResolved()
    {
        var first = new TTHeaderClientTransport(new IPEndPoint(IPAddress.Loopback, 1));
        var second = new GrpcClientTransport(new IPEndPoint(IPAddress.Loopback, 1));
        var services = new ServiceCollection()
            .AddStreamXClient<TestService.TestServiceClient>(_ => first)
            .AddStreamXClient<TestService.TestServiceClient>(_ => second, new StreamXClientOptions { ServiceName = "given", ReceiveBufferCapacity = 7 });
        services.AddStreamX(new StreamXServerOptions { ServiceName = "app" });
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<TestService.TestServiceClient>();
        Assert.Same(second, client.Transport);
        Assert.Equal("given", client.Options.ServiceName);
        Assert.Equal(7, client.Options.ReceiveBufferCapacity);
        Assert.IsType<NullLoggerFactory>(client.Options.LoggerFactory);
        await first.DisposeAsync();
    }

    /// <summary>A container disposed synchronously disposes the transport too (and does not throw, as it would for a service that is only IAsyncDisposable).</summary>
    [Fact]
    public async Task SynchronousDisposal_DisposesTheTransport()
    {
        var services = new ServiceCollection().AddStreamXClient<TestService.TestServiceClient>(_ => new TTHeaderClientTransport(new IPEndPoint(IPAddress.Loopback, 1)));
        var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TestService.TestServiceClient>();
        provider.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.PingPongAsync(Req("after")));
    }

    [Fact]
    public void Arguments_AreChecked()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentNullException>(() => services.AddStreamXClient<TestService.TestServiceClient>(null!));
        Assert.Throws<ArgumentException>(() => services.AddStreamXClient<TestService.TestServiceClient>(_ => null!, new StreamXClientOptions { ReceiveBufferCapacity = 0 }));

        services.AddStreamXClient<TestService.TestServiceClient>(_ => null!);
        using var provider = services.BuildServiceProvider();
        var e = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<TestService.TestServiceClient>());
        Assert.Equal("The transport factory of AddStreamXClient<TestServiceClient> returned null.", e.Message);
    }
}
