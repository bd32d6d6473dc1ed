namespace StreamX.Thrift;

/// <summary>
/// Reads Thrift values in one protocol from untrusted input. Implemented by the <see langword="ref struct"/>s
/// <see cref="ThriftBinaryReader"/> and <see cref="ThriftCompactReader"/>; generic code takes
/// <c>ref TReader</c> with <c>where TReader : IThriftReader, allows ref struct</c>.
/// </summary>
/// <remarks>
/// <para>
/// Calls mirror <see cref="IThriftWriter"/>: <see cref="ReadStructBegin"/>, then <see cref="ReadFieldBegin"/> until it
/// returns <see cref="ThriftType.Stop"/> (reading or <see cref="Skip"/>ping each value, then <see cref="ReadFieldEnd"/>),
/// then <see cref="ReadStructEnd"/>. Every Begin must be paired with its End: nesting depth is counted by them.
/// </para>
/// <para>
/// Any malformed input, exceeded <see cref="ThriftReaderOptions"/> limit or premature end of input throws
/// <see cref="ThriftProtocolException"/>, and nothing else. Container headers are validated against the remaining
/// input, so their counts are safe collection capacities. A reader is not thread-safe.
/// </para>
/// </remarks>
public interface IThriftReader
{
    /// <summary>The number of bytes consumed from the input so far.</summary>
    long Consumed { get; }

    /// <summary>Reads a message envelope.</summary>
    /// <returns>The envelope.</returns>
    ThriftMessageHeader ReadMessageBegin();

    /// <summary>Ends a message envelope.</summary>
    void ReadMessageEnd();

    /// <summary>Begins a struct.</summary>
    void ReadStructBegin();

    /// <summary>Ends a struct; call after <see cref="ReadFieldBegin"/> returned <see cref="ThriftType.Stop"/>.</summary>
    void ReadStructEnd();

    /// <summary>Reads the next field header of the current struct.</summary>
    /// <returns>The header; its <see cref="ThriftFieldHeader.Type"/> is <see cref="ThriftType.Stop"/> after the last field.</returns>
    ThriftFieldHeader ReadFieldBegin();

    /// <summary>Ends a field.</summary>
    void ReadFieldEnd();

    /// <summary>Reads a boolean.</summary>
    /// <returns>The value.</returns>
    bool ReadBool();

    /// <summary>Reads a Thrift <c>byte</c>/<c>i8</c>.</summary>
    /// <returns>The value.</returns>
    sbyte ReadByte();

    /// <summary>Reads an <c>i16</c>.</summary>
    /// <returns>The value.</returns>
    short ReadI16();

    /// <summary>Reads an <c>i32</c>.</summary>
    /// <returns>The value.</returns>
    int ReadI32();

    /// <summary>Reads an <c>i64</c>.</summary>
    /// <returns>The value.</returns>
    long ReadI64();

    /// <summary>Reads a <c>double</c>.</summary>
    /// <returns>The value.</returns>
    double ReadDouble();

    /// <summary>Reads a <c>string</c>, decoding UTF-8 (invalid sequences become U+FFFD).</summary>
    /// <returns>The value.</returns>
    string ReadString();

    /// <summary>Reads a <c>binary</c> into a new array.</summary>
    /// <returns>The bytes.</returns>
    byte[] ReadBinary();

    /// <summary>Reads a <c>uuid</c> (16 bytes, RFC 4122 order).</summary>
    /// <returns>The value.</returns>
    Guid ReadUuid();

    /// <summary>Begins a list.</summary>
    /// <returns>The element type and count.</returns>
    ThriftListHeader ReadListBegin();

    /// <summary>Ends a list.</summary>
    void ReadListEnd();

    /// <summary>Begins a set.</summary>
    /// <returns>The element type and count.</returns>
    ThriftListHeader ReadSetBegin();

    /// <summary>Ends a set.</summary>
    void ReadSetEnd();

    /// <summary>Begins a map.</summary>
    /// <returns>The key type, value type and count.</returns>
    ThriftMapHeader ReadMapBegin();

    /// <summary>Ends a map.</summary>
    void ReadMapEnd();

    /// <summary>
    /// Skips one value of the given type, including nested structs and containers, without allocating. Nesting is
    /// bounded by <see cref="ThriftReaderOptions.MaxDepth"/>.
    /// </summary>
    /// <param name="type">The type of the value to skip (for a field: its header's type).</param>
    void Skip(ThriftType type);
}
