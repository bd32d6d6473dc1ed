namespace StreamX.Thrift;

/// <summary>The Thrift wire protocols supported by <see cref="ThriftSerializer"/>.</summary>
public enum ThriftProtocol
{
    /// <summary>TBinaryProtocol, strict (versioned) message headers. Kitex ttstream payloads use this.</summary>
    Binary,

    /// <summary>TCompactProtocol: zigzag varints, field id deltas, folded booleans.</summary>
    Compact,
}
