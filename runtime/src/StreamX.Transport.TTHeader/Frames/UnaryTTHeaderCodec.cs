using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// Encodes and decodes unary TTHeader packets (Kitex PingPong with the TTHeader transport), so that unary methods can
/// be served on the same port as ttstream (<see cref="ProtocolDetector"/> tells the connections apart).
/// </summary>
/// <remarks>
/// <para>Layout, from the <c>pingpong-ttheader</c> capture: <c>LENGTH 1000 0000 SEQID 0001 00 00 0000</c> (header size
/// 1 word: protocol id 0 = Thrift Binary, no transforms, no info blocks, 2 padding bytes), then the payload
/// <c>00000024 80010001 00000008 "PingPong" 00000001 0c0001 …</c>: a Framed length, then the TMessage.</para>
/// <para>Thread safety: stateless.</para>
/// </remarks>
public static class UnaryTTHeaderCodec
{
    /// <summary>The PROTOCOL ID of Thrift Binary payloads, the only one supported here.</summary>
    public const byte ThriftBinaryProtocolId = 0x00;

    private static readonly Func<byte, bool> OnlyBinary = static id => id == ThriftBinaryProtocolId;

    /// <summary>
    /// Writes <paramref name="packet"/>: the TTHeader fields (its flags, protocol id 0, no transforms), the 0x11/0x01/0x10
    /// blocks only when there are such headers (int keys ascending), padding, then the payload (Framed length if
    /// <see cref="UnaryTTHeaderPacket.FramedPayload"/>, then the message).
    /// </summary>
    /// <param name="output">The destination.</param>
    /// <param name="packet">The packet.</param>
    /// <exception cref="FrameException">A header string over 65535 bytes or a header-info block over 262140 bytes.</exception>
    public static void Write(IBufferWriter<byte> output, UnaryTTHeaderPacket packet)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        var message = packet.Message;
        var prefix = packet.FramedPayload ? 4 : 0;
        var payload = new byte[prefix + message.EncodedLength];
        if (packet.FramedPayload)
        {
            BinaryPrimitives.WriteInt32BigEndian(payload, message.EncodedLength);
        }

        var at = prefix + ThriftMessageEnvelope.Write(payload.AsSpan(prefix), message.Method, message.Type, message.SequenceId);
        message.Body.Span.CopyTo(payload.AsSpan(at));
        TTHeaderEncoder.Write(
            output,
            packet.Flags,
            packet.SequenceId,
            ThriftBinaryProtocolId,
            packet.StringHeaders,
            packet.IntHeaders,
            streamingFrame: false,
            method: string.Empty,
            frameType: default,
            payload,
            FrameLimits.MaxSupportedHeaderBytes,
            uint.MaxValue + 4L);
    }

    /// <summary>
    /// Null when a packet with <paramref name="stringHeaders"/> (and no int headers) carrying a message of
    /// <paramref name="method"/> with a body of <paramref name="bodyBytes"/> can be encoded within
    /// <paramref name="limits"/>, which a peer with the same limits accepts; otherwise why not, naming the header and
    /// the limit (<c>header "k" cannot be sent: …</c>) or the packet's size (LENGTH field included, as the decoder counts
    /// it) and the limit (<c>frame of … bytes (payload …) is over the limit of … bytes (FrameLimits.MaxFrameBytes); the
    /// peer would close the connection</c>). Nothing is encoded.
    /// </summary>
    internal static string? Describe(IReadOnlyDictionary<string, string> stringHeaders, string method, int bodyBytes, bool framedPayload, FrameLimits limits) =>
        TTHeaderEncoder.Describe(
            stringHeaders,
            HeaderMaps.EmptyInts,
            streamingFrame: false,
            method: string.Empty,
            limits.MaxHeaderBytes,
            "header",
            (framedPayload ? 4L : 0L) + ThriftMessageEnvelope.Size(method) + bodyBytes,
            limits.MaxFrameBytes);

    /// <summary>Decodes the unary TTHeader packet at the start of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">The received bytes; advanced past the packet on success, unchanged otherwise.</param>
    /// <param name="limits">Limits checked before anything is buffered or allocated.</param>
    /// <param name="packet">The packet on success (it owns a copy of the payload).</param>
    /// <returns><see langword="true"/> if a packet was decoded; <see langword="false"/> if more bytes are needed.</returns>
    /// <exception cref="FrameException">
    /// Invalid TTHeader (same checks and texts as <see cref="FrameCodec.TryRead"/>), the streaming flag set
    /// (<c>unexpected header flags: N</c>), a protocol id other than 0 (<c>unsupported ProtocolID[N]</c>), an empty
    /// payload, a Framed length that disagrees with the payload, or an invalid Thrift message.
    /// </exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, FrameLimits limits, out UnaryTTHeaderPacket? packet)
    {
        packet = null;
        if (!TTHeaderDecoder.TryDecode(buffer, limits, streaming: false, OnlyBinary, out var decoded))
        {
            return false;
        }

        if ((decoded.Flags & FrameCodec.StreamingFlag) != 0)
        {
            throw new FrameException(string.Create(
                CultureInfo.InvariantCulture, $"unexpected header flags: {decoded.Flags} (a ttstream frame where a unary TTHeader packet was expected)"));
        }

        if (decoded.Payload.IsEmpty)
        {
            throw new FrameException("unary TTHeader packet without payload");
        }

        ReadOnlyMemory<byte> payload = decoded.Payload.ToArray();
        var framed = payload.Span[0] < 0x80;
        if (framed)
        {
            if (payload.Length < 4 || BinaryPrimitives.ReadInt32BigEndian(payload.Span) != payload.Length - 4)
            {
                throw new FrameException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"unary TTHeader payload: the Framed length 0x{Convert.ToHexStringLower(payload.Span[..Math.Min(4, payload.Length)])} does not match the {payload.Length - 4} bytes after it"));
            }

            payload = payload[4..];
        }

        var message = UnaryMessage.Decode(payload);
        packet = UnaryTTHeaderPacket.FromDecoded(
            decoded.SequenceId, message, HeaderMaps.Wrap(decoded.Strings), HeaderMaps.Wrap(decoded.Ints), framed, decoded.Flags);
        buffer = buffer.Slice(decoded.FrameBytes);
        return true;
    }
}
