using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// The TTHeader packet decoder shared by ttstream frames and unary TTHeader packets. Validates in Kitex's order
/// (magic, header length, protocol id, transforms, info blocks; the caller then checks flags and frame type) with
/// gopkg's error texts, and never allocates anything whose size comes from a length field it has not checked
/// against the bytes actually present and the <see cref="FrameLimits"/>.
/// </summary>
internal static class TTHeaderDecoder
{
    /// <summary>LENGTH, MAGIC, FLAGS, SEQUENCE NUMBER, HEADER SIZE: the bytes before the header-info block.</summary>
    public const int FixedBytes = 14;

    /// <summary>The bytes needed to check the magic and the flags.</summary>
    public const int MetaBytes = 8;

    /// <summary>How much of the header-info block an info-block error message shows (gopkg prints all of it).</summary>
    private const int MaxHeaderBytesInMessage = 256;

    /// <summary>
    /// Decodes one packet from the start of <paramref name="buffer"/>, or returns <see langword="false"/> if it is not
    /// complete yet. Throws <see cref="FrameException"/> as soon as the bytes present prove the packet invalid.
    /// </summary>
    /// <param name="buffer">The received bytes.</param>
    /// <param name="limits">The limits.</param>
    /// <param name="streaming">Route int keys 9 and 27 to <see cref="Packet.Method"/> and <see cref="Packet.FrameTypeDigit"/>.</param>
    /// <param name="allowedProtocol">Checks the protocol id (after gopkg's allow-list).</param>
    /// <param name="packet">The decoded header and the payload's position in <paramref name="buffer"/>.</param>
    public static bool TryDecode(in ReadOnlySequence<byte> buffer, FrameLimits limits, bool streaming, Func<byte, bool>? allowedProtocol, out Packet packet)
    {
        packet = default;
        var available = buffer.Length;
        if (available < MetaBytes)
        {
            return false;
        }

        Span<byte> fixedBytes = stackalloc byte[FixedBytes];
        var have = (int)Math.Min(available, FixedBytes);
        if (buffer.FirstSpan.Length >= have)
        {
            buffer.FirstSpan[..have].CopyTo(fixedBytes);
        }
        else
        {
            buffer.Slice(0, have).CopyTo(fixedBytes);
        }

        if (fixedBytes[4] != 0x10 || fixedBytes[5] != 0x00)
        {
            throw new FrameException(string.Create(
                CultureInfo.InvariantCulture,
                $"not TTHeader protocol (first4Bytes=0x{Convert.ToHexStringLower(fixedBytes[..4])}, second4Bytes=0x{Convert.ToHexStringLower(fixedBytes[4..8])})"));
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(fixedBytes);
        var frameBytes = 4L + length;
        if (frameBytes > limits.MaxFrameBytes)
        {
            throw new FrameException(string.Create(
                CultureInfo.InvariantCulture,
                $"frame of {frameBytes} bytes exceeds the limit of {limits.MaxFrameBytes} bytes (LENGTH field {length})"));
        }

        if (have < FixedBytes)
        {
            return false;
        }

        var headerBytes = BinaryPrimitives.ReadUInt16BigEndian(fixedBytes[12..]) * 4;
        if (headerBytes < 2 || headerBytes > limits.MaxHeaderBytes)
        {
            throw new FrameException(string.Create(CultureInfo.InvariantCulture, $"invalid header length[{headerBytes}]"));
        }

        if (length < FixedBytes - 4 + headerBytes)
        {
            throw new FrameException(string.Create(
                CultureInfo.InvariantCulture,
                $"invalid frame length[{length}]: smaller than the {FixedBytes - 4 + headerBytes} bytes of its header"));
        }

        if (available < frameBytes)
        {
            return false;
        }

        var header = buffer.Slice(FixedBytes, headerBytes);
        var reader = new SequenceReader<byte>(header);
        reader.TryRead(out var protocolId);
        reader.TryRead(out var transforms);
        if (protocolId is not (0x00 or 0x03 or 0x04 or 0x10 or 0x11) || (allowedProtocol is not null && !allowedProtocol(protocolId)))
        {
            throw new FrameException(string.Create(CultureInfo.InvariantCulture, $"unsupported ProtocolID[{protocolId}]"));
        }

        if (transforms > 0)
        {
            throw new FrameException(reader.Remaining < transforms
                ? string.Create(CultureInfo.InvariantCulture, $"need read {transforms} transformIDs, but not enough")
                : string.Create(CultureInfo.InvariantCulture, $"unsupported transforms: the header lists {transforms} transformIDs; TTHeader transforms are not supported"));
        }

        packet.Flags = BinaryPrimitives.ReadUInt16BigEndian(fixedBytes[6..]);
        packet.SequenceId = BinaryPrimitives.ReadInt32BigEndian(fixedBytes[8..]);
        packet.ProtocolId = protocolId;
        ReadInfoBlocks(ref reader, streaming, ref packet, header);
        packet.FrameBytes = frameBytes;
        packet.Payload = buffer.Slice(FixedBytes + headerBytes, frameBytes - FixedBytes - headerBytes);
        return true;
    }

    private static void ReadInfoBlocks(ref SequenceReader<byte> reader, bool streaming, ref Packet packet, in ReadOnlySequence<byte> header)
    {
        while (reader.TryRead(out var infoId))
        {
            switch (infoId)
            {
                case 0x00:
                    continue;
                case 0x01:
                    if (!reader.TryReadBigEndian(out short stringCount))
                    {
                        throw KvFailure("error reading str kv info size: EOF", header);
                    }

                    for (var i = 0; i < (ushort)stringCount; i++)
                    {
                        if (!TryReadString(ref reader, out var key) || !TryReadString(ref reader, out var value))
                        {
                            throw KvFailure("error reading str kv info: EOF", header);
                        }

                        (packet.Strings ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = value;
                    }

                    break;
                case 0x10:
                    if (!reader.TryReadBigEndian(out short intCount))
                    {
                        throw KvFailure("error reading int kv info size: EOF", header);
                    }

                    for (var i = 0; i < (ushort)intCount; i++)
                    {
                        if (!reader.TryReadBigEndian(out short rawKey) || !reader.TryReadBigEndian(out short rawLength) || reader.Remaining < (ushort)rawLength)
                        {
                            throw KvFailure("error reading int kv info: EOF", header);
                        }

                        var key = (ushort)rawKey;
                        var valueLength = (ushort)rawLength;
                        if (streaming && key == FrameCodec.FrameTypeIntKey)
                        {
                            // Compared as bytes: no string for the common case, "1".."5".
                            byte digit = 0;
                            if (valueLength == 1 && reader.TryPeek(out var b) && b is >= (byte)'1' and <= (byte)'5')
                            {
                                digit = (byte)(b - '0');
                            }

                            packet.FrameTypeDigit = digit;
                            packet.FrameTypeText = digit == 0 ? ReadString(ref reader, valueLength) : null;
                            if (digit != 0)
                            {
                                reader.Advance(1);
                            }
                        }
                        else if (streaming && key == FrameCodec.MethodIntKey)
                        {
                            packet.Method = ReadMethod(ref reader, valueLength);
                        }
                        else
                        {
                            (packet.Ints ??= new Dictionary<ushort, string>())[key] = ReadString(ref reader, valueLength);
                        }
                    }

                    break;
                case 0x11:
                    if (!TryReadString(ref reader, out var token))
                    {
                        throw KvFailure("error reading acl token: EOF", header);
                    }

                    (packet.Strings ??= new Dictionary<string, string>(StringComparer.Ordinal))[FrameCodec.AclTokenKey] = token;
                    break;
                default:
                    throw KvFailure(string.Create(CultureInfo.InvariantCulture, $"invalid infoIDType[0x{infoId:x}]"), header);
            }
        }
    }

    private static bool TryReadString(ref SequenceReader<byte> reader, [NotNullWhen(true)] out string? value)
    {
        if (!reader.TryReadBigEndian(out short rawLength) || reader.Remaining < (ushort)rawLength)
        {
            value = null;
            return false;
        }

        value = ReadString(ref reader, (ushort)rawLength);
        return true;
    }

    /// <summary>Reads <paramref name="length"/> bytes (already checked to be there) as UTF-8.</summary>
    private static string ReadString(ref SequenceReader<byte> reader, int length)
    {
        if (length == 0)
        {
            return string.Empty;
        }

        var span = reader.UnreadSpan;
        var value = span.Length >= length
            ? Encoding.UTF8.GetString(span[..length])
            : Encoding.UTF8.GetString(reader.UnreadSequence.Slice(0, length));
        reader.Advance(length);
        return value;
    }

    private static string ReadMethod(ref SequenceReader<byte> reader, int length)
    {
        var span = reader.UnreadSpan;
        if (span.Length < length)
        {
            return ReadString(ref reader, length);
        }

        var value = MethodNameCache.Get(span[..length]);
        reader.Advance(length);
        return value;
    }

    private static FrameException KvFailure(string reason, in ReadOnlySequence<byte> header)
    {
        var shown = header.Slice(0, Math.Min(header.Length, MaxHeaderBytesInMessage)).ToArray();
        var ellipsis = header.Length > MaxHeaderBytesInMessage ? "..." : string.Empty;
        return new FrameException($"ttHeader read kv info failed, {reason}, headerInfo=0x{Convert.ToHexStringLower(shown)}{ellipsis}");
    }

    /// <summary>What <see cref="TryDecode"/> found.</summary>
    internal struct Packet
    {
        public ushort Flags;
        public int SequenceId;
        public byte ProtocolId;
        public Dictionary<string, string>? Strings;
        public Dictionary<ushort, string>? Ints;

        /// <summary>Int key 9 (streaming only); null if absent.</summary>
        public string? Method;

        /// <summary>Int key 27 (streaming only): 1..5 for <c>"1"</c>..<c>"5"</c>, 0 for absent or anything else.</summary>
        public byte FrameTypeDigit;

        /// <summary>The raw value of int key 27 when <see cref="FrameTypeDigit"/> is 0 and the key was present.</summary>
        public string? FrameTypeText;

        /// <summary>The whole packet's size, LENGTH field included.</summary>
        public long FrameBytes;

        /// <summary>The payload, a slice of the input.</summary>
        public ReadOnlySequence<byte> Payload;
    }
}
