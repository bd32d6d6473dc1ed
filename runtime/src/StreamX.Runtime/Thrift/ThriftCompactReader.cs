using System.Buffers;
using System.Runtime.CompilerServices;

namespace StreamX.Thrift;

/// <summary>
/// Reads the Thrift Compact protocol (zigzag varints, field id deltas, booleans folded into field headers) from a
/// span or a possibly multi-segment <see cref="ReadOnlySequence{T}"/>. Safe for untrusted input: see
/// <see cref="IThriftReader"/>.
/// </summary>
/// <remarks>
/// A mutable <see langword="ref struct"/>: pass it by <see langword="ref"/>, never copy it mid-read. For a
/// <see cref="ThriftType.Bool"/> field the value travels in the field header, so <see cref="ReadBool"/> right after
/// such a <see cref="ReadFieldBegin"/> consumes no bytes. An empty map carries no key/value types: its header reports
/// <see cref="ThriftType.Stop"/> for both.
/// </remarks>
public ref struct ThriftCompactReader : IThriftReader, IThriftSkipSupport
{
    private const byte ProtocolId = 0x82;
    private const int Version = 1;

    private ThriftInput _in;
    private FieldIdStack _fieldIds;
    private readonly int _maxDepth;
    private readonly int _maxStringBytes;
    private readonly int _maxContainerCount;
    private int _depth;
    private int _structDepth;
    private short _lastFieldId;
    private bool _hasPendingBool;
    private bool _pendingBool;

    /// <summary>Creates a reader over contiguous bytes.</summary>
    /// <param name="data">The encoded bytes; must stay unchanged while the reader is used.</param>
    /// <param name="options">Limits for untrusted input; <c>default</c> means the defaults.</param>
    public ThriftCompactReader(ReadOnlySpan<byte> data, ThriftReaderOptions options = default)
    {
        _in = new ThriftInput(data);
        _maxDepth = options.MaxDepth;
        _maxStringBytes = options.MaxStringBytes;
        _maxContainerCount = options.MaxContainerCount;
    }

    /// <summary>Creates a reader over a sequence of segments (for example from a <c>PipeReader</c>).</summary>
    /// <param name="data">The encoded bytes; must stay unchanged while the reader is used.</param>
    /// <param name="options">Limits for untrusted input; <c>default</c> means the defaults.</param>
    public ThriftCompactReader(ReadOnlySequence<byte> data, ThriftReaderOptions options = default)
    {
        _in = new ThriftInput(data);
        _maxDepth = options.MaxDepth;
        _maxStringBytes = options.MaxStringBytes;
        _maxContainerCount = options.MaxContainerCount;
    }

    /// <inheritdoc />
    public readonly long Consumed => _in.Consumed;

    /// <inheritdoc />
    /// <exception cref="ThriftProtocolException">
    /// <see cref="ThriftProtocolErrorKind.BadVersion"/> if the protocol id is not 0x82 or the version is not 1.
    /// </exception>
    public ThriftMessageHeader ReadMessageBegin()
    {
        var start = _in.Consumed;
        var protocolId = _in.ReadByte();
        if (protocolId != ProtocolId)
        {
            throw new ThriftProtocolException(
                ThriftProtocolErrorKind.BadVersion,
                $"Bad Thrift Compact protocol id 0x{protocolId:x2}, expected 0x82",
                start);
        }

        var versionAndType = _in.ReadByte();
        if ((versionAndType & 0x1F) != Version)
        {
            throw new ThriftProtocolException(
                ThriftProtocolErrorKind.BadVersion,
                $"Bad Thrift Compact protocol version {versionAndType & 0x1F}, expected {Version}",
                start + 1);
        }

        // Unlike every other integer in the protocol, the sequence id is an unsigned (not zigzag) varint.
        var seqId = unchecked((int)_in.ReadVarint32());
        var name = ReadString();
        return new ThriftMessageHeader(name, (ThriftMessageType)((versionAndType >> 5) & 0x07), seqId);
    }

    /// <inheritdoc />
    public readonly void ReadMessageEnd()
    {
    }

    /// <inheritdoc />
    public void ReadStructBegin()
    {
        EnterNested();
        // EnterNested bounds _depth by MaxSupportedDepth, and _structDepth never exceeds _depth.
        _fieldIds[_structDepth++] = _lastFieldId;
        _lastFieldId = 0;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No struct is open.</exception>
    public void ReadStructEnd()
    {
        if (_structDepth == 0)
        {
            throw new InvalidOperationException("ReadStructEnd without a matching ReadStructBegin.");
        }

        _lastFieldId = _fieldIds[--_structDepth];
        ExitNested();
    }

    /// <inheritdoc />
    public ThriftFieldHeader ReadFieldBegin()
    {
        // A bool value the caller never read must not leak into a later ReadBool.
        _hasPendingBool = false;
        var start = _in.Consumed;
        var b = _in.ReadByte();
        if (b == 0)
        {
            return default;
        }

        var code = b & 0x0F;
        if (code == 0 || !CompactTypes.TryFromCompact(code, out var type))
        {
            throw ThriftErrors.UnknownCompactType(code, start);
        }

        var delta = b >> 4;
        short id;
        if (delta == 0)
        {
            id = unchecked((short)ZigZag32(_in.ReadVarint32()));
        }
        else
        {
            var next = _lastFieldId + delta;
            if (next > short.MaxValue)
            {
                throw ThriftErrors.InvalidData("Thrift Compact field id delta overflows i16", start);
            }

            id = (short)next;
        }

        _lastFieldId = id;
        if (type == ThriftType.Bool)
        {
            _hasPendingBool = true;
            _pendingBool = code == CompactTypes.BoolTrue;
        }

        return new ThriftFieldHeader(type, id);
    }

    /// <inheritdoc />
    public void ReadFieldEnd() => _hasPendingBool = false;

    /// <inheritdoc />
    public bool ReadBool()
    {
        if (_hasPendingBool)
        {
            _hasPendingBool = false;
            return _pendingBool;
        }

        return _in.ReadByte() == CompactTypes.BoolTrue;
    }

    /// <inheritdoc />
    public sbyte ReadByte() => unchecked((sbyte)_in.ReadByte());

    /// <inheritdoc />
    public short ReadI16() => unchecked((short)ZigZag32(_in.ReadVarint32()));

    /// <inheritdoc />
    public int ReadI32() => ZigZag32(_in.ReadVarint32());

    /// <inheritdoc />
    public long ReadI64()
    {
        var v = _in.ReadVarint64();
        return (long)(v >> 1) ^ -(long)(v & 1);
    }

    /// <inheritdoc />
    public double ReadDouble() => BitConverter.Int64BitsToDouble(_in.ReadInt64LittleEndian());

    /// <inheritdoc />
    public string ReadString() => _in.ReadUtf8(ReadLength());

    /// <inheritdoc />
    public byte[] ReadBinary() => _in.ReadBytes(ReadLength());

    /// <inheritdoc />
    public Guid ReadUuid() => _in.ReadUuid();

    /// <inheritdoc />
    public ThriftListHeader ReadListBegin()
    {
        var start = _in.Consumed;
        var b = _in.ReadByte();
        var count = b >> 4;
        if (count == 15)
        {
            count = unchecked((int)_in.ReadVarint32());
        }

        var code = b & 0x0F;
        if (!CompactTypes.TryFromCompact(code, out var elementType))
        {
            throw ThriftErrors.UnknownCompactType(code, start);
        }

        ThriftTypes.CheckCount(
            count, ThriftTypes.MinCompactSize(elementType), elementType == ThriftType.Stop, _maxContainerCount, _in.Remaining, start);
        EnterNested();
        return new ThriftListHeader(elementType, count);
    }

    /// <inheritdoc />
    public void ReadListEnd() => ExitNested();

    /// <inheritdoc />
    public ThriftListHeader ReadSetBegin() => ReadListBegin();

    /// <inheritdoc />
    public void ReadSetEnd() => ExitNested();

    /// <inheritdoc />
    public ThriftMapHeader ReadMapBegin()
    {
        var start = _in.Consumed;
        var count = unchecked((int)_in.ReadVarint32());
        if (count == 0)
        {
            EnterNested();
            return default;
        }

        var types = _in.ReadByte();
        if (!CompactTypes.TryFromCompact(types >> 4, out var keyType))
        {
            throw ThriftErrors.UnknownCompactType(types >> 4, start);
        }

        if (!CompactTypes.TryFromCompact(types & 0x0F, out var valueType))
        {
            throw ThriftErrors.UnknownCompactType(types & 0x0F, start);
        }

        ThriftTypes.CheckCount(
            count,
            ThriftTypes.MinCompactSize(keyType) + ThriftTypes.MinCompactSize(valueType),
            keyType == ThriftType.Stop || valueType == ThriftType.Stop,
            _maxContainerCount,
            _in.Remaining,
            start);
        EnterNested();
        return new ThriftMapHeader(keyType, valueType, count);
    }

    /// <inheritdoc />
    public void ReadMapEnd() => ExitNested();

    /// <inheritdoc />
    public void Skip(ThriftType type) => ThriftSkipper.Skip(ref this, type);

    /// <inheritdoc />
    void IThriftSkipSupport.SkipBinaryValue() => _in.Skip(ReadLength());

    private static int ZigZag32(uint v) => (int)(v >> 1) ^ -(int)(v & 1);

    private int ReadLength()
    {
        var start = _in.Consumed;
        var length = unchecked((int)_in.ReadVarint32());
        if (length < 0)
        {
            throw ThriftErrors.NegativeSize("string length", length, start);
        }

        if (length > _maxStringBytes)
        {
            throw ThriftErrors.SizeLimit("string length", length, _maxStringBytes, start);
        }

        if (length > _in.Remaining)
        {
            throw ThriftErrors.EndOfData(length, _in.Remaining, _in.Consumed);
        }

        return length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnterNested()
    {
        if (++_depth > _maxDepth)
        {
            throw ThriftErrors.DepthLimit(_maxDepth, _in.Consumed);
        }

        // Callers (generated Read methods, Skip) recurse once per level; make sure that recursion cannot overflow.
        if (_depth > 16 && !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw ThriftErrors.InsufficientStack(_in.Consumed);
        }
    }

    private void ExitNested()
    {
        if (_depth > 0)
        {
            _depth--;
        }
    }
}
