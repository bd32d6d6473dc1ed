using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace StreamX.Thrift;

/// <summary>
/// Writes the Thrift Compact protocol into an <see cref="IBufferWriter{T}"/>: zigzag varints, field id deltas,
/// booleans folded into field headers, little-endian doubles, big-endian UUIDs. Allocation-free; call
/// <see cref="Flush"/> when done.
/// </summary>
/// <remarks>
/// <para>A mutable <see langword="ref struct"/>: pass it by <see langword="ref"/>. Not thread-safe.</para>
/// <para>
/// The header of a <see cref="ThriftType.Bool"/> field is deferred until the following <see cref="WriteBool"/>,
/// which must come next. Structs may nest up to <see cref="ThriftReaderOptions.MaxSupportedDepth"/> deep.
/// </para>
/// </remarks>
public ref struct ThriftCompactWriter : IThriftWriter
{
    private const byte ProtocolId = 0x82;
    private const byte Version = 1;

    // See ThriftBinaryWriter: short strings are encoded in one pass behind a length prefix of predictable size.
    private const int OnePassChars = 1024;

    private ThriftOutput _out;
    private FieldIdStack _fieldIds;
    private int _structDepth;
    private short _lastFieldId;
    private short _pendingBoolFieldId;
    private bool _hasPendingBoolField;

    /// <summary>Creates a writer.</summary>
    /// <param name="output">Where the bytes go. It is advanced only on <see cref="Flush"/> or when more room is needed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is <see langword="null"/>.</exception>
    public ThriftCompactWriter(IBufferWriter<byte> output)
    {
        _out = new ThriftOutput(output);
    }

    /// <summary>The number of bytes written so far, flushed or not.</summary>
    public readonly long Written => _out.Written;

    /// <inheritdoc />
    public void WriteMessageBegin(string name, ThriftMessageType type, int seqId)
    {
        ArgumentNullException.ThrowIfNull(name);
        _out.WriteByte(ProtocolId);
        _out.WriteByte((byte)(Version | (((byte)type & 0x07) << 5)));
        // Apache Thrift writes the sequence id as an unsigned varint, not zigzag.
        _out.WriteVarint32(unchecked((uint)seqId));
        WriteString(name);
    }

    /// <inheritdoc />
    public readonly void WriteMessageEnd()
    {
    }

    /// <inheritdoc />
    /// <exception cref="ThriftProtocolException">Structs nest deeper than <see cref="ThriftReaderOptions.MaxSupportedDepth"/>.</exception>
    public void WriteStructBegin()
    {
        if (_structDepth >= ThriftReaderOptions.MaxSupportedDepth)
        {
            throw ThriftErrors.DepthLimit(ThriftReaderOptions.MaxSupportedDepth, _out.Written);
        }

        _fieldIds[_structDepth++] = _lastFieldId;
        _lastFieldId = 0;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No struct is open.</exception>
    public void WriteStructEnd()
    {
        if (_structDepth == 0)
        {
            throw new InvalidOperationException("WriteStructEnd without a matching WriteStructBegin.");
        }

        _lastFieldId = _fieldIds[--_structDepth];
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The previous field was a Bool field whose value was never written.</exception>
    public void WriteFieldBegin(ThriftType type, short id)
    {
        ThrowIfBoolPending();
        if (type == ThriftType.Bool)
        {
            // The value decides the type code in the header, so the header waits for WriteBool.
            _pendingBoolFieldId = id;
            _hasPendingBoolField = true;
            return;
        }

        WriteFieldHeader(CompactTypes.ToCompact(type), id);
    }

    /// <inheritdoc />
    public readonly void WriteFieldEnd()
    {
    }

    /// <inheritdoc />
    public void WriteFieldStop()
    {
        ThrowIfBoolPending();
        _out.WriteByte(0);
    }

    /// <inheritdoc />
    public void WriteBool(bool value)
    {
        var code = value ? CompactTypes.BoolTrue : CompactTypes.BoolFalse;
        if (_hasPendingBoolField)
        {
            _hasPendingBoolField = false;
            WriteFieldHeader(code, _pendingBoolFieldId);
            return;
        }

        _out.WriteByte(code);
    }

    /// <inheritdoc />
    public void WriteByte(sbyte value) => _out.WriteByte(unchecked((byte)value));

    /// <inheritdoc />
    public void WriteI16(short value) => _out.WriteVarint32(ZigZag(value));

    /// <inheritdoc />
    public void WriteI32(int value) => _out.WriteVarint32(ZigZag(value));

    /// <inheritdoc />
    public void WriteI64(long value) => _out.WriteVarint64(unchecked((ulong)((value << 1) ^ (value >> 63))));

    /// <inheritdoc />
    public void WriteDouble(double value) => _out.WriteInt64LittleEndian(BitConverter.DoubleToInt64Bits(value));

    /// <inheritdoc />
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= OnePassChars)
        {
            var max = value.Length * 3;
            var prefix = ThriftOutput.VarintSize((uint)max);
            // The UTF-8 length lies between Length and 3 * Length; if both need the same varint size, the prefix
            // can be reserved before encoding.
            if (prefix == ThriftOutput.VarintSize((uint)value.Length))
            {
                var span = _out.GetSpan(prefix + max);
                var n = ThriftOutput.EncodeUtf8(value, span[prefix..]);
                ThriftOutput.EncodeVarint(span, (uint)n);
                _out.Advance(prefix + n);
                return;
            }
        }

        var count = ThriftOutput.Utf8ByteCount(value);
        _out.WriteVarint32((uint)count);
        _out.WriteUtf8(value, count);
    }

    /// <inheritdoc />
    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        _out.WriteVarint32((uint)value.Length);
        _out.WriteBytes(value);
    }

    /// <inheritdoc />
    public void WriteUuid(Guid value) => _out.WriteUuid(value);

    /// <inheritdoc />
    public void WriteListBegin(ThriftType elementType, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var code = CompactTypes.ToCompact(elementType);
        if (count <= 14)
        {
            _out.WriteByte((byte)((count << 4) | code));
        }
        else
        {
            _out.WriteByte((byte)(0xF0 | code));
            _out.WriteVarint32((uint)count);
        }
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
        if (count == 0)
        {
            _out.WriteByte(0);
            return;
        }

        _out.WriteVarint32((uint)count);
        _out.WriteByte((byte)((CompactTypes.ToCompact(keyType) << 4) | CompactTypes.ToCompact(valueType)));
    }

    /// <inheritdoc />
    public readonly void WriteMapEnd()
    {
    }

    /// <inheritdoc />
    public void Flush() => _out.Flush();

    private static uint ZigZag(int value) => unchecked((uint)((value << 1) ^ (value >> 31)));

    private void WriteFieldHeader(byte code, short id)
    {
        var delta = id - _lastFieldId;
        if (delta is > 0 and <= 15)
        {
            _out.WriteByte((byte)((delta << 4) | code));
        }
        else
        {
            _out.WriteByte(code);
            _out.WriteVarint32(ZigZag(id));
        }

        _lastFieldId = id;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void ThrowIfBoolPending()
    {
        if (_hasPendingBoolField)
        {
            ThrowBoolPending(_pendingBoolFieldId);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBoolPending(short fieldId) =>
        throw new InvalidOperationException(
            $"Field {fieldId} was declared Bool but WriteBool was not called before the next field.");
}
