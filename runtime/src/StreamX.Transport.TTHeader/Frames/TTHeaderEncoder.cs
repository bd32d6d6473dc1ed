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
        if (streamingFrame && strings.Count == 0 && ints.Count == 0)
        {
            // Every Data frame, most Trailers: no header maps to walk, sort or measure twice.
            var methodBytes = Utf8.GetByteCount(method);
            if (methodBytes <= MaxStringBytes)
            {
                WriteBareStreamingFrame(output, flags, sequenceId, protocolId, method, methodBytes, frameType, payload, maxHeaderBytes, maxFrameBytes);
                return;
            }
        }

        // Pass 1: sizes and limits.
        var size = Measure(strings, ints, streamingFrame, method);
        if (size.Oversized is { } oversized)
        {
            throw new FrameException(string.Create(
                CultureInfo.InvariantCulture,
                $"string exceeded {MaxStringBytes}B max size (actual: {size.OversizedBytes}B, preview: {GoQuote.Quote(Utf8.GetBytes(oversized).AsSpan(0, PreviewBytes), "...")})"));
        }

        if (size.StringEntries > ushort.MaxValue)
        {
            throw new FrameException(string.Create(CultureInfo.InvariantCulture, $"too many string headers: {size.StringEntries}, a TTHeader block holds at most 65535"));
        }

        if (size.IntEntries > ushort.MaxValue)
        {
            throw new FrameException(string.Create(CultureInfo.InvariantCulture, $"too many int headers: {size.IntEntries}, a TTHeader block holds at most 65535"));
        }

        var headerBytes = size.HeaderBytes;
        if (headerBytes > maxHeaderBytes)
        {
            throw new FrameException(string.Create(CultureInfo.InvariantCulture, $"invalid header length[{headerBytes}]"));
        }

        var hasToken = strings.TryGetValue(FrameCodec.AclTokenKey, out var token);
        var stringEntries = size.StringEntries;
        var intEntries = size.IntEntries;

        // Pass 2: write the fixed fields and the header-info block in one span.
        var span = StartPacket(output, flags, sequenceId, protocolId, headerBytes, payload.Length, maxFrameBytes);
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

        FinishPacket(output, span, at, payload);
    }

    /// <summary>
    /// <see cref="Write"/> for a ttstream frame with no string or int headers: the header-info block is only the 0x10
    /// block with keys 9 (the method) and 27 (the frame type), in that (sorted) order, so its size is known at once.
    /// The bytes are the general path's (the frame codec tests compare both against the spec's vectors).
    /// </summary>
    private static void WriteBareStreamingFrame(
        IBufferWriter<byte> output, ushort flags, int sequenceId, byte protocolId, string method, int methodBytes, FrameType frameType, ReadOnlySpan<byte> payload, int maxHeaderBytes, long maxFrameBytes)
    {
        var headerBytes = BareStreamingHeaderBytes(methodBytes);
        if (headerBytes > maxHeaderBytes)
        {
            throw new FrameException(string.Create(CultureInfo.InvariantCulture, $"invalid header length[{headerBytes}]"));
        }

        var span = StartPacket(output, flags, sequenceId, protocolId, headerBytes, payload.Length, maxFrameBytes);
        span[16] = 0x10;
        BinaryPrimitives.WriteUInt16BigEndian(span[17..], 2);
        BinaryPrimitives.WriteUInt16BigEndian(span[19..], FrameCodec.MethodIntKey);
        BinaryPrimitives.WriteUInt16BigEndian(span[21..], (ushort)methodBytes);
        var at = 23 + Utf8.GetBytes(method, span[23..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], FrameCodec.FrameTypeIntKey);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 2)..], 1);
        span[at + 4] = (byte)('0' + (int)frameType);
        FinishPacket(output, span, at + 5, payload);
    }

    /// <summary>
    /// Checks the frame size against <paramref name="maxFrameBytes"/> and writes the fixed fields, protocol id and
    /// transform count (0) into a span of the output as long as the fixed fields and the header-info block, which the
    /// caller fills from byte 16 on.
    /// </summary>
    private static Span<byte> StartPacket(IBufferWriter<byte> output, ushort flags, int sequenceId, byte protocolId, int headerBytes, int payloadBytes, long maxFrameBytes)
    {
        var length = (long)TTHeaderDecoder.FixedBytes - 4 + headerBytes + payloadBytes;
        if (4 + length > maxFrameBytes)
        {
            throw new FrameException(string.Create(
                CultureInfo.InvariantCulture, $"frame of {4 + length} bytes exceeds the limit of {maxFrameBytes} bytes"));
        }

        var total = TTHeaderDecoder.FixedBytes + headerBytes;
        var span = output.GetSpan(total)[..total];
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)length);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 0x1000);
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], flags);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], sequenceId);
        BinaryPrimitives.WriteUInt16BigEndian(span[12..], (ushort)(headerBytes / 4));
        span[14] = protocolId;
        span[15] = 0;
        return span;
    }

    /// <summary>Zero padding from <paramref name="at"/> to the end of <paramref name="span"/>, then the payload.</summary>
    private static void FinishPacket(IBufferWriter<byte> output, Span<byte> span, int at, ReadOnlySpan<byte> payload)
    {
        span[at..].Clear();
        output.Advance(span.Length);
        if (!payload.IsEmpty)
        {
            output.Write(payload);
        }
    }

    /// <summary>
    /// The header-info size of a ttstream frame with no string or int headers: protocol id and transform count, the 0x10
    /// block's id and count, key 9 with the method, key 27 with one digit, padded to a multiple of 4.
    /// </summary>
    private static int BareStreamingHeaderBytes(int methodBytes) => (2 + 3 + 4 + methodBytes + 5 + 3) & ~3;

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

    /// <summary>
    /// Checks that a packet can be encoded within <paramref name="maxHeaderBytes"/> and <paramref name="maxFrameBytes"/>
    /// without encoding anything: null when it can, otherwise why not, naming the key (or the method, or the int key)
    /// and the limit, or the frame size and the limit. For errors that fail one call, where <see cref="Write"/>'s gopkg
    /// texts would not say which header is at fault. One pass over the headers (<see cref="Write"/>'s sizing pass), and
    /// no allocation unless there is a problem.
    /// </summary>
    /// <param name="strings">The string headers.</param>
    /// <param name="ints">The int headers.</param>
    /// <param name="streamingFrame">For ttstream frames: the method (key 9) and the frame type (key 27) count too.</param>
    /// <param name="method">The method of a ttstream frame.</param>
    /// <param name="maxHeaderBytes">The largest header-info block allowed.</param>
    /// <param name="noun">What the headers are called in the message: <c>header</c>, <c>trailer</c> ….</param>
    /// <param name="payloadBytes">The size of the payload that follows the header-info block.</param>
    /// <param name="maxFrameBytes">The largest packet allowed, LENGTH field included (as the decoder counts it).</param>
    /// <returns>Null, or the problem.</returns>
    public static string? Describe(
        IReadOnlyDictionary<string, string> strings,
        IReadOnlyDictionary<ushort, string> ints,
        bool streamingFrame,
        string method,
        int maxHeaderBytes,
        string noun,
        long payloadBytes,
        long maxFrameBytes)
    {
        if (streamingFrame && strings.Count == 0 && ints.Count == 0 && Utf8.GetByteCount(method) is var methodBytes && methodBytes <= MaxStringBytes)
        {
            // A frame with no headers (every Data frame) that fits is the common case: no need to walk the maps. One
            // that does not fit gets its message from the general path below.
            var bareHeaderBytes = BareStreamingHeaderBytes(methodBytes);
            if (bareHeaderBytes <= maxHeaderBytes && TTHeaderDecoder.FixedBytes + bareHeaderBytes + payloadBytes <= maxFrameBytes)
            {
                return null;
            }
        }

        var size = Measure(strings, ints, streamingFrame, method);
        if (size.Oversized is not null)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{size.OversizedOwner!.Replace("{noun}", noun, StringComparison.Ordinal)} cannot be sent: {size.OversizedPart ?? "its value"} is {size.OversizedBytes} bytes (UTF-8), over the TTHeader limit of {MaxStringBytes} bytes for one key or value");
        }

        if (size.StringEntries > ushort.MaxValue || size.IntEntries > ushort.MaxValue)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{noun}s cannot be sent: {Math.Max(size.StringEntries, size.IntEntries)} entries, over the TTHeader limit of {ushort.MaxValue} entries in one block");
        }

        if (size.HeaderBytes > maxHeaderBytes)
        {
            var largest = size.Largest is null ? string.Empty : string.Create(
                CultureInfo.InvariantCulture, $"; the largest is {noun} {Preview(size.Largest)} ({size.LargestBytes} bytes)");
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{noun}s cannot be sent: they take {size.HeaderBytes} bytes encoded, over the limit of {maxHeaderBytes} bytes (FrameLimits.MaxHeaderBytes){largest}");
        }

        var frameBytes = TTHeaderDecoder.FixedBytes + size.HeaderBytes + payloadBytes;
        return frameBytes > maxFrameBytes ? FrameLimits.FrameTooLarge(frameBytes, payloadBytes, maxFrameBytes) : null;
    }

    /// <summary>
    /// Pass 1 of <see cref="Write"/>: the padded size of the header-info block (from offset 14), or the first string
    /// over 65535 bytes, with the block's entry counts and its largest string entry.
    /// </summary>
    private static HeaderSize Measure(IReadOnlyDictionary<string, string> strings, IReadOnlyDictionary<ushort, string> ints, bool streamingFrame, string method)
    {
        var size = default(HeaderSize);
        var blockBytes = 2; // protocol id, transform count
        var hasToken = strings.TryGetValue(FrameCodec.AclTokenKey, out var token);
        if (hasToken)
        {
            var bytes = StringBytes(token!);
            if (bytes > MaxStringBytes)
            {
                return size with { Oversized = token, OversizedBytes = bytes, OversizedOwner = "{noun} " + Preview(FrameCodec.AclTokenKey) };
            }

            blockBytes += 3 + bytes;
            size = size with { Largest = FrameCodec.AclTokenKey, LargestBytes = bytes };
        }

        size = size with { StringEntries = strings.Count - (hasToken ? 1 : 0) };
        if (size.StringEntries > 0)
        {
            blockBytes += 3;
            foreach (var (key, value) in strings)
            {
                if (hasToken && key == FrameCodec.AclTokenKey)
                {
                    continue;
                }

                var keyBytes = StringBytes(key);
                if (keyBytes > MaxStringBytes)
                {
                    return size with { Oversized = key, OversizedBytes = keyBytes, OversizedPart = "the key", OversizedOwner = "{noun} " + Preview(key) };
                }

                var valueBytes = StringBytes(value);
                if (valueBytes > MaxStringBytes)
                {
                    return size with { Oversized = value, OversizedBytes = valueBytes, OversizedOwner = "{noun} " + Preview(key) };
                }

                blockBytes += 4 + keyBytes + valueBytes;
                if (keyBytes + valueBytes > size.LargestBytes)
                {
                    size = size with { Largest = key, LargestBytes = keyBytes + valueBytes };
                }
            }
        }

        size = size with { IntEntries = ints.Count + (streamingFrame ? 2 : 0) };
        if (size.IntEntries > 0)
        {
            blockBytes += 3;
            if (ints.Count > 0)
            {
                foreach (var (key, value) in ints)
                {
                    var bytes = StringBytes(value);
                    if (bytes > MaxStringBytes)
                    {
                        return size with { Oversized = value, OversizedBytes = bytes, OversizedOwner = "int {noun} " + key.ToString(CultureInfo.InvariantCulture) };
                    }

                    blockBytes += 4 + bytes;
                }
            }

            if (streamingFrame)
            {
                var bytes = StringBytes(method);
                if (bytes > MaxStringBytes)
                {
                    return size with { Oversized = method, OversizedBytes = bytes, OversizedPart = "it", OversizedOwner = "the method name " + Preview(method) };
                }

                blockBytes += 2 + 2 + bytes + 2 + 3;
            }
        }

        return size with { HeaderBytes = (blockBytes + 3) & ~3 };
    }

    private static int StringBytes(string value) => value.Length == 0 ? 0 : Utf8.GetByteCount(value);

    /// <summary>A key for a message: quoted, the first 100 characters of a long one.</summary>
    private static string Preview(string key) =>
        "\"" + (key.Length > PreviewBytes ? string.Concat(key.AsSpan(0, PreviewBytes), "...") : key) + "\"";

    private static int PutString(Span<byte> span, int at, string value)
    {
        var written = Utf8.GetBytes(value, span[(at + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)written);
        return at + 2 + written;
    }

    /// <summary>What <see cref="Measure"/> found.</summary>
    private readonly record struct HeaderSize
    {
        /// <summary>The padded header-info block, when nothing is oversized.</summary>
        public int HeaderBytes { get; init; }

        public int StringEntries { get; init; }

        public int IntEntries { get; init; }

        /// <summary>The first string over 65535 bytes, or null.</summary>
        public string? Oversized { get; init; }

        public int OversizedBytes { get; init; }

        /// <summary>Which part of the entry is oversized, for messages (<c>the key</c>, <c>it</c>); null for a value.</summary>
        public string? OversizedPart { get; init; }

        /// <summary>Whose string it is, for messages (<c>{noun}</c> stands for the caller's noun).</summary>
        public string? OversizedOwner { get; init; }

        /// <summary>The string header with the most bytes (key and value), or null.</summary>
        public string? Largest { get; init; }

        public int LargestBytes { get; init; }
    }
}
