using StreamX;
using StreamX.Examples.Echo;

namespace EchoDemo;

/// <summary>
/// C: a "model" that streams tokens until it is told to stop (the end of an LLM chat chain).
/// It reports what it saw when its call was canceled.
/// </summary>
public sealed class TokenModel(Action<string> report, TaskCompletionSource firstTokenSent) : TestService.TestServiceBase
{
    public override async Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context)
    {
        await responses.SendAsync(new Response { Message = "token-0" });
        firstTokenSent.TrySetResult();
        var canceled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (context.CancellationToken.Register(() => canceled.TrySetResult()))
        {
            await canceled.Task; // a real model would keep generating; it stops the moment the chain is canceled
        }

        report($"C  (model handler)   saw: {context.CancelReason?.Text}");
    }
}

/// <summary>
/// B: a gateway whose handler relays C's stream. It passes no token: the outbound call joins the
/// handler's lifecycle on its own, so when A goes away, C is canceled with the path A -> B.
/// </summary>
public sealed class Gateway(TestService.TestServiceClient model, Action<string> report) : TestService.TestServiceBase
{
    public override async Task EchoServerAsync(Request req, MessageWriter<Response> responses, ServerCallContext context)
    {
        await using var upstream = model.EchoServer(req);
        try
        {
            await foreach (var token in upstream)
            {
                await responses.SendAsync(token);
            }
        }
        catch (OperationCanceledException)
        {
            report($"B  (gateway handler) saw: {context.CancelReason?.Text}");
            throw;
        }
    }
}
