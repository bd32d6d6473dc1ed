namespace StreamX.Thrift;

/// <summary>
/// Writes Thrift values in one protocol. Implemented by the <see langword="ref struct"/>s
/// <see cref="ThriftBinaryWriter"/> and <see cref="ThriftCompactWriter"/>; generic code takes
/// <c>ref TWriter</c> with <c>where TWriter : IThriftWriter, allows ref struct</c> so calls are not boxed.
/// </summary>
/// <remarks>
/// <para>
/// Calls must follow the Thrift grammar: a struct is <see cref="WriteStructBegin"/>, then per field
/// <see cref="WriteFieldBegin"/> + value + <see cref="WriteFieldEnd"/>, then <see cref="WriteFieldStop"/> and
/// <see cref="WriteStructEnd"/>. Containers are a Begin call with the exact element count, that many values, then
/// the End call. Begin/End pairs must always be called, even where a protocol writes nothing for them.
/// </para>
/// <para>
/// Writers buffer into memory obtained from an <see cref="System.Buffers.IBufferWriter{T}"/> and only
/// <c>Advance</c> it when they need more room or on <see cref="Flush"/>: call <see cref="Flush"/> before using the
/// output. Writing never allocates on the managed heap (the buffer writer itself may, when it grows).
/// A writer is not thread-safe.
/// </para>
/// </remarks>
public interface IThriftWriter
{
    /// <summary>Writes a message envelope.</summary>
    /// <param name="name">The method name.</param>
    /// <param name="type">The message kind.</param>
    /// <param name="seqId">The sequence id.</param>
    void WriteMessageBegin(string name, ThriftMessageType type, int seqId);

    /// <summary>Ends a message envelope.</summary>
    void WriteMessageEnd();

    /// <summary>Begins a struct (also unions, exceptions, argument and result wrappers).</summary>
    void WriteStructBegin();

    /// <summary>Ends a struct; call after <see cref="WriteFieldStop"/>.</summary>
    void WriteStructEnd();

    /// <summary>Begins a field; the field's value follows.</summary>
    /// <param name="type">The wire type of the value.</param>
    /// <param name="id">The field id from the IDL.</param>
    void WriteFieldBegin(ThriftType type, short id);

    /// <summary>Ends a field.</summary>
    void WriteFieldEnd();

    /// <summary>Writes the end-of-fields marker of the current struct.</summary>
    void WriteFieldStop();

    /// <summary>Writes a boolean (for a <see cref="ThriftType.Bool"/> field, the Compact protocol folds it into the field header).</summary>
    /// <param name="value">The value.</param>
    void WriteBool(bool value);

    /// <summary>Writes a Thrift <c>byte</c>/<c>i8</c>.</summary>
    /// <param name="value">The value.</param>
    void WriteByte(sbyte value);

    /// <summary>Writes an <c>i16</c>.</summary>
    /// <param name="value">The value.</param>
    void WriteI16(short value);

    /// <summary>Writes an <c>i32</c> (also enums).</summary>
    /// <param name="value">The value.</param>
    void WriteI32(int value);

    /// <summary>Writes an <c>i64</c>.</summary>
    /// <param name="value">The value.</param>
    void WriteI64(long value);

    /// <summary>Writes a <c>double</c>.</summary>
    /// <param name="value">The value.</param>
    void WriteDouble(double value);

    /// <summary>Writes a <c>string</c> as UTF-8 (unpaired surrogates become U+FFFD).</summary>
    /// <param name="value">The value; not <see langword="null"/>.</param>
    void WriteString(string value);

    /// <summary>Writes a <c>binary</c>.</summary>
    /// <param name="value">The bytes.</param>
    void WriteBinary(ReadOnlySpan<byte> value);

    /// <summary>Writes a <c>uuid</c> as 16 bytes in RFC 4122 (big-endian) order.</summary>
    /// <param name="value">The value.</param>
    void WriteUuid(Guid value);

    /// <summary>Begins a list of exactly <paramref name="count"/> elements.</summary>
    /// <param name="elementType">The wire type of every element.</param>
    /// <param name="count">The number of elements that follow; not negative.</param>
    void WriteListBegin(ThriftType elementType, int count);

    /// <summary>Ends a list.</summary>
    void WriteListEnd();

    /// <summary>Begins a set of exactly <paramref name="count"/> elements.</summary>
    /// <param name="elementType">The wire type of every element.</param>
    /// <param name="count">The number of elements that follow; not negative.</param>
    void WriteSetBegin(ThriftType elementType, int count);

    /// <summary>Ends a set.</summary>
    void WriteSetEnd();

    /// <summary>Begins a map of exactly <paramref name="count"/> entries (key, value, key, value, ...).</summary>
    /// <param name="keyType">The wire type of every key.</param>
    /// <param name="valueType">The wire type of every value.</param>
    /// <param name="count">The number of entries that follow; not negative.</param>
    void WriteMapBegin(ThriftType keyType, ThriftType valueType, int count);

    /// <summary>Ends a map.</summary>
    void WriteMapEnd();

    /// <summary>Commits everything written so far to the underlying buffer writer (<c>Advance</c>). The writer stays usable.</summary>
    void Flush();
}
