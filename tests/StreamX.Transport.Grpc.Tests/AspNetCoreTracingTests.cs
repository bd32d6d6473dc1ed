using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamX.Examples.Echo;

namespace StreamX.Transport.Grpc.Tests;

/// <summary>
/// <c>UseStreamXGrpc</c> in an ASP.NET Core app whose hosting layer traces requests: the StreamX server span
/// is a child of ASP.NET Core's HTTP server span, itself a child of the StreamX client span — one chain.
/// </summary>
public sealed class AspNetCoreTracingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly ActivitySource TestSource = new("StreamX.Tests.AspNetCore");

    private sealed class Echo : TestService.TestServiceBase
    {
        public override async Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context) =>
            await responses.SendAsync(new Response { Message = req.Message });
    }

    [Fact]
    public async Task TheStreamXServerSpan_IsAChildOfTheHostsHttpSpan_WhichIsAChildOfTheClientSpan()
    {
        var spans = new ConcurrentQueue<Activity>();
        var serverSpanStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The host's HTTP span stops after the StreamX span inside it, once the request pipeline has returned.
        var httpSpanStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ActivityTraceId trace = default;
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "StreamX" or "Microsoft.AspNetCore" or "StreamX.Tests.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.TraceId == trace)
                {
                    spans.Enqueue(a);
                    if (a.Source.Name == "StreamX" && a.Kind == ActivityKind.Server)
                    {
                        serverSpanStopped.TrySetResult();
                    }

                    if (a.Source.Name == "Microsoft.AspNetCore")
                    {
                        httpSpanStopped.TrySetResult();
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        await using var app = builder.Build();
        var dispatcher = new StreamXDispatcher(new StreamXServerOptions { ServiceName = "web" }, [TestService.TestServiceBase.BindService(new Echo())]);
        app.UseStreamXGrpc(dispatcher);
        await app.StartAsync().WaitAsync(Wait);
        try
        {
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            await using var transport = new GrpcClientTransport(new GrpcClientOptions { Address = address });
            var client = new TestService.TestServiceClient(transport);
            using (var root = TestSource.StartActivity("test")!)
            {
                trace = root.TraceId;
                await using var call = client.EchoServer(new Request { Message = "x" });
                Assert.Equal("x", (await call.RecvAsync().AsTask().WaitAsync(Wait))!.Message);
                Assert.Null(await call.RecvAsync().AsTask().WaitAsync(Wait));
            }

            await Task.WhenAll(serverSpanStopped.Task, httpSpanStopped.Task).WaitAsync(Wait);
            var clientSpan = Assert.Single(spans, s => s.Source.Name == "StreamX" && s.Kind == ActivityKind.Client);
            var serverSpan = Assert.Single(spans, s => s.Source.Name == "StreamX" && s.Kind == ActivityKind.Server);
            var httpSpan = Assert.Single(spans, s => s.Source.Name == "Microsoft.AspNetCore");
            Assert.Equal(clientSpan.SpanId, httpSpan.ParentSpanId);
            Assert.Equal(httpSpan.SpanId, serverSpan.ParentSpanId);
            Assert.Equal("TestService/EchoServer", serverSpan.DisplayName);
        }
        finally
        {
            await dispatcher.StopAsync().WaitAsync(Wait);
            await app.StopAsync().WaitAsync(Wait);
        }
    }
}
