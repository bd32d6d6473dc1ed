using System.Net;
using StreamX.Examples.Echo;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>
/// A header or trailer that does not fit TTHeader's limits (a key or value over 65,535 UTF-8 bytes, or a header block
/// over <see cref="FrameLimits.MaxHeaderBytes"/>) fails only the call that carries it, with an error naming the key
/// and the limit. Nothing of it reaches the connection, so the other streams multiplexed on it carry on.
/// </summary>
public sealed class UnencodableHeaderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static readonly string Value70K = new('v', 70_000);
    private static readonly string Value40K = new('w', 40_000);

    public static TheoryData<string, string, string> ClientHeaders => new()
    {
        // case, the key the error must name, the limit it must name
        { "one value over 65535 bytes", "x-big", "65535" },
        { "a header block over MaxHeaderBytes", "x-second", "65536" },
    };

    [Theory]
    [MemberData(nameof(ClientHeaders))]
    public async Task Client_header_too_big_fails_only_that_call_other_streams_keep_working(string @case, string key, string limit)
    {
        var headers = @case.StartsWith("one", StringComparison.Ordinal)
            ? new Dictionary<string, string> { ["x-big"] = Value70K }
            : new Dictionary<string, string> { ["x-first"] = Value40K, ["x-second"] = Value40K + "w" };
        await using var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(new Echo())]);
        await using var transport = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { MuxPoolSize = 1 });
        var client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "client" });

        await using var healthy = client.Echo();
        await RoundTripAsync(healthy, "before");

        await using var big = client.Echo(new CallOptions { Headers = headers });
        var error = await Assert.ThrowsAsync<StreamXException>(() => big.SendAsync(new Request { Message = "x" }).AsTask().WaitAsync(Timeout));
        Assert.Equal(12004, error.Code);
        Assert.Equal(StreamSide.Client, error.Side);
        Assert.Contains($"\"{key}\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(limit, error.Message, StringComparison.Ordinal);
        Assert.Same(error, await Assert.ThrowsAsync<StreamXException>(() => big.RecvAsync().AsTask().WaitAsync(Timeout)));

        // The stream that shared the connection is unaffected, and so is the connection.
        await RoundTripAsync(healthy, "after");
        Assert.Equal(1, transport.OpenConnections);
        await healthy.CloseSendAsync().AsTask().WaitAsync(Timeout);
        Assert.Null(await healthy.RecvAsync().AsTask().WaitAsync(Timeout));

        // Unary calls too: a clear error for that call, and the next call works.
        var unary = await Assert.ThrowsAsync<StreamXException>(() => client.PingPongAsync(new Request { Message = "x" }, new CallOptions { Headers = headers }).WaitAsync(Timeout));
        Assert.Equal(12004, unary.Code);
        Assert.Contains($"\"{key}\"", unary.Message, StringComparison.Ordinal);
        Assert.Contains(limit, unary.Message, StringComparison.Ordinal);
        Assert.Equal("pong", (await client.PingPongAsync(new Request { Message = "pong" }).WaitAsync(Timeout)).Message);
        await using var next = client.Echo();
        await RoundTripAsync(next, "next");
    }

    public static TheoryData<string, string, string> ServerHeaders => new()
    {
        // the handler's instruction (Request.Message), the key the errors must name, the limit they must name
        { "header", "x-big", "65535" },
        { "header-block", "x-second", "65536" },
        { "send-header", "x-big", "65535" },
        { "trailer", "x-big", "65535" },
        { "trailer-block", "x-second", "65536" },
    };

    [Theory]
    [MemberData(nameof(ServerHeaders))]
    public async Task Server_header_or_trailer_too_big_fails_that_stream_with_a_clear_error_other_streams_keep_working(string instruction, string key, string limit)
    {
        var echo = new Echo();
        await using var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(echo)]);
        await using var transport = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { MuxPoolSize = 1 });
        var client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "client" });

        await using var healthy = client.Echo();
        await RoundTripAsync(healthy, "before");

        await using var call = client.EchoServer(new Request { Message = instruction });
        if (instruction.StartsWith("trailer", StringComparison.Ordinal))
        {
            // The Header and the data went out; the handler returned; its Trailer could not be encoded.
            Assert.Equal("data", (await call.RecvAsync().AsTask().WaitAsync(Timeout))!.Message);
        }
        else
        {
            // The handler's own send failed, clearly.
            var sendError = Assert.IsType<StreamXException>(await echo.SendFailed.Task.WaitAsync(Timeout));
            Assert.Equal(12004, sendError.Code);
            Assert.Equal(StreamSide.Server, sendError.Side);
            Assert.Contains($"\"{key}\"", sendError.Message, StringComparison.Ordinal);
            Assert.Contains(limit, sendError.Message, StringComparison.Ordinal);
        }

        // The client gets an error for this stream (a Trailer with the exception), not a dead connection.
        var error = await Assert.ThrowsAsync<StreamXException>(() => call.RecvAsync().AsTask().WaitAsync(Timeout));
        Assert.Equal(12001, error.Code);
        Assert.Contains($"\"{key}\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(limit, error.Message, StringComparison.Ordinal);
        Assert.Contains(instruction.StartsWith("trailer", StringComparison.Ordinal) ? "trailer" : "header", error.Message, StringComparison.Ordinal);

        await RoundTripAsync(healthy, "after");
        await healthy.CloseSendAsync().AsTask().WaitAsync(Timeout);
        Assert.Null(await healthy.RecvAsync().AsTask().WaitAsync(Timeout));
        await using var next = client.EchoServer(new Request { Message = "ok" });
        Assert.Equal("data", (await next.RecvAsync().AsTask().WaitAsync(Timeout))!.Message);
        Assert.Null(await next.RecvAsync().AsTask().WaitAsync(Timeout));
        await server.Dispatcher.WhenIdleAsync().WaitAsync(Timeout);
    }

    [Fact]
    public async Task Unary_business_status_too_big_for_the_headers_fails_that_call_with_a_clear_error()
    {
        await using var server = await StreamXServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new StreamXServerOptions(), [TestService.TestServiceBase.BindService(new Echo())]);
        await using var transport = new TTHeaderClientTransport(server.LocalEndPoint);
        var client = new TestService.TestServiceClient(transport, new StreamXClientOptions { ServiceName = "client" });

        var error = await Assert.ThrowsAsync<StreamX.Thrift.ThriftApplicationException>(() => client.PingPongAsync(new Request { Message = "bizerr" }).WaitAsync(Timeout));
        Assert.Contains("business status could not be sent", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"biz-message\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("65535", error.Message, StringComparison.Ordinal);
        Assert.Equal("pong", (await client.PingPongAsync(new Request { Message = "pong" }).WaitAsync(Timeout)).Message);
    }

    private static async Task RoundTripAsync(BidiStreamingCall<Request, Response> call, string message)
    {
        await call.SendAsync(new Request { Message = message }).AsTask().WaitAsync(Timeout);
        Assert.Equal(message, (await call.RecvAsync().AsTask().WaitAsync(Timeout))!.Message);
    }

    private sealed class Echo : TestService.TestServiceBase
    {
        public TaskCompletionSource<Exception> SendFailed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task<Response> PingPongAsync(Request req, ServerCallContext context) => req.Message == "bizerr"
            ? throw new BizStatusException(10001, Value70K)
            : Task.FromResult(new Response { Message = req.Message });

        public override async Task EchoAsync(MessageReader<Request> requests, MessageWriter<Response> responses, ServerCallContext context)
        {
            await foreach (var r in requests)
            {
                await responses.SendAsync(new Response { Message = r.Message });
            }
        }

        public override async Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context)
        {
            try
            {
                switch (req.Message)
                {
                    case "header":
                        context.SetHeader([new("x-big", Value70K)]);
                        break;
                    case "header-block":
                        context.SetHeader([new("x-first", Value40K), new("x-second", Value40K + "w")]);
                        break;
                    case "send-header":
                        await context.SendHeaderAsync([new("x-big", Value70K)]);
                        break;
                    case "trailer":
                        context.SetTrailer([new("x-big", Value70K)]);
                        break;
                    case "trailer-block":
                        context.SetTrailer([new("x-first", Value40K), new("x-second", Value40K + "w")]);
                        break;
                }

                await responses.SendAsync(new Response { Message = "data" });
            }
            catch (Exception e)
            {
                SendFailed.TrySetResult(e);
                throw;
            }
        }
    }
}
