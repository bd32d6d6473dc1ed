using System.Globalization;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// One ttstream frame: a TTHeader packet with the streaming flag whose int headers 9 and 27 carry the method and the
/// frame type. Immutable; encode with <see cref="FrameCodec.Write(System.Buffers.IBufferWriter{byte}, Frame)"/>,
/// decode with <see cref="FrameCodec.TryRead"/>.
/// </summary>
/// <remarks>
/// The header maps are snapshots (the constructor copies them, keeping their enumeration order, which is the order the
/// string block is written in). The payload is <b>not</b> copied: the frame takes ownership of the memory, so the
/// creator must not change it afterwards. Decoded frames own their payload array.
/// </remarks>
public sealed class Frame
{
    private static readonly ushort[] ReservedIntKeys = [FrameCodec.MethodIntKey, FrameCodec.FrameTypeIntKey];

    /// <summary>Creates a frame.</summary>
    /// <param name="type">The frame type (int header 27).</param>
    /// <param name="streamId">The stream id (TTHeader sequence number); any int32, negative ids are legal.</param>
    /// <param name="method">The IDL method name (int header 9), sent on every frame; may be empty.</param>
    /// <param name="stringHeaders">
    /// The string headers: the 0x01 block, plus the ACL token under <see cref="FrameCodec.AclTokenKey"/> (written as
    /// an 0x11 block). <see langword="null"/> means none.
    /// </param>
    /// <param name="intHeaders">
    /// Int headers other than 9 and 27 (for example from a Kitex <c>HeaderFrameWriteHandler</c>); <see langword="null"/>
    /// means none.
    /// </param>
    /// <param name="payload">The payload (not copied; see remarks).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined <see cref="FrameType"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="intHeaders"/> contains key 9 or 27, or a header value is null.</exception>
    public Frame(
        FrameType type,
        int streamId,
        string method,
        IReadOnlyDictionary<string, string>? stringHeaders,
        IReadOnlyDictionary<ushort, string>? intHeaders,
        ReadOnlyMemory<byte> payload)
    {
        if (type is < FrameType.Meta or > FrameType.Rst)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "not a ttstream frame type (1..5)");
        }

        ArgumentNullException.ThrowIfNull(method);
        Type = type;
        StreamId = streamId;
        Method = method;
        StringHeaders = HeaderMaps.CopyStrings(stringHeaders, nameof(stringHeaders));
        IntHeaders = HeaderMaps.CopyInts(intHeaders, nameof(intHeaders), ReservedIntKeys);
        Payload = payload;
    }

    private Frame()
    {
        Method = string.Empty;
        StringHeaders = HeaderMaps.EmptyStrings;
        IntHeaders = HeaderMaps.EmptyInts;
    }

    /// <summary>The frame type (int header 27).</summary>
    public FrameType Type { get; private init; }

    /// <summary>The stream id (TTHeader sequence number).</summary>
    public int StreamId { get; private init; }

    /// <summary>The method name (int header 9); empty if the peer did not send one.</summary>
    public string Method { get; private init; }

    /// <summary>
    /// The string headers: the 0x01 blocks merged (last duplicate wins) plus the 0x11 ACL token under
    /// <see cref="FrameCodec.AclTokenKey"/>. Never null.
    /// </summary>
    public IReadOnlyDictionary<string, string> StringHeaders { get; private init; }

    /// <summary>Every int header except 9 (<see cref="Method"/>) and 27 (<see cref="Type"/>). Never null.</summary>
    public IReadOnlyDictionary<ushort, string> IntHeaders { get; private init; }

    /// <summary>The payload: a bare Thrift struct (Data), an exception message (Trailer, Rst) or empty.</summary>
    public ReadOnlyMemory<byte> Payload { get; private init; }

    /// <summary>Creates a frame without int headers (the usual case: Kitex only sends 9 and 27).</summary>
    /// <param name="type">The frame type.</param>
    /// <param name="streamId">The stream id.</param>
    /// <param name="method">The method name.</param>
    /// <param name="stringHeaders">The string headers, or <see langword="null"/> for none.</param>
    /// <param name="payload">The payload (not copied).</param>
    /// <returns>The frame.</returns>
    public static Frame Create(
        FrameType type,
        int streamId,
        string method,
        IReadOnlyDictionary<string, string>? stringHeaders = null,
        ReadOnlyMemory<byte> payload = default) =>
        new(type, streamId, method, stringHeaders, intHeaders: null, payload);

    /// <summary>A short description for logs: type, stream id, method, header counts and payload size (no header values).</summary>
    /// <returns>For example <c>Data sid=1 method=Echo str=0 int=0 payload=15B</c>.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Type} sid={StreamId} method={Method} str={StringHeaders.Count} int={IntHeaders.Count} payload={Payload.Length}B");

    /// <summary>The decoder's factory: takes ownership of already-validated, already read-only maps and payload.</summary>
    internal static Frame FromDecoded(
        FrameType type,
        int streamId,
        string method,
        IReadOnlyDictionary<string, string> stringHeaders,
        IReadOnlyDictionary<ushort, string> intHeaders,
        ReadOnlyMemory<byte> payload) =>
        new()
        {
            Type = type,
            StreamId = streamId,
            Method = method,
            StringHeaders = stringHeaders,
            IntHeaders = intHeaders,
            Payload = payload,
        };
}
