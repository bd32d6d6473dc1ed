namespace StreamX.Thrift;

/// <summary>Why a <see cref="ThriftProtocolException"/> was thrown.</summary>
public enum ThriftProtocolErrorKind
{
    /// <summary>The bytes are not a valid encoding: unknown type id, over-long varint, misplaced value.</summary>
    InvalidData,

    /// <summary>A length or element count is negative.</summary>
    NegativeSize,

    /// <summary>A length or element count exceeds a configured <see cref="ThriftReaderOptions"/> limit.</summary>
    SizeLimit,

    /// <summary>Structs and containers are nested deeper than <see cref="ThriftReaderOptions.MaxDepth"/>.</summary>
    DepthLimit,

    /// <summary>A message header has a missing or unsupported protocol version (for example an old-style non-strict Binary message).</summary>
    BadVersion,

    /// <summary>The input uses a protocol feature this implementation does not support.</summary>
    NotImplemented,

    /// <summary>The input ended early, or declares more data than it contains.</summary>
    EndOfData,
}
