using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace StreamX;

/// <summary>Options of a generated client. Immutable; validated by <see cref="Validate"/>.</summary>
public sealed record StreamXClientOptions
{
    /// <summary>
    /// This client's own service name: the node it adds to canceled paths (Kitex's <c>From</c>
    /// service). A server's outbound clients should use the server's name.
    /// </summary>
    public string? ServiceName { get; init; }

    /// <summary>Messages buffered per stream before the sender is slowed down (default 64).</summary>
    public int ReceiveBufferCapacity { get; init; } = 64;

    /// <summary>Default per-receive timeout for every stream (none by default).</summary>
    public RecvTimeoutConfig? RecvTimeout { get; init; }

    /// <summary>Default stream deadline (none by default).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Around stream creation.</summary>
    public ImmutableArray<StreamMiddleware> StreamMiddlewares { get; init; } = ImmutableArray<StreamMiddleware>.Empty;

    /// <summary>Around every sent message.</summary>
    public ImmutableArray<SendMiddleware> SendMiddlewares { get; init; } = ImmutableArray<SendMiddleware>.Empty;

    /// <summary>Around every received message.</summary>
    public ImmutableArray<RecvMiddleware> RecvMiddlewares { get; init; } = ImmutableArray<RecvMiddleware>.Empty;

    /// <summary>Around unary calls.</summary>
    public ImmutableArray<UnaryMiddleware> UnaryMiddlewares { get; init; } = ImmutableArray<UnaryMiddleware>.Empty;

    /// <summary>Where the client logs cancellations, deadlines and receive timeouts (at Debug: they are not faults).</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// Adds an <c>rpc.message</c> event to the call's span for every message sent and received (off by
    /// default: on a long stream it costs an allocation per message and makes huge spans). Spans and
    /// metrics themselves need no option: they are recorded when something listens (docs/observability.md).
    /// </summary>
    public bool RecordMessageEvents { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for invalid values.</summary>
    public void Validate()
    {
        if (ReceiveBufferCapacity < 1)
        {
            throw new ArgumentException("ReceiveBufferCapacity must be at least 1.", nameof(ReceiveBufferCapacity));
        }

        if (Timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentException("Timeout must be positive.", nameof(Timeout));
        }

        if (RecvTimeout is { } r && r.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("RecvTimeout.Timeout must be positive.", nameof(RecvTimeout));
        }
    }
}
