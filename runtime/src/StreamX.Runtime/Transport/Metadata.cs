using System.Collections.ObjectModel;

namespace StreamX;

/// <summary>Helpers for header and trailer maps (<c>IReadOnlyDictionary&lt;string, string&gt;</c>).</summary>
public static class Metadata
{
    /// <summary>An empty, shared, read-only map.</summary>
    public static IReadOnlyDictionary<string, string> Empty { get; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Key prefix of persistent metainfo (forwarded across hops).</summary>
    public const string PersistentPrefix = "RPC_PERSIST_";

    /// <summary>Key prefix of transient metainfo (one hop).</summary>
    public const string TransientPrefix = "RPC_TRANSIT_";

    /// <summary>Key prefix of transient metainfo a server received, forwarded once more as upstream context.</summary>
    public const string TransientUpstreamPrefix = "RPC_TRANSIT_UPSTREAM_";

    /// <summary>A read-only copy.</summary>
    public static IReadOnlyDictionary<string, string> Copy(IEnumerable<KeyValuePair<string, string>> source) =>
        new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(source, StringComparer.Ordinal));
}
