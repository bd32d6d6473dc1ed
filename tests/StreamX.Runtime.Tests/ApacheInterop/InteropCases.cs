using System.Buffers;
using StreamX.Runtime.Tests.TestSupport;
using StreamX.Thrift;

namespace StreamX.Runtime.Tests.ApacheInterop;

/// <summary>
/// The C# twins of the fixed instances in interop/peer.py (keep the two in sync), with encoders and decoders that
/// work the way generated code will.
/// </summary>
public static class InteropCases
{
    public const string Unicode = "h\u00e9llo w\u00f6rld \u20ac \U0001F600 ";

    public static readonly string[] Names = ["empty", "full", "edge", "request", "call", "oneway-negative-seq", "exception"];

    public static readonly string[] Protocols = ["binary", "compact"];

    public static TheoryData<string, string> All()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Names)
        {
            foreach (var protocol in Protocols)
            {
                data.Add(name, protocol);
            }
        }

        return data;
    }

    public static ThriftProtocol Parse(string protocol) => protocol == "binary" ? ThriftProtocol.Binary : ThriftProtocol.Compact;

    public static object Expected(string name) => name switch
    {
        "empty" => new Everything(),
        "full" => new Everything
        {
            Flag = true, B = -7, S = -300, I = 123456, L = -9_000_000_000, D = 3.25, Str = "hello", Bin = [0x00, 0x01, 0xfe, 0xff],
            Ints = [1, 2, 3], Shorts = [1, 2, 3], Dict = new() { ["x"] = 1, ["y"] = -1 },
            Inner = new Inner { Id = 42, Name = "inner" }, Inners = [new Inner { Id = 1 }, new Inner { Id = 2, Name = "two" }],
            Nested = new() { [1] = ["p", "q"], [2] = [], [-3] = ["r"] }, Bools = [true, false, true], Color = Color.Blue,
            Opt = "optional", LateFlag = false, Far = 77, FalseFlag = false,
            Doubles = [0.5, -1.25], EmptyMap = [], Lol = [[1, 2], []],
        },
        "edge" => new Everything
        {
            Flag = false, B = sbyte.MinValue, S = short.MinValue, I = int.MinValue, L = long.MaxValue, D = -0.0,
            Str = string.Concat(Enumerable.Repeat(Unicode, 30)), Bin = [.. Enumerable.Range(0, 256).Select(i => (byte)i)],
            Ints = [.. Enumerable.Range(-10, 20)], Shorts = [0], Dict = Enumerable.Range(0, 20).ToDictionary(n => "k" + n, n => (long)n * n),
            Inner = new Inner { Id = -1, Name = "" }, Inners = [], Nested = [], Bools = [.. Enumerable.Repeat(false, 15)], Color = Color.Red,
            Opt = "", LateFlag = true, Far = int.MinValue, FalseFlag = true,
            Doubles = [double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue], EmptyMap = [],
            Lol = [[], [long.MaxValue, long.MinValue], [0]],
        },
        "request" => new TestRequest(1, "hello world"),
        "call" => new MessageCase("Echo", ThriftMessageType.Call, 42, new TestRequest(7, "hi")),
        "oneway-negative-seq" => new MessageCase("Ping", ThriftMessageType.Oneway, -5, new TestRequest(0, "")),
        "exception" => new MessageCase("Echo", ThriftMessageType.Exception, 1, new ThriftApplicationException(6, "biz error: boom")),
        _ => throw new ArgumentException(name),
    };

    public static byte[] Encode(string name, ThriftProtocol protocol)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Codec.Encode(protocol, new Encoder(Expected(name)), buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static object Decode(string name, ThriftProtocol protocol, byte[] data, out long consumed) =>
        Codec.Decode(protocol, data, new Decoder(name), default, out consumed);

    /// <summary>Structural equality for any case value (exceptions have none of their own).</summary>
    public static bool Same(object expected, object actual) => (expected, actual) switch
    {
        (MessageCase e, MessageCase a) => (e.Name, e.Type, e.SeqId) == (a.Name, a.Type, a.SeqId) && Same(e.Body, a.Body),
        (ThriftApplicationException e, ThriftApplicationException a) => (e.Type, e.Message) == (a.Type, a.Message),
        _ => expected.Equals(actual),
    };

    public sealed record MessageCase(string Name, ThriftMessageType Type, int SeqId, object Body);

    private sealed class Encoder(object value) : IWriteScript
    {
        public void Write<TWriter>(ref TWriter writer)
            where TWriter : IThriftWriter, allows ref struct
        {
            if (value is MessageCase message)
            {
                writer.WriteMessageBegin(message.Name, message.Type, message.SeqId);
                WriteStruct(ref writer, message.Body);
                writer.WriteMessageEnd();
            }
            else
            {
                WriteStruct(ref writer, value);
            }
        }

        private static void WriteStruct<TWriter>(ref TWriter writer, object body)
            where TWriter : IThriftWriter, allows ref struct
        {
            switch (body)
            {
                case Everything e: e.Write(ref writer); break;
                case TestRequest r: r.Write(ref writer); break;
                case ThriftApplicationException x: x.Write(ref writer); break;
                default: throw new ArgumentException(body.GetType().Name);
            }
        }
    }

    private sealed class Decoder(string name) : IReadScript<object>
    {
        public object Read<TReader>(ref TReader reader)
            where TReader : IThriftReader, allows ref struct
        {
            switch (name)
            {
                case "request":
                    return TestRequest.Read(ref reader);
                case "call":
                case "oneway-negative-seq":
                {
                    var header = reader.ReadMessageBegin();
                    var body = TestRequest.Read(ref reader);
                    reader.ReadMessageEnd();
                    return new MessageCase(header.Name, header.Type, header.SequenceId, body);
                }

                case "exception":
                {
                    var body = ThriftApplicationException.ReadMessage(ref reader, out var header);
                    return new MessageCase(header.Name, header.Type, header.SequenceId, body);
                }

                default:
                    return Everything.Read(ref reader);
            }
        }
    }
}
