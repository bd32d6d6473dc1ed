namespace StreamX.Transport.TTHeader;

/// <summary>Transport options of a TTHeader Streaming server. Immutable; validated by <see cref="Validate"/>.</summary>
public sealed record TTHeaderServerOptions
{
    /// <summary>Frame size and header limits (a malformed or oversized frame closes its connection with 12004).</summary>
    public FrameLimits Limits { get; init; } = new();

    /// <summary>Frames queued per connection before handlers' sends wait for the socket (default 1024).</summary>
    public int OutboundQueueCapacity { get; init; } = 1024;

    /// <summary>Streams one connection may have open at once (default 10,000); more are answered with an error.</summary>
    public int MaxConcurrentStreamsPerConnection { get; init; } = 10_000;

    /// <summary>Throws <see cref="ArgumentException"/> for invalid values.</summary>
    public void Validate()
    {
        if (OutboundQueueCapacity < 1)
        {
            throw new ArgumentException("OutboundQueueCapacity must be at least 1.", nameof(OutboundQueueCapacity));
        }

        if (MaxConcurrentStreamsPerConnection < 1)
        {
            throw new ArgumentException("MaxConcurrentStreamsPerConnection must be at least 1.", nameof(MaxConcurrentStreamsPerConnection));
        }
    }
}
