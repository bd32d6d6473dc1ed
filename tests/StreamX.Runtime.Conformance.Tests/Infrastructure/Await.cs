using System.Runtime.CompilerServices;

namespace StreamX.Runtime.Conformance.Tests.Infrastructure;

/// <summary>Every await in a test has a timeout that names the line it was waiting on.</summary>
public static class Await
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static async Task Within(this Task task, TimeSpan? timeout = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        try
        {
            await task.WaitAsync(timeout ?? Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"timed out after {(timeout ?? Timeout).TotalSeconds}s waiting at {Path.GetFileName(file)}:{line}");
        }
    }

    public static async Task<T> Within<T>(this Task<T> task, TimeSpan? timeout = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        try
        {
            return await task.WaitAsync(timeout ?? Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"timed out after {(timeout ?? Timeout).TotalSeconds}s waiting at {Path.GetFileName(file)}:{line}");
        }
    }

    public static Task Within(this ValueTask task, TimeSpan? timeout = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        task.AsTask().Within(timeout, file, line);

    public static Task<T> Within<T>(this ValueTask<T> task, TimeSpan? timeout = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        task.AsTask().Within(timeout, file, line);

    /// <summary>Enumerates with a timeout on every step.</summary>
    public static async IAsyncEnumerable<T> Within<T>(this IAsyncEnumerable<T> source, TimeSpan? timeout = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        await using var e = source.GetAsyncEnumerator();
        while (await e.MoveNextAsync().AsTask().Within(timeout, file, line))
        {
            yield return e.Current;
        }
    }

    /// <summary>Awaits a task that must fail; returns the exception.</summary>
    public static async Task<TException> Throws<TException>(Func<Task> action, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        where TException : Exception
    {
        var task = action();
        try
        {
            await task.Within(null, file, line);
        }
        catch (TException e) when (e is not TimeoutException || typeof(TException) == typeof(TimeoutException))
        {
            return e;
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"expected {typeof(TException).Name} at {Path.GetFileName(file)}:{line}, got {e.GetType().Name}: {e.Message}");
        }

        throw new Xunit.Sdk.XunitException($"expected {typeof(TException).Name} at {Path.GetFileName(file)}:{line}, but it completed");
    }
}
