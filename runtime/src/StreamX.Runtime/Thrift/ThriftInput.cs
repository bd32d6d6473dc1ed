using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace StreamX.Thrift;

/// <summary>
/// The byte source shared by both readers. A span input, and each segment of a sequence, is read through a plain
/// span; only reads that straddle a segment boundary take the slow path, so the single-segment case pays nothing
/// for sequence support.
/// </summary>
internal ref struct ThriftInput
{
    // Multi-segment strings up to this size are assembled on the stack instead of in a pooled array.
    private const int StackStringBytes = 256;

    private readonly ReadOnlySequence<byte> _sequence;
    private readonly long _length;
    private readonly bool _multiSegment;
    private ReadOnlySpan<byte> _span;
    private int _pos;
    private long _spanStart;
    private SequencePosition _next;

    public ThriftInput(ReadOnlySpan<byte> data)
    {
        _span = data;
        _length = data.Length;
    }

    public ThriftInput(ReadOnlySequence<byte> data)
    {
        _length = data.Length;
        if (data.IsSingleSegment)
        {
            _span = data.FirstSpan;
            return;
        }

        _sequence = data;
        _multiSegment = true;
        _next = data.Start;
        MoveToNextSegment();
    }

    public readonly long Consumed => _spanStart + _pos;

    public readonly long Remaining => _length - Consumed;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        var span = _span;
        var pos = _pos;
        if ((uint)pos < (uint)span.Length)
        {
            _pos = pos + 1;
            return span[pos];
        }

        return ReadByteSlow();
    }

    /// <summary>Takes <paramref name="count"/> bytes if they are contiguous in the current segment.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryTake(int count, out ReadOnlySpan<byte> bytes)
    {
        if (_span.Length - _pos >= count)
        {
            bytes = _span.Slice(_pos, count);
            _pos += count;
            return true;
        }

        bytes = default;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public short ReadInt16BigEndian() =>
        TryTake(2, out var s) ? BinaryPrimitives.ReadInt16BigEndian(s) : ReadInt16BigEndianSlow();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadInt32BigEndian() =>
        TryTake(4, out var s) ? BinaryPrimitives.ReadInt32BigEndian(s) : ReadInt32BigEndianSlow();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadInt64BigEndian() =>
        TryTake(8, out var s) ? BinaryPrimitives.ReadInt64BigEndian(s) : ReadInt64BigEndianSlow();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadInt64LittleEndian() =>
        TryTake(8, out var s) ? BinaryPrimitives.ReadInt64LittleEndian(s) : ReadInt64LittleEndianSlow();

    public Guid ReadUuid()
    {
        if (TryTake(16, out var s))
        {
            return new Guid(s, bigEndian: true);
        }

        Span<byte> tmp = stackalloc byte[16];
        ReadExact(tmp);
        return new Guid(tmp, bigEndian: true);
    }

    /// <summary>Reads an unsigned LEB128 varint of at most 10 bytes (64 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint64()
    {
        // Inlined fast path for the most common case, a one-byte varint (field ids, small counts and values).
        var span = _span;
        var pos = _pos;
        if ((uint)pos < (uint)span.Length && span[pos] < 0x80)
        {
            _pos = pos + 1;
            return span[pos];
        }

        return ReadVarint64Slow();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong ReadVarint64Slow()
    {
        var start = Consumed;
        ulong result = 0;
        for (var shift = 0; shift < 63; shift += 7)
        {
            var b = ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        // The tenth byte may only contribute the 64th bit.
        var last = ReadByte();
        if (last > 1)
        {
            throw ThriftErrors.InvalidData(
                last >= 0x80 ? "Thrift varint is longer than 10 bytes" : "Thrift varint overflows 64 bits", start);
        }

        return result | ((ulong)last << 63);
    }

    /// <summary>
    /// Reads a varint and keeps its low 32 bits, as Apache Thrift and Kitex do; writers that sign-extend 32-bit
    /// values to 10 bytes therefore still read back correctly.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadVarint32() => unchecked((uint)ReadVarint64());

    public void ReadExact(scoped Span<byte> destination)
    {
        if (destination.Length > Remaining)
        {
            throw ThriftErrors.EndOfData(destination.Length, Remaining, Consumed);
        }

        while (!destination.IsEmpty)
        {
            var available = _span.Length - _pos;
            if (available == 0)
            {
                if (!MoveToNextSegment())
                {
                    throw ThriftErrors.EndOfData(destination.Length, 0, Consumed);
                }

                continue;
            }

            var n = Math.Min(available, destination.Length);
            _span.Slice(_pos, n).CopyTo(destination);
            _pos += n;
            destination = destination[n..];
        }
    }

    public void Skip(int count)
    {
        if (count > Remaining)
        {
            throw ThriftErrors.EndOfData(count, Remaining, Consumed);
        }

        while (count > 0)
        {
            var available = _span.Length - _pos;
            if (available == 0)
            {
                if (!MoveToNextSegment())
                {
                    throw ThriftErrors.EndOfData(count, 0, Consumed);
                }

                continue;
            }

            var n = Math.Min(available, count);
            _pos += n;
            count -= n;
        }
    }

    /// <summary>Decodes <paramref name="length"/> bytes of UTF-8; the caller has checked them against <see cref="Remaining"/>.</summary>
    public string ReadUtf8(int length)
    {
        if (length == 0)
        {
            return string.Empty;
        }

        if (TryTake(length, out var bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        return ReadUtf8Slow(length);
    }

    /// <summary>Copies <paramref name="length"/> bytes into a new array; the caller has checked them against <see cref="Remaining"/>.</summary>
    public byte[] ReadBytes(int length)
    {
        if (length == 0)
        {
            return [];
        }

        if (length > Remaining)
        {
            throw ThriftErrors.EndOfData(length, Remaining, Consumed);
        }

        var result = GC.AllocateUninitializedArray<byte>(length);
        ReadExact(result);
        return result;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private string ReadUtf8Slow(int length)
    {
        if (length > Remaining)
        {
            throw ThriftErrors.EndOfData(length, Remaining, Consumed);
        }

        byte[]? rented = null;
        Span<byte> buffer = length <= StackStringBytes
            ? stackalloc byte[StackStringBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            buffer = buffer[..length];
            ReadExact(buffer);
            return Encoding.UTF8.GetString(buffer);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // Out of line: a stackalloc would keep the fast path above from being inlined.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private short ReadInt16BigEndianSlow()
    {
        Span<byte> tmp = stackalloc byte[2];
        ReadExact(tmp);
        return BinaryPrimitives.ReadInt16BigEndian(tmp);
    }

    // Out of line: a stackalloc would keep the fast path above from being inlined.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ReadInt32BigEndianSlow()
    {
        Span<byte> tmp = stackalloc byte[4];
        ReadExact(tmp);
        return BinaryPrimitives.ReadInt32BigEndian(tmp);
    }

    // Out of line: a stackalloc would keep the fast path above from being inlined.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long ReadInt64BigEndianSlow()
    {
        Span<byte> tmp = stackalloc byte[8];
        ReadExact(tmp);
        return BinaryPrimitives.ReadInt64BigEndian(tmp);
    }

    // Out of line: a stackalloc would keep the fast path above from being inlined.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long ReadInt64LittleEndianSlow()
    {
        Span<byte> tmp = stackalloc byte[8];
        ReadExact(tmp);
        return BinaryPrimitives.ReadInt64LittleEndian(tmp);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private byte ReadByteSlow()
    {
        while (_pos >= _span.Length)
        {
            if (!MoveToNextSegment())
            {
                throw ThriftErrors.EndOfData(1, 0, Consumed);
            }
        }

        return _span[_pos++];
    }

    private bool MoveToNextSegment()
    {
        if (!_multiSegment)
        {
            return false;
        }

        _spanStart += _span.Length;
        _pos = 0;
        _span = default;
        while (_sequence.TryGet(ref _next, out var memory, advance: true))
        {
            if (!memory.IsEmpty)
            {
                _span = memory.Span;
                return true;
            }
        }

        return false;
    }
}
