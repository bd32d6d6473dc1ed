using System.Buffers;
using System.Buffers.Binary;

namespace StreamX.Thrift;

/// <summary>
/// Writes the Thrift Binary protocol (big-endian, strict message headers <c>0x8001000t</c>) into an
/// <see cref="IBufferWriter{T}"/>. Allocation-free; call <see cref="Flush"/> when done.
/// </summary>
/// <remarks>A mutable <see langword="ref struct"/>: pass it by <see langword="ref"/>. Not thread-safe.</remarks>
public ref struct ThriftBinaryWriter : IThriftWriter
{
    // Up to this many chars a string is encoded straight after its length prefix in one pass (worst case 3 bytes
    // per char); longer strings are counted first and then encoded in chunks.
    private const int OnePassChars = 1024;

    private ThriftOutput _out;

    /// <summary>Creates a writer.</summary>
    /// <param name="output">Where the bytes go. It is advanced only on <see cref="Flush"/> or when more room is needed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is <see langword="null"/>.</exception>
    public ThriftBinaryWriter(IBufferWriter<byte> output)
    {
        _out = new ThriftOutput(output);
    }

    /// <summary>The number of bytes written so far, flushed or not.</summary>
    public readonly long Written => _out.Written;

    /// <inheritdoc />
    public void WriteMessageBegin(string name, ThriftMessageType type, int seqId)
    {
        ArgumentNullException.ThrowIfNull(name);
        _out.WriteInt32BigEndian(unchecked((int)0x80010000) | (byte)type);
        WriteString(name);
        _out.WriteInt32BigEndian(seqId);
    }

    /// <inheritdoc />
    public readonly void WriteMessageEnd()
    {
    }

    /// <inheritdoc />
    public readonly void WriteStructBegin()
    {
    }

    /// <inheritdoc />
    public readonly void WriteStructEnd()
    {
    }

    /// <inheritdoc />
    public void WriteFieldBegin(ThriftType type, short id)
    {
        var span = _out.GetSpan(3);
        span[0] = (byte)type;
        BinaryPrimitives.WriteInt16BigEndian(span[1..], id);
        _out.Advance(3);
    }

    /// <inheritdoc />
    public readonly void WriteFieldEnd()
    {
    }

    /// <inheritdoc />
    public void WriteFieldStop() => _out.WriteByte(0);

    /// <inheritdoc />
    public void WriteBool(bool value) => _out.WriteByte(value ? (byte)1 : (byte)0);

    /// <inheritdoc />
    public void WriteByte(sbyte value) => _out.WriteByte(unchecked((byte)value));

    /// <inheritdoc />
    public void WriteI16(short value) => _out.WriteInt16BigEndian(value);

    /// <inheritdoc />
    public void WriteI32(int value) => _out.WriteInt32BigEndian(value);

    /// <inheritdoc />
    public void WriteI64(long value) => _out.WriteInt64BigEndian(value);

    /// <inheritdoc />
    public void WriteDouble(double value) => _out.WriteInt64BigEndian(BitConverter.DoubleToInt64Bits(value));

    /// <inheritdoc />
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= OnePassChars)
        {
            var span = _out.GetSpan(4 + (value.Length * 3));
            var n = ThriftOutput.EncodeUtf8(value, span[4..]);
            BinaryPrimitives.WriteInt32BigEndian(span, n);
            _out.Advance(4 + n);
            return;
        }

        var count = ThriftOutput.Utf8ByteCount(value);
        _out.WriteInt32BigEndian(count);
        _out.WriteUtf8(value, count);
    }

    /// <inheritdoc />
    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        _out.WriteInt32BigEndian(value.Length);
        _out.WriteBytes(value);
    }

    /// <inheritdoc />
    public void WriteUuid(Guid value) => _out.WriteUuid(value);

    /// <inheritdoc />
    public void WriteListBegin(ThriftType elementType, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var span = _out.GetSpan(5);
        span[0] = (byte)elementType;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], count);
        _out.Advance(5);
    }

    /// <inheritdoc />
    public readonly void WriteListEnd()
    {
    }

    /// <inheritdoc />
    public void WriteSetBegin(ThriftType elementType, int count) => WriteListBegin(elementType, count);

    /// <inheritdoc />
    public readonly void WriteSetEnd()
    {
    }

    /// <inheritdoc />
    public void WriteMapBegin(ThriftType keyType, ThriftType valueType, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var span = _out.GetSpan(6);
        span[0] = (byte)keyType;
        span[1] = (byte)valueType;
        BinaryPrimitives.WriteInt32BigEndian(span[2..], count);
        _out.Advance(6);
    }

    /// <inheritdoc />
    public readonly void WriteMapEnd()
    {
    }

    /// <inheritdoc />
    public void Flush() => _out.Flush();
}
