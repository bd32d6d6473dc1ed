namespace StreamX;

/// <summary>Per-call options. Immutable; <c>null</c> properties fall back to the client's defaults.</summary>
public sealed record CallOptions
{
    /// <summary>
    /// The stream's deadline, measured from the call: when it passes the stream ends with 12015
    /// (<c>stream timeout, timeout in ctx: …</c>) and the server is canceled with this client's path.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>A per-receive timeout (12014); overrides the client's default.</summary>
    public RecvTimeoutConfig? RecvTimeout { get; init; }

    /// <summary>Extra request headers sent as they are.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Persistent metainfo (<c>RPC_PERSIST_</c>): forwarded by every hop.</summary>
    public IReadOnlyDictionary<string, string>? PersistentMetainfo { get; init; }

    /// <summary>Transient metainfo (<c>RPC_TRANSIT_</c>): seen by the next hop only.</summary>
    public IReadOnlyDictionary<string, string>? TransientMetainfo { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for a non-positive timeout or receive timeout.</summary>
    public void Validate()
    {
        if (Timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Timeout must be positive, not {t}.", nameof(Timeout));
        }

        if (RecvTimeout is { } r && r.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"RecvTimeout.Timeout must be positive, not {r.Timeout}.", nameof(RecvTimeout));
        }
    }
}
