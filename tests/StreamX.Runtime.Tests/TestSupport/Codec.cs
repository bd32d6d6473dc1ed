using System.Buffers;
using StreamX.Thrift;

namespace StreamX.Runtime.Tests.TestSupport;

/// <summary>
/// Small drivers over both protocols, so a test written once runs against Binary and Compact.
/// </summary>
public static class Codec
{
    public static readonly TheoryData<ThriftProtocol> Protocols = new() { ThriftProtocol.Binary, ThriftProtocol.Compact };

    public static byte[] Encode(ThriftProtocol protocol, IWriteScript script)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Encode(protocol, script, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Encode(ThriftProtocol protocol, IWriteScript script, IBufferWriter<byte> output)
    {
        if (protocol == ThriftProtocol.Binary)
        {
            var writer = new ThriftBinaryWriter(output);
            script.Write(ref writer);
            writer.Flush();
        }
        else
        {
            var writer = new ThriftCompactWriter(output);
            script.Write(ref writer);
            writer.Flush();
        }
    }

    public static T Decode<T>(ThriftProtocol protocol, ReadOnlySpan<byte> data, IReadScript<T> script, ThriftReaderOptions options = default)
        => Decode(protocol, data, script, options, out _);

    public static T Decode<T>(ThriftProtocol protocol, ReadOnlySpan<byte> data, IReadScript<T> script, ThriftReaderOptions options, out long consumed)
    {
        if (protocol == ThriftProtocol.Binary)
        {
            var reader = new ThriftBinaryReader(data, options);
            var result = script.Read(ref reader);
            consumed = reader.Consumed;
            return result;
        }
        else
        {
            var reader = new ThriftCompactReader(data, options);
            var result = script.Read(ref reader);
            consumed = reader.Consumed;
            return result;
        }
    }

    public static T Decode<T>(ThriftProtocol protocol, ReadOnlySequence<byte> data, IReadScript<T> script, ThriftReaderOptions options = default)
    {
        if (protocol == ThriftProtocol.Binary)
        {
            var reader = new ThriftBinaryReader(data, options);
            return script.Read(ref reader);
        }
        else
        {
            var reader = new ThriftCompactReader(data, options);
            return script.Read(ref reader);
        }
    }
}

/// <summary>A piece of writing code that runs against any writer (generic methods can't be lambdas).</summary>
public interface IWriteScript
{
    void Write<TWriter>(ref TWriter writer)
        where TWriter : IThriftWriter, allows ref struct;
}

/// <summary>A piece of reading code that runs against any reader.</summary>
public interface IReadScript<out T>
{
    T Read<TReader>(ref TReader reader)
        where TReader : IThriftReader, allows ref struct;
}
