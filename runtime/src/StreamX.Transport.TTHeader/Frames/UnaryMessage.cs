using System.Buffers;
using System.Globalization;
using StreamX.Thrift;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// A unary (PingPong) Thrift Binary message: the strict TMessage envelope (method name, CALL/REPLY/EXCEPTION/ONEWAY,
/// seqid) and the bytes of the struct after it — the Kitex <c>…Args</c> struct of a call (the request in field 1), the
/// <c>…Result</c> struct of a reply (the response in field 0), or a TApplicationException for an exception. Carried by
/// <see cref="FramedCodec"/> and <see cref="UnaryTTHeaderCodec"/>. Immutable.
/// </summary>
/// <remarks>The body is not copied by the constructor: the message takes ownership of the memory.</remarks>
public sealed class UnaryMessage
{
    /// <summary>Creates a message.</summary>
    /// <param name="method">The method name.</param>
    /// <param name="type">The message type (Call, Reply, Exception or Oneway).</param>
    /// <param name="sequenceId">The seqid; a reply echoes the call's.</param>
    /// <param name="body">The encoded struct that follows the envelope (not copied).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not Call, Reply, Exception or Oneway.</exception>
    public UnaryMessage(string method, ThriftMessageType type, int sequenceId, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (type is < ThriftMessageType.Call or > ThriftMessageType.Oneway)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "not a Thrift message type (1..4)");
        }

        Method = method;
        Type = type;
        SequenceId = sequenceId;
        Body = body;
    }

    /// <summary>The method name.</summary>
    public string Method { get; }

    /// <summary>The message type.</summary>
    public ThriftMessageType Type { get; }

    /// <summary>The seqid.</summary>
    public int SequenceId { get; }

    /// <summary>The encoded struct after the envelope (args, result or TApplicationException, STOP included).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The encoded size: envelope plus body.</summary>
    public int EncodedLength => ThriftMessageEnvelope.Size(Method) + Body.Length;

    /// <summary>Encodes the message (envelope and body, no length prefix).</summary>
    /// <param name="output">The destination.</param>
    public void WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var envelope = ThriftMessageEnvelope.Size(Method);
        ThriftMessageEnvelope.Write(output.GetSpan(envelope), Method, Type, SequenceId);
        output.Advance(envelope);
        output.Write(Body.Span);
    }

    /// <summary>Decodes a whole message; the body is a slice of <paramref name="bytes"/> (no copy).</summary>
    /// <param name="bytes">Exactly one message.</param>
    /// <returns>The message.</returns>
    /// <exception cref="FrameException">Not a strict Binary message, or an invalid message type.</exception>
    public static UnaryMessage Decode(ReadOnlyMemory<byte> bytes)
    {
        var consumed = ThriftMessageEnvelope.Read(bytes.Span, out var name, out var type, out var sequenceId);
        if (type is < ThriftMessageType.Call or > ThriftMessageType.Oneway)
        {
            throw new FrameException(string.Create(
                CultureInfo.InvariantCulture, $"invalid message type: {ThriftMessageEnvelope.TypeName(type)}"));
        }

        return new UnaryMessage(name, type, sequenceId, bytes[consumed..]);
    }

    /// <summary>A short description for logs.</summary>
    /// <returns>For example <c>Call PingPong seq=1 body=14B</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Type} {Method} seq={SequenceId} body={Body.Length}B");
}
