using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// The TTHeader packet encoder shared by ttstream frames and unary TTHeader packets, following gopkg's
/// <c>ttheader.Encode</c>: fixed fields, protocol id, 0 transforms, then the 0x11 ACL block (if the string map holds
/// <see cref="FrameCodec.AclTokenKey"/>; the key is left out of the 0x01 block), the 0x01 block (if any string entry
/// remains), the 0x10 block, zero padding to a multiple of 4, the payload.
/// </summary>
internal static class TTHeaderEncoder
{
    /// <summary>gopkg's <c>maxHeaderStringSize</c>: a key or value has a uint16 length.</summary>
    private const int MaxStringBytes = ushort.MaxValue;

    /// <summary>How many bytes of an oversized string the error message shows (as gopkg: 100).</summary>
    private const int PreviewBytes = 100;

    /// <summary>Above this many int keys the sort buffer is rented instead of stack-allocated.</summary>
    private const int StackKeys = 64;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Encodes one packet.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="flags">The FLAGS field.</param>
    /// <param name="sequenceId">The SEQUENCE NUMBER field.</param>
    /// <param name="protocolId">The PROTOCOL ID byte.</param>
    /// <param name="strings">The string headers.</param>
    /// <param name="ints">The int headers (for frames: without 9 and 27).</param>
    /// <param name="streamingFrame">For ttstream frames: <paramref name="method"/> goes in as key 9 and <paramref name="frameType"/> as key 27, and the 0x10 block is always written.</param>
    /// <param name="method">The method (key 9) for frames.</param>
    /// <param name="frameType">The frame type (key 27) for frames.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="maxHeaderBytes">The largest header-info block allowed.</param>
    /// <param name="maxFrameBytes">The largest frame allowed, LENGTH field included.</param>
    public static void Write(
        IBufferWriter<byte> output,
        ushort flags,
        int sequenceId,
        byte protocolId,
        IReadOnlyDictionary<string, string> strings,
        IReadOnlyDictionary<ushort, string> ints,
        bool streamingFrame,
        string method,
        FrameType frameType,
        ReadOnlySpan<byte> payload,
        int maxHeaderBytes,
        long maxFrameBytes)
    {
        ArgumentNullException.ThrowIfNull(output);

        // Pass 1: sizes and limits.
        var blockBytes = 2; // protocol id, transform count
        var hasToken = strings.TryGetValue(FrameCodec.AclTokenKey, out var token);
        if (hasToken)
        {
            blockBytes += 1 + StringSize(token!);
        }

        var stringEntries = strings.Count - (hasToken ? 1 : 0);
        if (stringEntries > ushort.MaxValue)
        {
            throw new FrameException(string.Create(CultureInfo.InvariantCulture, $"too many string headers: {stringEntries}, a TTHeader block holds at most 65535"));
        }

        if (stringEntries > 0)
        {
            blockBytes += 3;
            foreach (var (key, value) in strings)
            {
                if (hasToken && key == FrameCodec.AclTokenKey)
                {
                    continue;
                }

                blockBytes += StringSize(key) + StringSize(value);
            }
        }

        var intEntries = ints.Count + (streamingFrame ? 2 : 0);
        if (intEntries > ushort.MaxValue)
        {
            throw new FrameException(string.Create(CultureInfo.InvariantCulture, $"too many int headers: {intEntries}, a TTHeader block holds at most 65535"));
        }

        if (intEntries > 0)
        {
            blockBytes += 3;
            if (ints.Count > 0)
            {
                foreach (var value in ints.Values)
                {
                    blockBytes += 2 + StringSize(value);
                }
            }

            if (streamingFrame)
            {
                blockBytes += 2 + StringSize(method) + 2 + 3;
            }
        }

        var headerBytes = (blockBytes + 3) & ~3;
        if (headerBytes > maxHeaderBytes)
        {
            throw new FrameException(string.Create(CultureInfo.InvariantCulture, $"invalid header length[{headerBytes}]"));
        }

        var length = (long)TTHeaderDecoder.FixedBytes - 4 + headerBytes + payload.Length;
        if (4 + length > maxFrameBytes)
        {
            throw new FrameException(string.Create(
                CultureInfo.InvariantCulture, $"frame of {4 + length} bytes exceeds the limit of {maxFrameBytes} bytes"));
        }

        // Pass 2: write the fixed fields and the header-info block in one span.
        var total = TTHeaderDecoder.FixedBytes + headerBytes;
        var span = output.GetSpan(total)[..total];
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)length);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 0x1000);
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], flags);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], sequenceId);
        BinaryPrimitives.WriteUInt16BigEndian(span[12..], (ushort)(headerBytes / 4));
        span[14] = protocolId;
        span[15] = 0;
        var at = 16;
        if (hasToken)
        {
            span[at++] = 0x11;
            at = PutString(span, at, token!);
        }

        if (stringEntries > 0)
        {
            span[at] = 0x01;
            BinaryPrimitives.WriteUInt16BigEndian(span[(at + 1)..], (ushort)stringEntries);
            at += 3;
            foreach (var (key, value) in strings)
            {
                if (hasToken && key == FrameCodec.AclTokenKey)
                {
                    continue;
                }

                at = PutString(span, at, key);
                at = PutString(span, at, value);
            }
        }

        if (intEntries > 0)
        {
            span[at] = 0x10;
            BinaryPrimitives.WriteUInt16BigEndian(span[(at + 1)..], (ushort)intEntries);
            at += 3;
            at = PutInts(span, at, ints, streamingFrame, method, frameType);
        }

        span[at..].Clear();
        output.Advance(total);
        if (!payload.IsEmpty)
        {
            output.Write(payload);
        }
    }

    private static int PutInts(Span<byte> span, int at, IReadOnlyDictionary<ushort, string> ints, bool streamingFrame, string method, FrameType frameType)
    {
        var count = ints.Count + (streamingFrame ? 2 : 0);
        ushort[]? rented = null;
        Span<ushort> keys = count <= StackKeys ? stackalloc ushort[StackKeys] : (rented = ArrayPool<ushort>.Shared.Rent(count));
        keys = keys[..count];
        var n = 0;
        if (ints.Count > 0)
        {
            foreach (var key in ints.Keys)
            {
                keys[n++] = key;
            }
        }

        if (streamingFrame)
        {
            keys[n++] = FrameCodec.MethodIntKey;
            keys[n++] = FrameCodec.FrameTypeIntKey;
        }

        keys.Sort();
        foreach (var key in keys)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[at..], key);
            at += 2;
            if (streamingFrame && key == FrameCodec.FrameTypeIntKey)
            {
                BinaryPrimitives.WriteUInt16BigEndian(span[at..], 1);
                span[at + 2] = (byte)('0' + (int)frameType);
                at += 3;
            }
            else
            {
                at = PutString(span, at, streamingFrame && key == FrameCodec.MethodIntKey ? method : ints[key]);
            }
        }

        if (rented is not null)
        {
            ArrayPool<ushort>.Shared.Return(rented);
        }

        return at;
    }

    /// <summary>The encoded size (2-byte length + UTF-8) of a header string; enforces the 65535-byte limit.</summary>
    private static int StringSize(string value)
    {
        var bytes = Utf8.GetByteCount(value);
        if (bytes > MaxStringBytes)
        {
            throw new FrameException(string.Create(
                CultureInfo.InvariantCulture,
                $"string exceeded {MaxStringBytes}B max size (actual: {bytes}B, preview: {GoQuote.Quote(Utf8.GetBytes(value).AsSpan(0, PreviewBytes), "...")})"));
        }

        return 2 + bytes;
    }

    private static int PutString(Span<byte> span, int at, string value)
    {
        var written = Utf8.GetBytes(value, span[(at + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)written);
        return at + 2 + written;
    }
}
