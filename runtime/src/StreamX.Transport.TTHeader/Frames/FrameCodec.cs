using System.Buffers;
using System.Globalization;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// Encodes and decodes ttstream frames (Kitex <c>frame.go</c> + gopkg <c>ttheader</c>, spec §2), byte-compatible with
/// Kitex v0.16.3.
/// </summary>
/// <remarks>
/// <para>Wire layout: <c>LENGTH(4) 1000 FLAGS(2)=0002 STREAMID(4) HEADERSIZE(2, words) 10 00 [0x11 token] [0x01 strings]
/// 0x10 ints padding payload</c>, all big-endian.</para>
/// <para>Thread safety: stateless; all members may be called concurrently.</para>
/// </remarks>
public static class FrameCodec
{
    /// <summary>TTHeader int key 9 (<c>ToMethod</c>): the IDL method name, on every frame.</summary>
    public const ushort MethodIntKey = 9;

    /// <summary>TTHeader int key 27 (<c>FrameType</c>): the frame type as ASCII <c>"1"</c>..<c>"5"</c>.</summary>
    public const ushort FrameTypeIntKey = 27;

    /// <summary>The string-header key under which the 0x11 ACL token block is exposed (gopkg <c>GDPRToken</c>).</summary>
    public const string AclTokenKey = "RPC_TRANSIT_gdpr-token";

    /// <summary>The FLAGS value ttstream writes (<c>HeaderFlagsStreaming</c>); decoders require this bit.</summary>
    public const ushort StreamingFlag = 0x0002;

    /// <summary>The PROTOCOL ID ttstream writes: <c>0x10</c> (<c>ProtocolIDThriftStruct</c>).</summary>
    public const byte ThriftStructProtocolId = 0x10;

    /// <summary>
    /// Writes <paramref name="frame"/> exactly as Kitex would (spec §2, vectors V1–V15): flags <c>0x0002</c>, protocol
    /// id <c>0x10</c>, no transforms, the 0x11 ACL block if <see cref="AclTokenKey"/> is present (excluded from the
    /// 0x01 block), the 0x01 block in the map's enumeration order if any other string header exists, the 0x10 block
    /// always (keys ascending, 9 and 27 in their place), zero padding to 4 bytes, then the payload.
    /// </summary>
    /// <param name="output">Where to write; one <c>GetSpan</c>/<c>Advance</c> for the header, then the payload.</param>
    /// <param name="frame">The frame.</param>
    /// <exception cref="FrameException">
    /// A header key or value is longer than 65535 UTF-8 bytes (<c>string exceeded 65535B max size (actual: …B, preview: "…")</c>),
    /// a block would hold more than 65535 entries, or the header-info block would exceed 262140 bytes
    /// (<c>invalid header length[N]</c>). Nothing is written then.
    /// </exception>
    public static void Write(IBufferWriter<byte> output, Frame frame) =>
        Write(output, frame, maxHeaderBytes: FrameLimits.MaxSupportedHeaderBytes, maxFrameBytes: uint.MaxValue + 4L);

    /// <summary>
    /// Writes <paramref name="frame"/> like <see cref="Write(IBufferWriter{byte}, Frame)"/>, but also refuses frames a
    /// peer with <paramref name="limits"/> would reject (use the peer's limits, for example 64 KiB of headers for
    /// pre-PR-#58 gopkg peers).
    /// </summary>
    /// <param name="output">Where to write.</param>
    /// <param name="frame">The frame.</param>
    /// <param name="limits">The limits to respect.</param>
    /// <exception cref="FrameException">As for <see cref="Write(IBufferWriter{byte}, Frame)"/>, or a limit would be exceeded.</exception>
    public static void Write(IBufferWriter<byte> output, Frame frame, FrameLimits limits) =>
        Write(output, frame, limits.MaxHeaderBytes, limits.MaxFrameBytes);

    /// <summary>
    /// Writes a frame already checked by <see cref="Describe(Frame, FrameLimits)"/> with the same
    /// <paramref name="maxHeaderBytes"/>; the frame size is not checked again (the check did it).
    /// </summary>
    internal static void WriteChecked(IBufferWriter<byte> output, Frame frame, int maxHeaderBytes) =>
        Write(output, frame, maxHeaderBytes, maxFrameBytes: uint.MaxValue + 4L);

    /// <summary>
    /// Null when <paramref name="frame"/> can be encoded within <paramref name="limits"/>, which a peer with the same
    /// limits accepts; otherwise why not: a header naming the key and the limit, as
    /// <see cref="Describe(Frame, int)"/>, or a frame over <see cref="FrameLimits.MaxFrameBytes"/>, naming its size
    /// (LENGTH field included, as the decoder counts it) and the limit (<c>frame of 20971570 bytes (payload 20971520)
    /// is over the limit of 16777216 bytes (FrameLimits.MaxFrameBytes); the peer would close the connection</c>).
    /// One sizing pass over the headers; no allocation when the frame fits.
    /// </summary>
    internal static string? Describe(Frame frame, FrameLimits limits) =>
        Describe(frame, limits.MaxHeaderBytes, limits.MaxFrameBytes);

    /// <summary>
    /// Null when <paramref name="frame"/>'s headers can be encoded in a header block of at most
    /// <paramref name="maxHeaderBytes"/>; otherwise why not, naming the key and the limit
    /// (<c>trailer "k" cannot be sent: its value is 70000 bytes (UTF-8), over the TTHeader limit of 65535 bytes for one key or value</c>).
    /// The frame size is not checked.
    /// </summary>
    internal static string? Describe(Frame frame, int maxHeaderBytes) =>
        Describe(frame, maxHeaderBytes, maxFrameBytes: uint.MaxValue + 4L);

    private static string? Describe(Frame frame, int maxHeaderBytes, long maxFrameBytes) => TTHeaderEncoder.Describe(
        frame.StringHeaders,
        frame.IntHeaders,
        streamingFrame: true,
        frame.Method,
        maxHeaderBytes,
        frame.Type switch
        {
            FrameType.Trailer => "trailer",
            FrameType.Rst => "reset header",
            FrameType.Meta => "meta header",
            _ => "header",
        },
        frame.Payload.Length,
        maxFrameBytes);

    /// <summary>
    /// Decodes the frame at the start of <paramref name="buffer"/>.
    /// </summary>
    /// <param name="buffer">
    /// The received bytes (may be multi-segment, as from a <c>PipeReader</c>). On success it is advanced past the frame;
    /// otherwise it is unchanged.
    /// </param>
    /// <param name="limits">Limits checked before anything is buffered or allocated for the frame.</param>
    /// <param name="frame">The frame on success; it owns a copy of its payload, so the input may be released.</param>
    /// <returns><see langword="true"/> if a frame was decoded; <see langword="false"/> if more bytes are needed.</returns>
    /// <exception cref="FrameException">
    /// The bytes are not a valid ttstream frame; the connection must be closed (Kitex code 12004). Checked as soon as the
    /// bytes present allow, in Kitex's order: magic (<c>not TTHeader protocol (first4Bytes=0x…, second4Bytes=0x…)</c>),
    /// frame size over <see cref="FrameLimits.MaxFrameBytes"/>, header size 0 or over
    /// <see cref="FrameLimits.MaxHeaderBytes"/> (<c>invalid header length[N]</c>), LENGTH smaller than the header,
    /// protocol id (<c>unsupported ProtocolID[N]</c>), transforms, info blocks (<c>invalid infoIDType[0x…]</c>,
    /// truncated blocks), missing streaming flag (<c>unexpected header flags: N</c>), frame type
    /// (<c>unexpected frame type: V</c>).
    /// </exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, FrameLimits limits, out Frame? frame)
    {
        frame = null;
        if (!TTHeaderDecoder.TryDecode(buffer, limits, streaming: true, allowedProtocol: null, out var packet))
        {
            return false;
        }

        if ((packet.Flags & StreamingFlag) == 0)
        {
            throw new FrameException(string.Create(CultureInfo.InvariantCulture, $"unexpected header flags: {packet.Flags}"));
        }

        if (packet.FrameTypeDigit == 0)
        {
            throw new FrameException("unexpected frame type: " + packet.FrameTypeText);
        }

        ReadOnlyMemory<byte> payload = packet.Payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : packet.Payload.ToArray();
        frame = Frame.FromDecoded(
            (FrameType)packet.FrameTypeDigit,
            packet.SequenceId,
            packet.Method ?? string.Empty,
            HeaderMaps.Wrap(packet.Strings),
            HeaderMaps.Wrap(packet.Ints),
            payload);
        buffer = buffer.Slice(packet.FrameBytes);
        return true;
    }

    private static void Write(IBufferWriter<byte> output, Frame frame, int maxHeaderBytes, long maxFrameBytes)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(frame);
        TTHeaderEncoder.Write(
            output,
            StreamingFlag,
            frame.StreamId,
            ThriftStructProtocolId,
            frame.StringHeaders,
            frame.IntHeaders,
            streamingFrame: true,
            frame.Method,
            frame.Type,
            frame.Payload.Span,
            maxHeaderBytes,
            maxFrameBytes);
    }
}
