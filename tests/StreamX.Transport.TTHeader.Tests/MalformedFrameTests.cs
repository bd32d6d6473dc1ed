using System.Buffers;
using StreamX.Transport.TTHeader.Tests.Support;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>Malformed input gives <see cref="FrameException"/> (code 12004) with Kitex's text where Kitex has one.</summary>
public class MalformedFrameTests
{
    [Fact]
    public void T11_non_ttheader_bytes()
    {
        // gopkg prints the two 4-byte slices with %#x: every byte as two hex digits.
        var error = Codec.DecodeFails(Enumerable.Range(0, 20).Select(i => (byte)i).ToArray());
        Assert.Equal("not TTHeader protocol (first4Bytes=0x00010203, second4Bytes=0x04050607)", error.Message);
        Assert.Equal(12004, error.Code);
    }

    [Fact]
    public void T12_garbage_is_detected_from_the_first_8_bytes()
    {
        var error = Codec.DecodeFails("helloxxxxxxxxxxxxxxxxxxxxxx"u8.ToArray());
        Assert.Equal("not TTHeader protocol (first4Bytes=0x68656c6c, second4Bytes=0x6f787878)", error.Message);

        // Even 8 bytes are enough, though the "length" claims 1.7 GB.
        Codec.DecodeFails("helloxxx"u8.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(0x0100)]
    public void Missing_streaming_flag(int flags)
    {
        var error = Codec.DecodeFails(new FrameBuilder { Flags = (ushort)flags }.Ints((9, "Echo"), (27, "3")).Build());
        Assert.Equal($"unexpected header flags: {flags}", error.Message);
    }

    [Fact]
    public void T11_header_size_zero()
    {
        var error = Codec.DecodeFails(new FrameBuilder { HeaderWords = 0 }.Ints((9, "Echo"), (27, "3")).Build());
        Assert.Equal("invalid header length[0]", error.Message);
    }

    [Theory]
    [InlineData(16, 64)]
    [InlineData(16384, 65536)]
    [InlineData(16385, 65540)]
    [InlineData(65535, 262140)]
    public void T11_header_sizes_up_to_262140_bytes_are_valid_when_the_limit_allows(int words, int bytes)
    {
        var limits = new FrameLimits(MaxHeaderBytes: FrameLimits.MaxSupportedHeaderBytes);
        var padding = new byte[bytes - 2 - 16];
        var frame = new FrameBuilder().Ints((9, "Echo"), (27, "3")).Raw(padding).Build();
        Assert.Equal(words, (frame[12] << 8) | frame[13]);
        Assert.Equal(FrameType.Data, Codec.Decode(frame, limits).Type);

        if (bytes > FrameLimits.DefaultMaxHeaderBytes)
        {
            Assert.Equal($"invalid header length[{bytes}]", Codec.DecodeFails(frame).Message);
        }
        else
        {
            Assert.Equal(FrameType.Data, Codec.Decode(frame).Type);
        }
    }

    [Fact]
    public void Header_size_over_the_limit_is_rejected_before_the_header_arrives()
    {
        var limits = new FrameLimits(MaxHeaderBytes: 64);
        var frame = new FrameBuilder { HeaderWords = 17 }.Ints((9, "Echo"), (27, "3")).Build();
        var error = Codec.DecodeFails(frame[..14], limits);
        Assert.Equal("invalid header length[68]", error.Message);
    }

    [Fact]
    public void Length_smaller_than_the_header()
    {
        var error = Codec.DecodeFails(new FrameBuilder { Length = 20 }.Ints((9, "Echo"), (27, "3")).Build());
        Assert.Equal("invalid frame length[20]: smaller than the 30 bytes of its header", error.Message);
    }

    [Fact]
    public void Frame_over_the_size_limit_is_rejected_from_its_first_8_bytes()
    {
        var limits = new FrameLimits(MaxFrameBytes: 1024);
        var frame = new FrameBuilder { Payload = new byte[1000] }.Ints((9, "Echo"), (27, "3")).Build();
        var error = Codec.DecodeFails(frame[..8], limits);
        Assert.Equal($"frame of {frame.Length} bytes exceeds the limit of 1024 bytes (LENGTH field {frame.Length - 4})", error.Message);

        var lie = FrameBuilder.Standard().Build();
        lie[0] = 0x7F;
        Assert.Contains("exceeds the limit of 16777216 bytes", Codec.DecodeFails(lie).Message);
    }

    [Theory]
    [InlineData(0x01)]
    [InlineData(0x02)]
    [InlineData(0x05)]
    [InlineData(0x12)]
    [InlineData(0xFF)]
    public void Unsupported_protocol_id(byte protocolId)
    {
        var error = Codec.DecodeFails(new FrameBuilder { ProtocolId = protocolId }.Ints((9, "Echo"), (27, "3")).Build());
        Assert.Equal($"unsupported ProtocolID[{protocolId}]", error.Message);
    }

    [Fact]
    public void Transforms_are_rejected()
    {
        var error = Codec.DecodeFails(new FrameBuilder { Transforms = [1] }.Ints((9, "Echo"), (27, "3")).Build());
        Assert.StartsWith("unsupported transforms: the header lists 1 transformIDs", error.Message);

        var tooMany = new FrameBuilder { Transforms = [1] }.Ints((9, "Echo"), (27, "3")).Build();
        tooMany[15] = 200;
        Assert.Equal("need read 200 transformIDs, but not enough", Codec.DecodeFails(tooMany).Message);
    }

    [Theory]
    [InlineData(0x02, "0x2")]
    [InlineData(0x0F, "0xf")]
    [InlineData(0x12, "0x12")]
    [InlineData(0xFF, "0xff")]
    public void Invalid_info_id(byte infoId, string shown)
    {
        var frame = FrameBuilder.Standard().Raw(infoId).Build();
        var error = Codec.DecodeFails(frame);
        Assert.StartsWith($"ttHeader read kv info failed, invalid infoIDType[{shown}], headerInfo=0x1000", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x01 }, "error reading str kv info size: EOF")]
    [InlineData(new byte[] { 0x01, 0x00 }, "error reading str kv info size: EOF")]
    [InlineData(new byte[] { 0x01, 0x00, 0x01 }, "error reading str kv info: EOF")]
    [InlineData(new byte[] { 0x01, 0x00, 0x01, 0x00, 0x01, 0x61 }, "error reading str kv info: EOF")]
    [InlineData(new byte[] { 0x01, 0x00, 0x01, 0x00, 0x01, 0x61, 0x00, 0x02, 0x62 }, "error reading str kv info: EOF")]
    [InlineData(new byte[] { 0x10, 0x00 }, "error reading int kv info size: EOF")]
    [InlineData(new byte[] { 0x10, 0x00, 0x01, 0x00 }, "error reading int kv info: EOF")]
    [InlineData(new byte[] { 0x10, 0x00, 0x01, 0x00, 0x05, 0x00, 0x09, 0x41 }, "error reading int kv info: EOF")]
    [InlineData(new byte[] { 0x10, 0xFF, 0xFF, 0x00, 0x05, 0x00, 0x00 }, "error reading int kv info: EOF")]
    [InlineData(new byte[] { 0x11, 0x00 }, "error reading acl token: EOF")]
    [InlineData(new byte[] { 0x11, 0x00, 0x05, 0x61 }, "error reading acl token: EOF")]
    public void Truncated_blocks(byte[] tail, string reason)
    {
        // The tail is the last thing in the header-info block; any padding the builder adds is zeros, which read as
        // (too short) lengths, so the block stays truncated. Keep the tail at a 4-byte boundary to be sure.
        var builder = FrameBuilder.Standard();
        var frame = builder.Raw(new byte[(4 - (2 + 16 + tail.Length) % 4) % 4]).Raw(tail).Build();
        Assert.Equal(0, (2 + 16 + tail.Length + ((4 - (2 + 16 + tail.Length) % 4) % 4)) % 4);
        var error = Codec.DecodeFails(frame);
        Assert.StartsWith($"ttHeader read kv info failed, {reason}, headerInfo=0x", error.Message);
    }

    [Theory]
    [InlineData(null, "unexpected frame type: ")]
    [InlineData("", "unexpected frame type: ")]
    [InlineData("0", "unexpected frame type: 0")]
    [InlineData("6", "unexpected frame type: 6")]
    [InlineData("12", "unexpected frame type: 12")]
    [InlineData(" 3", "unexpected frame type:  3")]
    [InlineData("data", "unexpected frame type: data")]
    public void Unknown_or_missing_frame_type(string? type, string message)
    {
        var builder = new FrameBuilder();
        var frame = type is null ? builder.Ints((9, "Echo")).Build() : builder.Ints((9, "Echo"), (27, type)).Build();
        Assert.Equal(message, Codec.DecodeFails(frame).Message);
    }

    [Fact]
    public void A_later_invalid_frame_type_overrides_a_valid_one()
    {
        var frame = new FrameBuilder().Ints((27, "3"), (9, "Echo")).Ints((27, "x")).Build();
        Assert.Equal("unexpected frame type: x", Codec.DecodeFails(frame).Message);
    }

    [Fact]
    public void Kitex_order_of_checks_flags_after_the_header()
    {
        // Both the flags and an info id are wrong: gopkg's header decoder runs first, then ttstream checks the flags.
        var frame = new FrameBuilder { Flags = 0 }.Ints((9, "Echo"), (27, "3")).Raw(0x07).Build();
        Assert.Contains("invalid infoIDType[0x7]", Codec.DecodeFails(frame).Message);
    }

    [Fact]
    public void Nothing_is_consumed_when_decoding_fails()
    {
        var bytes = new FrameBuilder { Flags = 0 }.Ints((9, "Echo"), (27, "3")).Build();
        var buffer = new ReadOnlySequence<byte>(bytes);
        var before = buffer;
        try
        {
            FrameCodec.TryRead(ref buffer, default, out _);
        }
        catch (FrameException)
        {
        }

        Assert.Equal(before, buffer);
    }
}
