using System.Buffers;
using StreamX.Runtime.Tests.TestSupport;
using StreamX.Thrift;

namespace StreamX.Runtime.Tests.Thrift;

public class ApplicationExceptionTests
{
    [Theory]
    [InlineData(0, "unknown application exception")]
    [InlineData(1, "unknown method")]
    [InlineData(2, "invalid message type")]
    [InlineData(3, "wrong method name")]
    [InlineData(4, "bad sequence ID")]
    [InlineData(5, "missing result")]
    [InlineData(6, "unknown internal error")]
    [InlineData(7, "unknown protocol error")]
    [InlineData(8, "Invalid transform")]
    [InlineData(9, "Invalid protocol")]
    [InlineData(10, "Unsupported client type")]
    [InlineData(11, "unknown exception type [11]")]
    [InlineData(12007, "unknown exception type [12007]")]
    [InlineData(-1, "unknown exception type [-1]")]
    public void Empty_messages_fall_back_to_the_standard_text(int type, string expected)
    {
        Assert.Equal(expected, ThriftApplicationException.GetDefaultMessage(type));
        Assert.Equal(expected, new ThriftApplicationException(type, "").Message);
        Assert.Equal(expected, new ThriftApplicationException(type, null).Message);
        Assert.Equal("custom", new ThriftApplicationException(type, "custom").Message);
    }

    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void An_empty_message_stays_empty_on_the_wire(ThriftProtocol protocol)
    {
        var bytes = ThriftSerializer.Serialize(new ThriftApplicationException(1, ""), protocol);
        if (protocol == ThriftProtocol.Binary)
        {
            Assert.Equal("0b000100000000 080002 00000001 00".Replace(" ", "", StringComparison.Ordinal), Hex.Format(bytes));
        }

        var back = ThriftSerializer.Deserialize<ThriftApplicationException>(bytes, protocol);
        Assert.Equal(1, back.Type);
        Assert.Equal("unknown method", back.Message);
    }

    [Fact]
    public void Read_accepts_any_field_order_and_skips_unknown_or_mistyped_fields()
    {
        // 2: i32 = 5; 9: list<i32> [1]; 1: i64 (wrong type, skipped); 1: string "late"; stop
        var bytes = Hex.Parse("08 0002 00000005 0f 0009 08 00000001 00000001 0a 0001 0000000000000007 0b 0001 00000004 6c617465 00");
        var e = ThriftSerializer.Deserialize<ThriftApplicationException>(bytes, ThriftProtocol.Binary);
        Assert.Equal(5, e.Type);
        Assert.Equal("late", e.Message);
    }

    [Theory]
    [InlineData(ThriftMessageType.Call, "Call")]
    [InlineData(ThriftMessageType.Reply, "Reply")]
    [InlineData(ThriftMessageType.Oneway, "Oneway")]
    [InlineData((ThriftMessageType)0, "InvalidTMessageType")]
    [InlineData((ThriftMessageType)7, "Unknown ThriftMessageType: 7")]
    public void ReadMessage_requires_an_exception_message(ThriftMessageType type, string got)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new ThriftBinaryWriter(buffer);
        writer.WriteMessageBegin("Echo", type, 1);
        new ThriftApplicationException(6, "x").Write(ref writer);
        writer.Flush();

        var e = Assert.Throws<ThriftProtocolException>(() =>
        {
            var reader = new ThriftBinaryReader(buffer.WrittenSpan);
            ThriftApplicationException.ReadMessage(ref reader, out _);
        });
        Assert.Equal(ThriftProtocolErrorKind.InvalidData, e.Kind);
        Assert.StartsWith("thrift message type want Exception, but got " + got, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteMessage_refuses_an_empty_method_name()
    {
        Assert.Throws<ArgumentException>(() =>
        {
            var writer = new ThriftBinaryWriter(new ArrayBufferWriter<byte>());
            new ThriftApplicationException(6, "x").WriteMessage(ref writer, "", 1);
        });
    }

    [Fact]
    public void Compact_exception_message_round_trips()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new ThriftCompactWriter(buffer);
        new ThriftApplicationException(12014, "timeout").WriteMessage(ref writer, "Echo", -5);
        writer.Flush();

        var reader = new ThriftCompactReader(buffer.WrittenSpan);
        var e = ThriftApplicationException.ReadMessage(ref reader, out var header);
        Assert.Equal(new ThriftMessageHeader("Echo", ThriftMessageType.Exception, -5), header);
        Assert.Equal((12014, "timeout"), (e.Type, e.Message));
    }
}
