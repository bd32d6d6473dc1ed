using StreamX.Examples.Echo;
using StreamX.Transport;

namespace StreamX.Runtime.Conformance.Tests.Infrastructure;

/// <summary>
/// The echo methods of <see cref="TestService"/> under an IDL service name of the test's own (bound and
/// called by hand, as generated code does), so its metrics can be told apart from other tests' by
/// <c>rpc.service</c>.
/// </summary>
public static class ObservedService
{
    public static ServiceDefinition Bind(string serviceName, EchoService implementation) =>
        ServiceDefinition.CreateBuilder(serviceName)
            .AddUnary<TestService.PingPongArgs, TestService.PingPongResult>("PingPong", false, async (args, context) =>
                new TestService.PingPongResult { Success = await implementation.PingPongAsync(args.Req!, context) })
            .AddBidirectional<Request, Response>("Echo", implementation.EchoAsync)
            .AddClientStreaming<Request, Response>("EchoClient", implementation.EchoClientAsync)
            .AddServerStreaming<Request, Response>("EchoServer", implementation.EchoServerAsync)
            .Build();

    public sealed class Client(string serviceName, ClientTransport transport, StreamXClientOptions? options = null)
        : StreamXClientBase(serviceName, transport, options)
    {
        public async Task<Response> PingPongAsync(Request req, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            (await InvokeUnaryAsync<TestService.PingPongArgs, TestService.PingPongResult>("PingPong", new TestService.PingPongArgs { Req = req }, false, options, cancellationToken)).Success!;

        public BidiStreamingCall<Request, Response> Echo(CallOptions? options = null, CancellationToken cancellationToken = default) =>
            StartBidiStreaming<Request, Response>("Echo", options, cancellationToken);

        public ClientStreamingCall<Request, Response> EchoClient(CallOptions? options = null, CancellationToken cancellationToken = default) =>
            StartClientStreaming<Request, Response>("EchoClient", options, cancellationToken);

        public ServerStreamingCall<Response> EchoServer(Request req, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            StartServerStreaming<Request, Response>("EchoServer", req, options, cancellationToken);

        /// <summary>A server-streaming call of any method name (one the server may not serve).</summary>
        public ServerStreamingCall<Response> ServerStreaming(string method, Request req) =>
            StartServerStreaming<Request, Response>(method, req, null, default);

        /// <summary>A unary call of any method name, with PingPong's argument and result structs.</summary>
        public async Task<Response> UnaryAsync(string method, Request req) =>
            (await InvokeUnaryAsync<TestService.PingPongArgs, TestService.PingPongResult>(method, new TestService.PingPongArgs { Req = req }, false, null, default)).Success!;
    }
}
