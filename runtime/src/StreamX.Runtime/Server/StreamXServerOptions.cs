using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace StreamX;

/// <summary>Options of a StreamX server (any transport). Immutable; validated by <see cref="Validate"/>.</summary>
public sealed record StreamXServerOptions
{
    /// <summary>
    /// This server's own service name: outbound calls made inside its handlers add it to canceled
    /// paths (<c>[canceled path: A -&gt; B]</c>), as a Kitex server's clients do.
    /// </summary>
    public string? ServiceName { get; init; }

    /// <summary>Messages buffered per stream before the client is slowed down (default 64).</summary>
    public int ReceiveBufferCapacity { get; init; } = 64;

    /// <summary>How long <c>StopAsync</c> lets running handlers finish after canceling them (default 5 s).</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Around every handler.</summary>
    public ImmutableArray<StreamMiddleware> StreamMiddlewares { get; init; } = ImmutableArray<StreamMiddleware>.Empty;

    /// <summary>Around every message a handler sends.</summary>
    public ImmutableArray<SendMiddleware> SendMiddlewares { get; init; } = ImmutableArray<SendMiddleware>.Empty;

    /// <summary>Around every message a handler receives.</summary>
    public ImmutableArray<RecvMiddleware> RecvMiddlewares { get; init; } = ImmutableArray<RecvMiddleware>.Empty;

    /// <summary>Around unary handlers.</summary>
    public ImmutableArray<UnaryMiddleware> UnaryMiddlewares { get; init; } = ImmutableArray<UnaryMiddleware>.Empty;

    /// <summary>Where cancellations are logged (at Debug) and handler failures (at Warning).</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// Adds an <c>rpc.message</c> event to each handled call's span for every message received and sent
    /// (off by default: on a long stream it costs an allocation per message and makes huge spans).
    /// </summary>
    public bool RecordMessageEvents { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for invalid values.</summary>
    public void Validate()
    {
        if (ReceiveBufferCapacity < 1)
        {
            throw new ArgumentException("ReceiveBufferCapacity must be at least 1.", nameof(ReceiveBufferCapacity));
        }

        if (ShutdownGracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentException("ShutdownGracePeriod cannot be negative.", nameof(ShutdownGracePeriod));
        }
    }
}
