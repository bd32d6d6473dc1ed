using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using StreamX.Thrift;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// The payload of a Trailer carrying an error and of an Rst frame (spec §2.7): a strict Thrift Binary message of type
/// EXCEPTION (<c>80010003</c>, method name, seqid = stream id) whose body is a TApplicationException struct
/// (field 1 string message, field 2 i32 type, STOP), as Kitex's <c>EncodeException</c> writes it.
/// </summary>
public static class ExceptionPayload
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Encodes an exception payload byte-identical to Kitex (vectors V5, V7, V8, V15).</summary>
    /// <param name="method">The stream's method name; Kitex refuses an empty one (<c>method not set</c>) and sends nothing.</param>
    /// <param name="streamId">The stream id, written as the message seqid.</param>
    /// <param name="type">The TApplicationException type (for ttstream errors: the code, for example 12007).</param>
    /// <param name="message">The message (may be empty).</param>
    /// <returns>The payload bytes.</returns>
    /// <exception cref="ArgumentException"><paramref name="method"/> is null or empty.</exception>
    public static byte[] Encode(string method, int streamId, int type, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(message);
        var messageBytes = Utf8.GetByteCount(message);
        var result = new byte[ThriftMessageEnvelope.Size(method) + 3 + 4 + messageBytes + 3 + 4 + 1];
        var span = result.AsSpan();
        var at = ThriftMessageEnvelope.Write(span, method, ThriftMessageType.Exception, streamId);
        span[at] = (byte)ThriftType.String;
        BinaryPrimitives.WriteInt16BigEndian(span[(at + 1)..], 1);
        BinaryPrimitives.WriteInt32BigEndian(span[(at + 3)..], messageBytes);
        at += 7;
        at += Utf8.GetBytes(message, span[at..]);
        span[at] = (byte)ThriftType.I32;
        BinaryPrimitives.WriteInt16BigEndian(span[(at + 1)..], 2);
        BinaryPrimitives.WriteInt32BigEndian(span[(at + 3)..], type);
        span[at + 7] = 0;
        return result;
    }

    /// <summary>
    /// Encodes <paramref name="exception"/> (its wire message, which may be empty, and its type) as an exception payload,
    /// using the runtime's Thrift codec.
    /// </summary>
    /// <param name="method">The stream's method name (not empty).</param>
    /// <param name="streamId">The stream id.</param>
    /// <param name="exception">The exception.</param>
    /// <returns>The payload bytes.</returns>
    /// <exception cref="ArgumentException"><paramref name="method"/> is null or empty.</exception>
    public static byte[] Encode(string method, int streamId, ThriftApplicationException exception)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(exception);
        var output = new ArrayBufferWriter<byte>(64);
        var writer = new ThriftBinaryWriter(output);
        exception.WriteMessage(ref writer, method, streamId);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Decodes an exception payload.</summary>
    /// <param name="payload">The Trailer/Rst payload.</param>
    /// <returns>The exception; fields may come in any order, unknown fields are skipped, trailing bytes are ignored (as Kitex).</returns>
    /// <exception cref="FrameException">
    /// Not a strict Binary message (<c>ReadMessageBegin: bad version</c>, <c>ReadMessageBegin: buf too small</c>), not of
    /// type EXCEPTION (<c>thrift message type want Exception, but got Call</c>), or a malformed struct.
    /// </exception>
    public static ThriftApplicationException Decode(ReadOnlySpan<byte> payload) => Decode(payload, out _, out _);

    /// <summary>Decodes an exception payload and returns its envelope's method name and seqid as well.</summary>
    /// <param name="payload">The Trailer/Rst payload.</param>
    /// <param name="method">The message name (the stream's method).</param>
    /// <param name="sequenceId">The message seqid (the stream id).</param>
    /// <returns>The exception.</returns>
    /// <exception cref="FrameException">As for <see cref="Decode(ReadOnlySpan{byte})"/>.</exception>
    public static ThriftApplicationException Decode(ReadOnlySpan<byte> payload, out string method, out int sequenceId)
    {
        var consumed = ThriftMessageEnvelope.Read(payload, out method, out var type, out sequenceId);
        if (type != ThriftMessageType.Exception)
        {
            throw new FrameException("thrift message type want Exception, but got " + ThriftMessageEnvelope.TypeName(type));
        }

        try
        {
            var reader = new ThriftBinaryReader(payload[consumed..]);
            return ThriftApplicationException.Read(ref reader);
        }
        catch (ThriftProtocolException e)
        {
            throw new FrameException("invalid TApplicationException in exception payload: " + e.Message, e);
        }
    }
}
