using StreamX.Examples.Echo;

namespace StreamX.Runtime.Conformance.Tests.Infrastructure;

/// <summary>A TestService whose handlers each test supplies; unset ones answer "unknown method".</summary>
public sealed class EchoService : TestService.TestServiceBase
{
    public Func<Request, ServerCallContext, Task<Response>>? PingPong { get; init; }

    public Func<MessageReader<Request>, MessageWriter<Response>, ServerCallContext, Task>? Echo { get; init; }

    public Func<MessageReader<Request>, ServerCallContext, Task<Response>>? EchoClient { get; init; }

    public Func<Request, MessageWriter<Response>, ServerCallContext, Task>? EchoServer { get; init; }

    public override Task<Response> PingPongAsync(Request req, ServerCallContext context) =>
        PingPong is null ? base.PingPongAsync(req, context) : PingPong(req, context);

    public override Task EchoAsync(MessageReader<Request> requests, MessageWriter<Response> responses, ServerCallContext context) =>
        Echo is null ? base.EchoAsync(requests, responses, context) : Echo(requests, responses, context);

    public override Task<Response> EchoClientAsync(MessageReader<Request> requests, ServerCallContext context) =>
        EchoClient is null ? base.EchoClientAsync(requests, context) : EchoClient(requests, context);

    public override Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context) =>
        EchoServer is null ? base.EchoServerAsync(req, responses, context) : EchoServer(req, responses, context);

    public static Request Req(string message) => new() { Message = message };

    public static Response Res(string message) => new() { Message = message };
}
