namespace StreamX.Runtime.Conformance.Tests.Infrastructure;

public static class Tokens
{
    /// <summary>Completes (successfully) when the token is canceled: a handler that waits for its call to end.</summary>
    public static Task WhenCanceled(this CancellationToken token)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => done.TrySetResult());
        return done.Task;
    }
}
