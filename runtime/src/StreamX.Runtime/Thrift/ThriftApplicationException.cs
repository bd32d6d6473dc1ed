using System.Globalization;

namespace StreamX.Thrift;

/// <summary>
/// Thrift's TApplicationException: a framework-level failure (unknown method, internal error, ...) identified by
/// an integer <see cref="Type"/>. Kitex ttstream also carries its own error codes (12001-12015) and cancellation
/// reasons in it, inside Trailer and Rst frames.
/// </summary>
/// <remarks>
/// Encoded as a struct with field 1 <c>string message</c> and field 2 <c>i32 type</c>; both are always written, in
/// that order, as Kitex does. <see cref="Exception.Message"/> falls back to the standard text for the type when the
/// wire message is empty, but <see cref="Write{TWriter}"/> writes the original (possibly empty) message.
/// </remarks>
public sealed class ThriftApplicationException : Exception, IThriftStruct<ThriftApplicationException>
{
    private readonly string _wireMessage;

    /// <summary>Creates the exception.</summary>
    /// <param name="type">The TApplicationException type (0 unknown, 1 unknown method, ..., or a Kitex/ttstream code).</param>
    /// <param name="message">The message; if empty, <see cref="Exception.Message"/> is <see cref="GetDefaultMessage"/> of <paramref name="type"/>.</param>
    public ThriftApplicationException(int type, string? message)
        : base(string.IsNullOrEmpty(message) ? GetDefaultMessage(type) : message)
    {
        Type = type;
        _wireMessage = message ?? string.Empty;
    }

    /// <summary>The TApplicationException type code.</summary>
    public int Type { get; }

    /// <summary>
    /// The text Apache Thrift and Kitex show for an exception of <paramref name="type"/> whose message is empty.
    /// </summary>
    /// <param name="type">The type code.</param>
    /// <returns>For example <c>unknown method</c> for 1, or <c>unknown exception type [42]</c> for an unlisted code.</returns>
    public static string GetDefaultMessage(int type) => type switch
    {
        0 => "unknown application exception",
        1 => "unknown method",
        2 => "invalid message type",
        3 => "wrong method name",
        4 => "bad sequence ID",
        5 => "missing result",
        6 => "unknown internal error",
        7 => "unknown protocol error",
        8 => "Invalid transform",
        9 => "Invalid protocol",
        10 => "Unsupported client type",
        _ => string.Create(CultureInfo.InvariantCulture, $"unknown exception type [{type}]"),
    };

    /// <summary>Writes the exception as a struct (field 1 message, field 2 type).</summary>
    /// <typeparam name="TWriter">The protocol writer.</typeparam>
    /// <param name="writer">The writer.</param>
    public void Write<TWriter>(ref TWriter writer)
        where TWriter : IThriftWriter, allows ref struct
    {
        writer.WriteStructBegin();
        writer.WriteFieldBegin(ThriftType.String, 1);
        writer.WriteString(_wireMessage);
        writer.WriteFieldEnd();
        writer.WriteFieldBegin(ThriftType.I32, 2);
        writer.WriteI32(Type);
        writer.WriteFieldEnd();
        writer.WriteFieldStop();
        writer.WriteStructEnd();
    }

    /// <summary>Reads the exception struct; fields may come in any order, unknown or mistyped fields are skipped.</summary>
    /// <typeparam name="TReader">The protocol reader.</typeparam>
    /// <param name="reader">The reader.</param>
    /// <returns>The exception (missing fields: empty message, type 0).</returns>
    /// <exception cref="ThriftProtocolException">The data is malformed.</exception>
    public static ThriftApplicationException Read<TReader>(ref TReader reader)
        where TReader : IThriftReader, allows ref struct
    {
        string? message = null;
        var type = 0;
        reader.ReadStructBegin();
        while (true)
        {
            var field = reader.ReadFieldBegin();
            if (field.Type == ThriftType.Stop)
            {
                break;
            }

            switch (field.Id)
            {
                case 1 when field.Type == ThriftType.String:
                    message = reader.ReadString();
                    break;
                case 2 when field.Type == ThriftType.I32:
                    type = reader.ReadI32();
                    break;
                default:
                    reader.Skip(field.Type);
                    break;
            }

            reader.ReadFieldEnd();
        }

        reader.ReadStructEnd();
        return new ThriftApplicationException(type, message);
    }

    /// <summary>
    /// Writes the exception wrapped in a message envelope of type <see cref="ThriftMessageType.Exception"/>; with the
    /// Binary protocol this is the ttstream Trailer/Rst payload <c>80010003 name seqid struct</c>.
    /// </summary>
    /// <typeparam name="TWriter">The protocol writer.</typeparam>
    /// <param name="writer">The writer (not flushed).</param>
    /// <param name="methodName">The method name; Kitex refuses to encode an empty one.</param>
    /// <param name="sequenceId">The sequence id (the ttstream stream id).</param>
    public void WriteMessage<TWriter>(ref TWriter writer, string methodName, int sequenceId)
        where TWriter : IThriftWriter, allows ref struct
    {
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        writer.WriteMessageBegin(methodName, ThriftMessageType.Exception, sequenceId);
        Write(ref writer);
        writer.WriteMessageEnd();
    }

    /// <summary>Reads a message envelope that must be of type <see cref="ThriftMessageType.Exception"/>, and the exception in it.</summary>
    /// <typeparam name="TReader">The protocol reader.</typeparam>
    /// <param name="reader">The reader.</param>
    /// <param name="header">The envelope (method name and sequence id).</param>
    /// <returns>The exception.</returns>
    /// <exception cref="ThriftProtocolException">
    /// The envelope is not an Exception message (the text matches Kitex: <c>thrift message type want Exception, but got Call</c>),
    /// or the data is malformed.
    /// </exception>
    public static ThriftApplicationException ReadMessage<TReader>(ref TReader reader, out ThriftMessageHeader header)
        where TReader : IThriftReader, allows ref struct
    {
        var start = reader.Consumed;
        header = reader.ReadMessageBegin();
        if (header.Type != ThriftMessageType.Exception)
        {
            var got = header.Type switch
            {
                ThriftMessageType.Call => "Call",
                ThriftMessageType.Reply => "Reply",
                ThriftMessageType.Oneway => "Oneway",
                0 => "InvalidTMessageType",
                _ => string.Create(CultureInfo.InvariantCulture, $"Unknown ThriftMessageType: {(int)header.Type}"),
            };
            throw new ThriftProtocolException(
                ThriftProtocolErrorKind.InvalidData, "thrift message type want Exception, but got " + got, start);
        }

        var result = Read(ref reader);
        reader.ReadMessageEnd();
        return result;
    }
}
