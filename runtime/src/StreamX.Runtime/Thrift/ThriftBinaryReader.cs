using System.Buffers;
using System.Runtime.CompilerServices;

namespace StreamX.Thrift;

/// <summary>
/// Reads the Thrift Binary protocol (big-endian, strict message headers) from a span or a possibly multi-segment
/// <see cref="ReadOnlySequence{T}"/>. Safe for untrusted input: see <see cref="IThriftReader"/>.
/// </summary>
/// <remarks>
/// A mutable <see langword="ref struct"/>: pass it by <see langword="ref"/>, never copy it mid-read. Old-style
/// (non-strict, unversioned) message headers are rejected with <see cref="ThriftProtocolErrorKind.BadVersion"/>.
/// </remarks>
public ref struct ThriftBinaryReader : IThriftReader, IThriftSkipSupport
{
    private const int VersionMask = unchecked((int)0xFFFF0000);
    private const int Version1 = unchecked((int)0x80010000);

    private ThriftInput _in;
    private readonly int _maxDepth;
    private readonly int _maxStringBytes;
    private readonly int _maxContainerCount;
    private int _depth;

    /// <summary>Creates a reader over contiguous bytes.</summary>
    /// <param name="data">The encoded bytes; must stay unchanged while the reader is used.</param>
    /// <param name="options">Limits for untrusted input; <c>default</c> means the defaults.</param>
    public ThriftBinaryReader(ReadOnlySpan<byte> data, ThriftReaderOptions options = default)
    {
        _in = new ThriftInput(data);
        _maxDepth = options.MaxDepth;
        _maxStringBytes = options.MaxStringBytes;
        _maxContainerCount = options.MaxContainerCount;
    }

    /// <summary>Creates a reader over a sequence of segments (for example from a <c>PipeReader</c>).</summary>
    /// <param name="data">The encoded bytes; must stay unchanged while the reader is used.</param>
    /// <param name="options">Limits for untrusted input; <c>default</c> means the defaults.</param>
    public ThriftBinaryReader(ReadOnlySequence<byte> data, ThriftReaderOptions options = default)
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
    /// <see cref="ThriftProtocolErrorKind.BadVersion"/> for a non-strict header or a version other than 0x8001.
    /// </exception>
    public ThriftMessageHeader ReadMessageBegin()
    {
        var start = _in.Consumed;
        var header = _in.ReadInt32BigEndian();
        if (header >= 0)
        {
            throw new ThriftProtocolException(
                ThriftProtocolErrorKind.BadVersion,
                "Old-style (non-strict) Thrift Binary message header; only strict messages (version 0x8001) are supported",
                start);
        }

        if ((header & VersionMask) != Version1)
        {
            throw new ThriftProtocolException(
                ThriftProtocolErrorKind.BadVersion,
                $"Bad Thrift Binary message version 0x{(uint)header >> 16:x4}, expected 0x8001",
                start);
        }

        var name = ReadString();
        var seqId = _in.ReadInt32BigEndian();
        return new ThriftMessageHeader(name, (ThriftMessageType)(header & 0xFF), seqId);
    }

    /// <inheritdoc />
    public readonly void ReadMessageEnd()
    {
    }

    /// <inheritdoc />
    public void ReadStructBegin() => EnterNested();

    /// <inheritdoc />
    public void ReadStructEnd() => ExitNested();

    /// <inheritdoc />
    public ThriftFieldHeader ReadFieldBegin()
    {
        var typeId = _in.ReadByte();
        if (typeId == 0)
        {
            return default;
        }

        if (!ThriftTypes.IsValueType(typeId))
        {
            throw ThriftErrors.UnknownType(typeId, _in.Consumed - 1);
        }

        return new ThriftFieldHeader((ThriftType)typeId, _in.ReadInt16BigEndian());
    }

    /// <inheritdoc />
    public readonly void ReadFieldEnd()
    {
    }

    /// <inheritdoc />
    public bool ReadBool() => _in.ReadByte() == 1;

    /// <inheritdoc />
    public sbyte ReadByte() => unchecked((sbyte)_in.ReadByte());

    /// <inheritdoc />
    public short ReadI16() => _in.ReadInt16BigEndian();

    /// <inheritdoc />
    public int ReadI32() => _in.ReadInt32BigEndian();

    /// <inheritdoc />
    public long ReadI64() => _in.ReadInt64BigEndian();

    /// <inheritdoc />
    public double ReadDouble() => BitConverter.Int64BitsToDouble(_in.ReadInt64BigEndian());

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
        var elementType = ReadTypeId();
        var count = _in.ReadInt32BigEndian();
        ThriftTypes.CheckCount(
            count, ThriftTypes.MinBinarySize(elementType), elementType == ThriftType.Stop, _maxContainerCount, _in.Remaining, start);
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
        var keyType = ReadTypeId();
        var valueType = ReadTypeId();
        var count = _in.ReadInt32BigEndian();
        ThriftTypes.CheckCount(
            count,
            ThriftTypes.MinBinarySize(keyType) + ThriftTypes.MinBinarySize(valueType),
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

    private int ReadLength()
    {
        var start = _in.Consumed;
        var length = _in.ReadInt32BigEndian();
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

    private ThriftType ReadTypeId()
    {
        var typeId = _in.ReadByte();
        // Stop is let through here; CheckCount only accepts it for an empty container.
        if (typeId != 0 && !ThriftTypes.IsValueType(typeId))
        {
            throw ThriftErrors.UnknownType(typeId, _in.Consumed - 1);
        }

        return (ThriftType)typeId;
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
