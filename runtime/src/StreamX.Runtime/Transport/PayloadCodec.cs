using StreamX.Thrift;

namespace StreamX.Transport;

/// <summary>Message ↔ payload: a bare Thrift Binary struct (ttstream Data frames, gRPC messages).</summary>
public static class PayloadCodec
{
    /// <summary>Encodes a message.</summary>
    public static ReadOnlyMemory<byte> Encode<T>(T message)
        where T : IThriftStruct<T> => ThriftSerializer.Serialize(message, ThriftProtocol.Binary);

    /// <summary>Decodes a message; a malformed payload is 12004 (<c>illegal frame</c>) with the codec error as cause.</summary>
    public static T Decode<T>(ReadOnlyMemory<byte> payload, StreamSide side)
        where T : IThriftStruct<T>
    {
        try
        {
            return ThriftSerializer.Deserialize<T>(payload.Span, ThriftProtocol.Binary);
        }
        catch (Exception e) when (e is ThriftProtocolException or ThriftValidationException)
        {
            throw new StreamXException(StreamErrors.IllegalFrame with { Side = side, Cause = e });
        }
    }
}
