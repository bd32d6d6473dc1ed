using StreamX;
using StreamX.Examples.Echo;

namespace EchoDemo;

/// <summary>The echo service: every mode, written the way a StreamX user writes handlers.</summary>
public sealed class EchoService : TestService.TestServiceBase
{
    public override Task<Response> PingPongAsync(Request req, ServerCallContext context) =>
        Task.FromResult(new Response { Message = "pong: " + req.Message });

    public override async Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context)
    {
        for (var i = 0; i < 3; i++)
        {
            await responses.SendAsync(new Response { Message = $"{req.Message}#{i}" }, context.CancellationToken);
        }
    }

    public override async Task<Response> EchoClientAsync(MessageReader<Request> requests, ServerCallContext context)
    {
        var parts = new List<string>();
        await foreach (var request in requests.WithCancellation(context.CancellationToken))
        {
            parts.Add(request.Message ?? string.Empty);
        }

        return new Response { Message = string.Join("+", parts) };
    }

    public override async Task EchoAsync(MessageReader<Request> requests, MessageWriter<Response> responses, ServerCallContext context)
    {
        await foreach (var request in requests.WithCancellation(context.CancellationToken))
        {
            await responses.SendAsync(new Response { Message = "echo:" + request.Message }, context.CancellationToken);
        }
    }
}
