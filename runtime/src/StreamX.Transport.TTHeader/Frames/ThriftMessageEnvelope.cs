using System.Buffers.Binary;
using System.Text;
using StreamX.Thrift;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// The strict Thrift Binary message header (<c>8001 00 TYPE</c>, int32 name length, name, int32 seqid) as gopkg's
/// <c>thrift.Binary.ReadMessageBegin</c> reads it, with its error texts.
/// </summary>
internal static class ThriftMessageEnvelope
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Reads the header; returns the bytes consumed.</summary>
    /// <exception cref="FrameException">Too short (<c>ReadMessageBegin: buf too small</c>) or not version 0x8001 (<c>ReadMessageBegin: bad version</c>).</exception>
    public static int Read(ReadOnlySpan<byte> data, out string name, out ThriftMessageType type, out int sequenceId)
    {
        if (data.Length < 4)
        {
            throw new FrameException("ReadMessageBegin: buf too small");
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(data);
        if ((version & 0xFFFF0000) != 0x80010000)
        {
            throw new FrameException("ReadMessageBegin: bad version");
        }

        type = (ThriftMessageType)(version & 0xFF);
        if (data.Length < 8)
        {
            throw new FrameException("ReadMessageBegin: buf too small");
        }

        var nameLength = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
        if (nameLength < 0 || nameLength > data.Length - 12)
        {
            throw new FrameException("ReadMessageBegin: buf too small");
        }

        name = Utf8.GetString(data.Slice(8, nameLength));
        sequenceId = BinaryPrimitives.ReadInt32BigEndian(data[(8 + nameLength)..]);
        return 12 + nameLength;
    }

    /// <summary>The encoded size of a header with <paramref name="name"/>.</summary>
    public static int Size(string name) => 12 + Utf8.GetByteCount(name);

    /// <summary>Writes the header into <paramref name="destination"/> (at least <see cref="Size"/> bytes); returns the bytes written.</summary>
    public static int Write(Span<byte> destination, string name, ThriftMessageType type, int sequenceId)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, 0x80010000u | (byte)type);
        var nameLength = Utf8.GetBytes(name, destination[8..]);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], nameLength);
        BinaryPrimitives.WriteInt32BigEndian(destination[(8 + nameLength)..], sequenceId);
        return 12 + nameLength;
    }

    /// <summary>gopkg's name for a message type, as in <c>thrift message type want Exception, but got Call</c>.</summary>
    public static string TypeName(ThriftMessageType type) => type switch
    {
        0 => "InvalidTMessageType",
        ThriftMessageType.Call => "Call",
        ThriftMessageType.Reply => "Reply",
        ThriftMessageType.Exception => "Exception",
        ThriftMessageType.Oneway => "Oneway",
        _ => "Unknown ThriftMessageType: " + ((int)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
