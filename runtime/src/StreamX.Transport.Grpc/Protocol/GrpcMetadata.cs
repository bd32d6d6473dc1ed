namespace StreamX.Transport.Grpc;

/// <summary>
/// StreamX headers ↔ gRPC metadata. Metainfo keys follow Kitex's HTTP/2 rules: <c>RPC_PERSIST_K</c>
/// travels as <c>rpc-persist-k</c> and arrives as <c>RPC_PERSIST_K</c> (upper case, <c>-</c> ↔ <c>_</c>),
/// transient likewise with <c>rpc-transit-</c>. Other keys travel lower-cased (HTTP/2 requires it).
/// Keys gRPC or HTTP/2 reserve are refused with an error naming them; values may not contain CR,
/// LF or NUL.
/// </summary>
public static class GrpcMetadata
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "content-type", "te", "host", "connection", "keep-alive", "proxy-connection", "transfer-encoding",
        "upgrade", "content-length", "user-agent",
    };

    /// <summary>The wire name of a StreamX header key; throws <see cref="ArgumentException"/> naming it when it cannot travel.</summary>
    public static string ToWireName(string key, string what)
    {
        ArgumentNullException.ThrowIfNull(key);
        string name;
        if (key.StartsWith(Metadata.PersistentPrefix, StringComparison.Ordinal))
        {
            name = GrpcProtocol.PersistentPrefix + key[Metadata.PersistentPrefix.Length..].Replace('_', '-').ToLowerInvariant();
        }
        else if (key.StartsWith(Metadata.TransientPrefix, StringComparison.Ordinal))
        {
            name = GrpcProtocol.TransientPrefix + key[Metadata.TransientPrefix.Length..].Replace('_', '-').ToLowerInvariant();
        }
        else
        {
            name = key.ToLowerInvariant();
        }

        if (name.Length == 0 || name == GrpcProtocol.PersistentPrefix || name == GrpcProtocol.TransientPrefix)
        {
            throw new ArgumentException($"{what} key '{key}' is empty after its prefix and cannot be sent as gRPC metadata", nameof(key));
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                throw new ArgumentException($"{what} key '{key}' cannot be sent as gRPC metadata: only letters, digits, '-', '_' and '.' are allowed (found '{c}')", nameof(key));
            }
        }

        if (IsReserved(name))
        {
            throw new ArgumentException($"{what} key '{key}' is reserved by gRPC or HTTP/2 and cannot be set", nameof(key));
        }

        return name;
    }

    /// <summary>Checks a value; throws <see cref="ArgumentException"/> naming the key for CR, LF or NUL.</summary>
    public static string CheckValue(string key, string value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new ArgumentException($"{what} '{key}' has a value with CR, LF or NUL, which HTTP/2 headers cannot carry", nameof(value));
        }

        return value;
    }

    /// <summary>True for names StreamX does not hand to applications or let them set.</summary>
    public static bool IsReserved(string name) =>
        name.Length == 0 || name[0] == ':' || Reserved.Contains(name)
        || name.StartsWith("grpc-", StringComparison.Ordinal) || name.StartsWith("streamx-", StringComparison.Ordinal);

    /// <summary>The StreamX key of a received metadata name (metainfo re-prefixed), or null for a reserved name.</summary>
    public static string? FromWireName(string name)
    {
        name = name.ToLowerInvariant();
        if (IsReserved(name) || name is "date" or "server")
        {
            return null;
        }

        if (name.StartsWith(GrpcProtocol.PersistentPrefix, StringComparison.Ordinal) && name.Length > GrpcProtocol.PersistentPrefix.Length)
        {
            return Metadata.PersistentPrefix + name[GrpcProtocol.PersistentPrefix.Length..].Replace('-', '_').ToUpperInvariant();
        }

        if (name.StartsWith(GrpcProtocol.TransientPrefix, StringComparison.Ordinal) && name.Length > GrpcProtocol.TransientPrefix.Length)
        {
            return Metadata.TransientPrefix + name[GrpcProtocol.TransientPrefix.Length..].Replace('-', '_').ToUpperInvariant();
        }

        return name;
    }

    /// <summary>Received metadata as a StreamX map (repeated names joined with <c>,</c> as HTTP does).</summary>
    public static IReadOnlyDictionary<string, string> FromWire(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            if (FromWireName(name) is not { } key)
            {
                continue;
            }

            map[key] = map.TryGetValue(key, out var existing) ? existing + "," + value : value;
        }

        return map.Count == 0 ? Metadata.Empty : map.AsReadOnly();
    }
}
