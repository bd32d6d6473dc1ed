using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace StreamX.Thrift;

/// <summary>
/// The byte sink shared by both writers: a window onto the span of an <see cref="IBufferWriter{T}"/> that is only
/// committed (<c>Advance</c>) when more room is needed or on <see cref="Flush"/>, so small writes cost a bounds
/// check and a store rather than an interface call each.
/// </summary>
internal ref struct ThriftOutput
{
    // Asking the buffer writer for more than this at once would make pipes allocate oversized segments.
    private const int MaxChunk = 4096;

    private static readonly SearchValues<char> Surrogates = SearchValues.Create(SurrogateChars());

    private readonly IBufferWriter<byte>? _writer;
    private Span<byte> _span;
    private int _buffered;
    private long _committed;

    public ThriftOutput(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    /// <summary>Bytes written through this output, committed or not.</summary>
    public readonly long Written => _committed + _buffered;

    /// <summary>Returns at least <paramref name="sizeHint"/> writable bytes at the current position; follow with <see cref="Advance"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> GetSpan(int sizeHint)
    {
        var free = _span.Slice(_buffered);
        return free.Length >= sizeHint ? free : GetSpanSlow(sizeHint);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(int count) => _buffered += count;

    public void Flush()
    {
        Commit();
        // The buffer writer's contract invalidates the span once Advance was called.
        _span = default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        GetSpan(1)[0] = value;
        _buffered++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt16BigEndian(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(GetSpan(2), value);
        _buffered += 2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt32BigEndian(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(GetSpan(4), value);
        _buffered += 4;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt64BigEndian(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(GetSpan(8), value);
        _buffered += 8;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt64LittleEndian(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(GetSpan(8), value);
        _buffered += 8;
    }

    public void WriteUuid(Guid value)
    {
        if (!value.TryWriteBytes(GetSpan(16), bigEndian: true, out var written) || written != 16)
        {
            throw new InvalidOperationException("Guid.TryWriteBytes did not write 16 bytes.");
        }

        _buffered += 16;
    }

    public void WriteVarint32(uint value)
    {
        var span = GetSpan(5);
        _buffered += EncodeVarint(span, value);
    }

    public void WriteVarint64(ulong value)
    {
        var span = GetSpan(10);
        _buffered += EncodeVarint(span, value);
    }

    public void WriteBytes(ReadOnlySpan<byte> data)
    {
        var free = _span.Slice(_buffered);
        if (data.Length <= free.Length)
        {
            data.CopyTo(free);
            _buffered += data.Length;
            return;
        }

        while (!data.IsEmpty)
        {
            var dest = GetSpan(Math.Min(data.Length, MaxChunk));
            var n = Math.Min(dest.Length, data.Length);
            data[..n].CopyTo(dest);
            _buffered += n;
            data = data[n..];
        }
    }

    /// <summary>
    /// Encodes <paramref name="chars"/> as UTF-8 in chunks, so a long string never needs one contiguous buffer.
    /// The caller already wrote <paramref name="byteCount"/> (from <see cref="Utf8ByteCount"/>) as the length.
    /// </summary>
    public void WriteUtf8(ReadOnlySpan<char> chars, int byteCount)
    {
        var remaining = byteCount;
        while (!chars.IsEmpty)
        {
            // Four bytes always hold at least one scalar value, so every iteration makes progress.
            var dest = GetSpan(Math.Clamp(remaining, 4, MaxChunk));
            Utf8.FromUtf16(chars, dest, out var read, out var written, replaceInvalidSequences: true, isFinalBlock: true);
            _buffered += written;
            remaining -= written;
            chars = chars[read..];
        }

        if (remaining != 0)
        {
            throw new InvalidOperationException("UTF-8 byte count changed while encoding a string.");
        }
    }

    /// <summary>
    /// Encodes a short string whose worst-case size is known into the current span in one pass.
    /// Returns the number of bytes written at <paramref name="dest"/>.
    /// </summary>
    public static int EncodeUtf8(ReadOnlySpan<char> chars, Span<byte> dest)
    {
        Utf8.FromUtf16(chars, dest, out _, out var written, replaceInvalidSequences: true, isFinalBlock: true);
        return written;
    }

    /// <summary>
    /// The exact UTF-8 length with unpaired surrogates counted as U+FFFD (3 bytes), matching <see cref="WriteUtf8"/>.
    /// </summary>
    public static int Utf8ByteCount(ReadOnlySpan<char> chars)
    {
        // Encoding.UTF8.GetByteCount is the fast way, but it allocates a fallback buffer for ill-formed UTF-16.
        // Only text with surrogates can be ill-formed; count that by transcoding into scratch space instead.
        // (SearchValues rather than IndexOfAnyInRange: the latter allocated 96 bytes per call in our allocation test, .NET 10.)
        if (chars.IndexOfAny(Surrogates) < 0)
        {
            return System.Text.Encoding.UTF8.GetByteCount(chars);
        }

        Span<byte> scratch = stackalloc byte[1024];
        long total = 0;
        while (!chars.IsEmpty)
        {
            Utf8.FromUtf16(chars, scratch, out var read, out var written, replaceInvalidSequences: true, isFinalBlock: true);
            total += written;
            chars = chars[read..];
        }

        if (total > int.MaxValue)
        {
            throw new ArgumentException("The string is longer than 2 GiB in UTF-8, more than Thrift can encode.", nameof(chars));
        }

        return (int)total;
    }

    public static int VarintSize(uint value) => (31 - System.Numerics.BitOperations.LeadingZeroCount(value | 1)) / 7 + 1;

    public static int EncodeVarint(Span<byte> dest, uint value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            dest[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        dest[i++] = (byte)value;
        return i;
    }

    public static int EncodeVarint(Span<byte> dest, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            dest[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        dest[i++] = (byte)value;
        return i;
    }

    private static char[] SurrogateChars()
    {
        var chars = new char[0xE000 - 0xD800];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)(0xD800 + i);
        }

        return chars;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Span<byte> GetSpanSlow(int sizeHint)
    {
        if (_writer is null)
        {
            throw new InvalidOperationException("This Thrift writer was default-constructed; create it with an IBufferWriter<byte>.");
        }

        Commit();
        _span = _writer.GetSpan(sizeHint);
        if (_span.Length < sizeHint)
        {
            throw new InvalidOperationException(
                $"{_writer.GetType().Name}.GetSpan({sizeHint}) returned only {_span.Length} bytes.");
        }

        return _span;
    }

    private void Commit()
    {
        if (_buffered > 0)
        {
            _writer!.Advance(_buffered);
            _committed += _buffered;
            _buffered = 0;
        }
    }
}
