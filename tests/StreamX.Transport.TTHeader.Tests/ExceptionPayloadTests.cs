using StreamX.Thrift;
using StreamX.Transport.TTHeader.Tests.Support;

namespace StreamX.Transport.TTHeader.Tests;

public class ExceptionPayloadTests
{
    [Fact]
    public void Encodes_the_spec_layout()
    {
        Assert.Equal(
            "80010003" + "000000044563686f" + "00000001" + "0b0001" + "0000000f" + "62697a206572726f723a20626f6f6d" + "080002" + "00000006" + "00",
            Hex.Of(ExceptionPayload.Encode("Echo", 1, 6, "biz error: boom")));
    }

    [Fact]
    public void Empty_message_and_negative_ids_round_trip()
    {
        var bytes = ExceptionPayload.Encode("M", -5, 0, string.Empty);
        var exception = ExceptionPayload.Decode(bytes, out var method, out var seqId);
        Assert.Equal(0, exception.Type);
        Assert.Equal("unknown application exception", exception.Message);
        Assert.Equal("M", method);
        Assert.Equal(-5, seqId);
        Assert.Equal(bytes, ExceptionPayload.Encode("M", -5, new ThriftApplicationException(0, string.Empty)));
    }

    [Fact]
    public void Kitex_refuses_an_empty_method()
    {
        Assert.Throws<ArgumentException>(() => ExceptionPayload.Encode(string.Empty, 1, 6, "x"));
    }

    [Theory]
    [InlineData(1, "Call")]
    [InlineData(2, "Reply")]
    [InlineData(4, "Oneway")]
    [InlineData(0, "InvalidTMessageType")]
    [InlineData(9, "Unknown ThriftMessageType: 9")]
    public void Wrong_message_type_has_kitexs_text(int type, string name)
    {
        var bytes = ExceptionPayload.Encode("Echo", 1, 6, "x");
        bytes[3] = (byte)type;
        var error = Assert.Throws<FrameException>(() => ExceptionPayload.Decode(bytes));
        Assert.Equal("thrift message type want Exception, but got " + name, error.Message);
        Assert.Equal(12004, error.Code);
    }

    [Theory]
    [InlineData("", "ReadMessageBegin: buf too small")]
    [InlineData("800100", "ReadMessageBegin: buf too small")]
    [InlineData("0000000444", "ReadMessageBegin: bad version")]
    [InlineData("80020003", "ReadMessageBegin: bad version")]
    [InlineData("80010003", "ReadMessageBegin: buf too small")]
    [InlineData("80010003000000ff", "ReadMessageBegin: buf too small")]
    [InlineData("80010003ffffffff00000000", "ReadMessageBegin: buf too small")]
    [InlineData("8001000300000000000000", "ReadMessageBegin: buf too small")]
    public void Malformed_envelopes(string hex, string message)
    {
        Assert.Equal(message, Assert.Throws<FrameException>(() => ExceptionPayload.Decode(Hex.Parse(hex))).Message);
    }

    [Fact]
    public void Malformed_struct_is_a_frame_exception_with_the_codec_error_as_cause()
    {
        var bytes = ExceptionPayload.Encode("Echo", 1, 6, "boom");
        var error = Assert.Throws<FrameException>(() => ExceptionPayload.Decode(bytes.AsSpan(0, bytes.Length - 3)));
        Assert.StartsWith("invalid TApplicationException in exception payload: ", error.Message);
        Assert.IsType<ThriftProtocolException>(error.InnerException);
    }

    [Fact]
    public void Fields_in_any_order_and_unknown_fields_are_accepted()
    {
        var bytes = Hex.Parse(
            "80010003" + "000000044563686f" + "00000001"
            + "080002" + "00002ee7"          // type first
            + "0a0009" + "0000000000000001" // unknown i64 field 9
            + "0b0001" + "00000003" + "616263"
            + "00");
        var exception = ExceptionPayload.Decode(bytes);
        Assert.Equal(12007, exception.Type);
        Assert.Equal("abc", exception.Message);
    }
}
