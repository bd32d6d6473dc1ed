using System.Buffers;
using StreamX.Runtime.Tests.TestSupport;
using StreamX.Thrift;

namespace StreamX.Runtime.Tests.Thrift;

/// <summary>Payload vectors from /work/shared/spec/ttstream.md §2.7 and §8.</summary>
public class SpecVectorTests
{
    [Fact]
    public void V10_payload_codec_vector()
    {
        const string hex = "08 0001 00000001 0b 0002 0000000b 68656c6c6f20776f726c64 00";
        var value = new TestRequest(1, "hello world");

        Assert.Equal(Hex.Format(Hex.Parse(hex)), Hex.Format(ThriftSerializer.Serialize(value, ThriftProtocol.Binary)));
        Assert.Equal(value, ThriftSerializer.Deserialize<TestRequest>(Hex.Parse(hex), ThriftProtocol.Binary, out var consumed));
        Assert.Equal(26, consumed);
    }

    [Fact]
    public void Data_payload_example_is_a_bare_struct()
    {
        var bytes = Hex.Parse("0b 0001 00000005 68656c6c6f 00");
        var events = Codec.Decode(ThriftProtocol.Binary, bytes, new Events.Reader());
        Assert.Equal(["struct", "field String 1", "bin " + Hex.Ascii("hello"), "stop", "struct-end"], events);
    }

    // vector, payload hex (the tail of the frame from 80010003 on), method, seq id, type, message
    public static readonly TheoryData<string, string, string, int, int, string> ExceptionPayloads = new()
    {
        { "V5", "80010003000000044563686f000000010b00010000000f62697a206572726f723a20626f6f6d0800020000000600", "Echo", 1, 6, "biz error: boom" },
        { "V7", "80010003000000044563686f000000010b0001000000827573657220636f646520696e766f6b696e672073747265616d20525043207769746820636f6e746578742070726f63657373656420627920636f6e746578742e5769746843616e63656c206f7220636f6e746578742e5769746854696d656f75742c207468656e20696e766f6b696e672063616e63656c2829206163746976656c7908000200002ee700",
          "Echo", 1, 12007, "user code invoking stream RPC with context processed by context.WithCancel or context.WithTimeout, then invoking cancel() actively" },
        { "V8", "80010003000000044563686f000000070b0001000000037273740800020000000d00", "Echo", 7, 13, "rst" },
        { "V15", "800100030000000a4563686f536572766572000000050b00010000004c73747265616d20526563762074696d656f75742c2074696d656f757420636f6e6669673d7b54696d656f75743a35306d732044697361626c6543616e63656c52656d6f74653a66616c73657d08000200002eee00",
          "EchoServer", 5, 12014, "stream Recv timeout, timeout config={Timeout:50ms DisableCancelRemote:false}" },
    };

    [Theory]
    [MemberData(nameof(ExceptionPayloads))]
    public void Exception_payloads_encode_exactly(string vector, string hex, string method, int seqId, int type, string message)
    {
        _ = vector;
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new ThriftBinaryWriter(buffer);
        new ThriftApplicationException(type, message).WriteMessage(ref writer, method, seqId);
        writer.Flush();
        Assert.Equal(hex, Hex.Format(buffer.WrittenSpan));
    }

    [Theory]
    [MemberData(nameof(ExceptionPayloads))]
    public void Exception_payloads_decode(string vector, string hex, string method, int seqId, int type, string message)
    {
        _ = vector;
        var bytes = Hex.Parse(hex);
        var reader = new ThriftBinaryReader(bytes);
        var e = ThriftApplicationException.ReadMessage(ref reader, out var header);
        Assert.Equal(new ThriftMessageHeader(method, ThriftMessageType.Exception, seqId), header);
        Assert.Equal(type, e.Type);
        Assert.Equal(message, e.Message);
        Assert.Equal(bytes.Length, reader.Consumed);
    }
}
