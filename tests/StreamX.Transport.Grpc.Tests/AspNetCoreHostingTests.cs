using System.Net;
using System.Net.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamX.Examples.Echo;
using StreamX.Transport.Grpc;

namespace StreamX.Transport.Grpc.Tests;

/// <summary>
/// <c>UseStreamXGrpc</c> in an ASP.NET Core app (WebApplication, Kestrel HTTP/2): gRPC requests reach the
/// services, every other request goes on down the app's own pipeline.
/// </summary>
public sealed class AspNetCoreHostingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private sealed class Echo : TestService.TestServiceBase
    {
        public override Task<Response> PingPongAsync(Request req, ServerCallContext context) =>
            Task.FromResult(new Response { Message = "pong:" + req.Message });

        public override async Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context)
        {
            for (var i = 0; i < 3; i++)
            {
                await responses.SendAsync(new Response { Message = $"{req.Message}#{i}" });
            }
        }
    }

    [Fact]
    public async Task UseStreamXGrpc_ServesCalls_AndPassesOtherRequestsDownThePipeline()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        await using var app = builder.Build();
        var dispatcher = new StreamXDispatcher(new StreamXServerOptions { ServiceName = "web" }, [TestService.TestServiceBase.BindService(new Echo())]);
        app.UseStreamXGrpc(dispatcher);
        app.Run(context => context.Response.WriteAsync("the app's own endpoint"));
        await app.StartAsync().WaitAsync(Wait);
        try
        {
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

            await using var transport = new GrpcClientTransport(new GrpcClientOptions { Address = address });
            var client = new TestService.TestServiceClient(transport);
            Assert.Equal("pong:hi", (await client.PingPongAsync(new Request { Message = "hi" }).WaitAsync(Wait)).Message);
            var received = new List<string>();
            await using (var call = client.EchoServer(new Request { Message = "x" }))
            {
                while (await call.RecvAsync().AsTask().WaitAsync(Wait) is { } response)
                {
                    received.Add(response.Message!);
                }
            }

            Assert.Equal(["x#0", "x#1", "x#2"], received);

            using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
            Assert.Equal("the app's own endpoint", await http.GetStringAsync(new Uri(address, "/health")).WaitAsync(Wait));
        }
        finally
        {
            await dispatcher.StopAsync().WaitAsync(Wait);
            await app.StopAsync().WaitAsync(Wait);
        }
    }
}
