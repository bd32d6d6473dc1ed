using System.Diagnostics;
using System.Net;
using EchoDemo;
using StreamX;
using StreamX.Examples.Echo;
using StreamX.Transport.Grpc;
using StreamX.Transport.TTHeader;

// The StreamX echo demo: every streaming mode of idl/examples/echo.thrift, then lifecycle control.
var started = Stopwatch.StartNew();
var loopback = new IPEndPoint(IPAddress.Loopback, 0);
await using var server = await StreamXServer.StartAsync(loopback, new StreamXServerOptions { ServiceName = "echo" }, [TestService.TestServiceBase.BindService(new EchoService())]);
await using var transport = new TTHeaderClientTransport(server.LocalEndPoint);
var client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "demo" });
Console.WriteLine($"StreamX echo demo: TestService (generated from idl/examples/echo.thrift) over TTHeader Streaming on {server.LocalEndPoint}");
Console.WriteLine();

Console.WriteLine("1. PingPong (unary)");
var pong = await client.PingPongAsync(new Request { Message = "hello" });
Console.WriteLine($"   -> {pong.Message}");

Console.WriteLine("2. EchoServer (streaming.mode=\"server\")");
await using (var call = client.EchoServer(new Request { Message = "hello" }))
{
    await foreach (var response in call)
    {
        Console.WriteLine($"   -> {response.Message}");
    }
}

Console.WriteLine("3. EchoClient (streaming.mode=\"client\")");
await using (var call = client.EchoClient())
{
    foreach (var part in new[] { "a", "b", "c" })
    {
        await call.SendAsync(new Request { Message = part });
        Console.WriteLine($"   <- {part}");
    }

    Console.WriteLine($"   -> {(await call.CloseAndRecvAsync()).Message}");
}

Console.WriteLine("4. Echo (streaming.mode=\"bidirectional\")");
await using (var call = client.Echo())
{
    await call.RunAsync(
        async (c, ct) =>
        {
            for (var i = 1; i <= 3; i++)
            {
                await c.SendAsync(new Request { Message = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }, ct);
            }

            await c.CloseSendAsync(ct);
        },
        async (c, ct) =>
        {
            await foreach (var response in c.ReadAllAsync(ct))
            {
                Console.WriteLine($"   -> {response.Message}");
            }
        });
}

Console.WriteLine();
Console.WriteLine("5. Cancel cascading A -> B -> C (a chat user closes the tab; the model must stop at once)");
var reports = new List<string>();
var firstToken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

// C (the model) serves gRPC; B reaches it over gRPC, A reaches B over TTHeader Streaming: the same
// generated code on both transports, and the canceled path crosses both.
await using var serverC = await StreamXGrpcServer.StartAsync(loopback, new StreamXServerOptions { ServiceName = "C" }, [TestService.TestServiceBase.BindService(new TokenModel(Report, firstToken))]);
await using var toC = new GrpcClientTransport(new GrpcClientOptions
{
    Address = new Uri($"http://{serverC.LocalEndPoint}"),
    CancelDetails = GrpcCancelDetails.Always, // C is a StreamX server: cancels carry their code and path
});
var modelClient = new TestService.TestServiceClient(toC);
await using var serverB = await StreamXServer.StartAsync(loopback, new StreamXServerOptions { ServiceName = "B" }, [TestService.TestServiceBase.BindService(new Gateway(modelClient, Report))]);
await using var toB = new TTHeaderClientTransport(serverB.LocalEndPoint);
var userClient = new TestService.TestServiceClient(toB, new StreamXClientOptions { ServiceName = "A" });
Console.WriteLine($"   A -> B (TTHeader Streaming, {serverB.LocalEndPoint}) -> C (gRPC over HTTP/2, {serverC.LocalEndPoint})");
using (var userClosedTab = new CancellationTokenSource())
{
    await using var chat = userClient.EchoServer(new Request { Message = "tell me a story" }, cancellationToken: userClosedTab.Token);
    Console.WriteLine($"   A got {(await chat.RecvAsync())!.Message}; now A cancels");
    await firstToken.Task;
    await userClosedTab.CancelAsync();
    try
    {
        await chat.RecvAsync();
    }
    catch (OperationCanceledException e)
    {
        Report($"A  (the client)      saw: {e.Message}");
    }

    await serverB.Dispatcher.WhenIdleAsync();
    await serverC.Dispatcher.WhenIdleAsync();
}

foreach (var line in reports.OrderBy(l => l, StringComparer.Ordinal))
{
    Console.WriteLine("   " + line);
}

Console.WriteLine();
Console.WriteLine("6. A deadline: EchoServer to the model (gRPC: sent as grpc-timeout, enforced on both sides) with a 200 ms timeout");
await using (var call = modelClient.EchoServer(new Request { Message = "slow" }, new CallOptions { Timeout = TimeSpan.FromMilliseconds(200) }))
{
    try
    {
        await foreach (var token in call)
        {
            Console.WriteLine($"   -> {token.Message}");
        }
    }
    catch (StreamXException e) when (e.Code == 12015)
    {
        Console.WriteLine($"   client saw: {e.Message}");
    }
}

Console.WriteLine();
Console.WriteLine($"done in {started.ElapsedMilliseconds} ms");
return 0;

void Report(string line)
{
    lock (reports)
    {
        reports.Add(line);
    }
}
