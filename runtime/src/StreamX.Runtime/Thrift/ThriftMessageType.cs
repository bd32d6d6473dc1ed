namespace StreamX.Thrift;

/// <summary>The kind of a Thrift message envelope (TMessageType).</summary>
/// <remarks>
/// Readers return the value found on the wire without validating it, so a value outside the named members is
/// possible; callers that care (for example a decoder that requires <see cref="Exception"/>) check it themselves.
/// </remarks>
public enum ThriftMessageType : byte
{
    /// <summary>A request that expects a reply.</summary>
    Call = 1,

    /// <summary>A successful or declared-exception reply.</summary>
    Reply = 2,

    /// <summary>A <see cref="ThriftApplicationException"/> reply.</summary>
    Exception = 3,

    /// <summary>A request that expects no reply.</summary>
    Oneway = 4,
}
