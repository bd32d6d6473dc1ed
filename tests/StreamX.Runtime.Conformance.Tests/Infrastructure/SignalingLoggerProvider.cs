using Microsoft.Extensions.Logging;

namespace StreamX.Runtime.Conformance.Tests.Infrastructure;

/// <summary>Completes <see cref="Seen"/> with the first entry whose text contains a given string.</summary>
public sealed class SignalingLoggerProvider(string contains) : ILoggerProvider
{
    public TaskCompletionSource<(LogLevel Level, string Message)> Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string Contains { get; } = contains;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(SignalingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (message.Contains(owner.Contains, StringComparison.Ordinal))
            {
                owner.Seen.TrySetResult((logLevel, message));
            }
        }
    }
}
