namespace StreamX.Transport.TTHeader.Tests.Support;

public static class Tokens
{
    /// <summary>
    /// A handler that waits for its call to end: completes as canceled (awaiting it throws
    /// <see cref="TaskCanceledException"/>) when the token fires. A signal, not a timed wait.
    /// </summary>
    public static Task UntilCanceled(this CancellationToken token)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => done.TrySetCanceled(token));
        return done.Task;
    }
}
