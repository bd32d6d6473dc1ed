using System.Globalization;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// A unary TTHeader packet (Kitex PingPong over TTHeader, not ttstream): flags without the streaming bit, protocol id
/// 0 (Thrift Binary), a sequence number, optional info blocks and a Thrift Binary message as payload — in the Kitex
/// capture wrapped once more in a Framed length prefix (<see cref="FramedPayload"/>). Immutable.
/// </summary>
public sealed class UnaryTTHeaderPacket
{
    /// <summary>Creates a packet.</summary>
    /// <param name="sequenceId">The TTHeader sequence number (Kitex uses the message seqid).</param>
    /// <param name="message">The Thrift message.</param>
    /// <param name="stringHeaders">String headers (0x01 block; <see cref="FrameCodec.AclTokenKey"/> goes to an 0x11 block); null for none.</param>
    /// <param name="intHeaders">Int headers (0x10 block, any keys); null for none (then no 0x10 block is written).</param>
    /// <param name="framedPayload">
    /// Whether the payload starts with a 4-byte Framed length (<c>TTHeaderFramed</c>). The Kitex v0.16.3 client
    /// (<c>-unary ttheader</c> capture) sends it, and its server answers the same way.
    /// </param>
    /// <param name="flags">The FLAGS field; Kitex unary sends 0. Must not have the streaming bit (<c>0x0002</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="flags"/> has the streaming bit, or a header value is null.</exception>
    public UnaryTTHeaderPacket(
        int sequenceId,
        UnaryMessage message,
        IReadOnlyDictionary<string, string>? stringHeaders = null,
        IReadOnlyDictionary<ushort, string>? intHeaders = null,
        bool framedPayload = true,
        ushort flags = 0)
    {
        ArgumentNullException.ThrowIfNull(message);
        if ((flags & FrameCodec.StreamingFlag) != 0)
        {
            throw new ArgumentException("the streaming flag 0x0002 marks a ttstream frame, not a unary packet", nameof(flags));
        }

        SequenceId = sequenceId;
        Message = message;
        StringHeaders = HeaderMaps.CopyStrings(stringHeaders, nameof(stringHeaders));
        IntHeaders = HeaderMaps.CopyInts(intHeaders, nameof(intHeaders), []);
        FramedPayload = framedPayload;
        Flags = flags;
    }

    private UnaryTTHeaderPacket(UnaryMessage message)
    {
        Message = message;
        StringHeaders = HeaderMaps.EmptyStrings;
        IntHeaders = HeaderMaps.EmptyInts;
    }

    /// <summary>The TTHeader sequence number.</summary>
    public int SequenceId { get; private init; }

    /// <summary>The FLAGS field (0 from Kitex).</summary>
    public ushort Flags { get; private init; }

    /// <summary>The string headers (0x01 blocks merged, plus the 0x11 ACL token under <see cref="FrameCodec.AclTokenKey"/>). Never null.</summary>
    public IReadOnlyDictionary<string, string> StringHeaders { get; private init; }

    /// <summary>All int headers (no key is special in unary packets). Never null.</summary>
    public IReadOnlyDictionary<ushort, string> IntHeaders { get; private init; }

    /// <summary>Whether the payload carries a 4-byte Framed length before the message.</summary>
    public bool FramedPayload { get; private init; }

    /// <summary>The Thrift message.</summary>
    public UnaryMessage Message { get; private init; }

    /// <summary>A short description for logs.</summary>
    /// <returns>For example <c>TTHeader seq=1 framed Call PingPong seq=1 body=14B</c>.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"TTHeader seq={SequenceId}{(FramedPayload ? " framed" : string.Empty)} str={StringHeaders.Count} int={IntHeaders.Count} {Message}");

    /// <summary>The decoder's factory: takes ownership of already read-only maps.</summary>
    internal static UnaryTTHeaderPacket FromDecoded(int sequenceId, UnaryMessage message, IReadOnlyDictionary<string, string> stringHeaders, IReadOnlyDictionary<ushort, string> intHeaders, bool framedPayload, ushort flags) =>
        new(message)
        {
            SequenceId = sequenceId,
            StringHeaders = stringHeaders,
            IntHeaders = intHeaders,
            FramedPayload = framedPayload,
            Flags = flags,
        };
}
