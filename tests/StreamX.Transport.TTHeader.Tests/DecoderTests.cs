using System.Buffers;
using StreamX.Transport.TTHeader.Tests.Support;
using StreamX.Runtime.Tests.TestSupport;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>Order-agnostic header decoding, padding anywhere, merging and last-wins duplicates (spec §2.2).</summary>
public class DecoderTests
{
    [Fact]
    public void Blocks_in_any_order_with_padding_anywhere_are_merged()
    {
        var bytes = new FrameBuilder()
            .Raw(0, 0, 0)
            .Ints((27, "2"), (4, "cluster"))
            .Raw(0)
            .Strings(("b", "2"))
            .Token("tok")
            .Raw(0, 0)
            .Ints((9, "EchoServer"))
            .Strings(("a", "1"))
            .Build();
        var frame = Codec.Decode(bytes);
        Assert.Equal(FrameType.Header, frame.Type);
        Assert.Equal("EchoServer", frame.Method);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", [FrameCodec.AclTokenKey] = "tok" }, frame.StringHeaders);
        Assert.Equal(new Dictionary<ushort, string> { [4] = "cluster" }, frame.IntHeaders);
    }

    [Fact]
    public void Duplicate_keys_last_wins_across_and_within_blocks()
    {
        var bytes = new FrameBuilder()
            .Ints((27, "5"), (9, "First"), (27, "3"))
            .Strings(("k", "1"), ("k", "2"), (FrameCodec.AclTokenKey, "in-01"))
            .Token("in-11")
            .Ints((9, "Second"), (1, "x"), (1, "y"))
            .Build();
        var frame = Codec.Decode(bytes);
        Assert.Equal(FrameType.Data, frame.Type);
        Assert.Equal("Second", frame.Method);
        Assert.Equal("2", frame.StringHeaders["k"]);
        Assert.Equal("in-11", frame.StringHeaders[FrameCodec.AclTokenKey]);
        Assert.Equal("y", frame.IntHeaders[1]);
    }

    [Fact]
    public void Missing_method_is_empty_and_other_int_keys_survive_the_round_trip()
    {
        var frame = Codec.Decode(new FrameBuilder().Ints((27, "1"), (0, "mesh"), (65535, "max")).Build());
        Assert.Equal(FrameType.Meta, frame.Type);
        Assert.Equal(string.Empty, frame.Method);
        Assert.Equal(2, frame.IntHeaders.Count);

        var again = Codec.Decode(Codec.Encode(frame));
        Codec.AssertSame(frame, again);
    }

    [Fact]
    public void Empty_blocks_and_an_empty_string_block_are_fine()
    {
        var frame = Codec.Decode(FrameBuilder.Standard().Strings().Ints().Strings(("", "")).Build());
        Assert.Equal(string.Empty, frame.StringHeaders[string.Empty]);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x03)]
    [InlineData(0x04)]
    [InlineData(0x10)]
    [InlineData(0x11)]
    public void Accepted_protocol_ids(byte protocolId)
    {
        var frame = Codec.Decode(new FrameBuilder { ProtocolId = protocolId }.Ints((9, "Echo"), (27, "3")).Build());
        Assert.Equal(FrameType.Data, frame.Type);
    }

    [Theory]
    [InlineData(0x0002)]
    [InlineData(0x0003)]
    [InlineData(0xFFFF)]
    public void Any_flags_with_the_streaming_bit_are_accepted(int flags)
    {
        var frame = Codec.Decode(new FrameBuilder { Flags = (ushort)flags }.Ints((9, "Echo"), (27, "4")).Build());
        Assert.Equal(FrameType.Trailer, frame.Type);
    }

    [Fact]
    public void Non_ascii_and_empty_values_round_trip()
    {
        var frame = new Frame(
            FrameType.Header,
            -7,
            "Échø",
            Codec.Strings(("ключ", "значение"), ("empty", string.Empty), ("emoji", "🙂")),
            new Dictionary<ushort, string> { [27 + 1] = "x", [2] = string.Empty },
            Array.Empty<byte>());
        var decoded = Codec.Decode(Codec.Encode(frame));
        Codec.AssertSame(frame, decoded);
    }

    [Fact]
    public void Payload_is_an_owned_copy()
    {
        var bytes = new FrameBuilder { Payload = [1, 2, 3] }.Ints((9, "Echo"), (27, "3")).Build();
        var frame = Codec.Decode(bytes);
        bytes.AsSpan().Clear();
        Assert.Equal([1, 2, 3], frame.Payload.ToArray());
    }

    [Fact]
    public void Frames_snapshot_their_header_maps()
    {
        var headers = Codec.Strings(("a", "1"));
        var frame = Frame.Create(FrameType.Header, 1, "Echo", headers);
        headers["a"] = "changed";
        headers["b"] = "added";
        Assert.Equal("1", frame.StringHeaders["a"]);
        Assert.Single(frame.StringHeaders);
        Assert.IsNotType<Dictionary<string, string>>(frame.StringHeaders);
    }

    [Fact]
    public void Reserved_int_keys_and_bad_types_are_rejected_by_the_constructor()
    {
        Assert.Throws<ArgumentException>(() => new Frame(FrameType.Data, 1, "m", null, new Dictionary<ushort, string> { [9] = "m" }, default));
        Assert.Throws<ArgumentException>(() => new Frame(FrameType.Data, 1, "m", null, new Dictionary<ushort, string> { [27] = "3" }, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => Frame.Create((FrameType)0, 1, "m"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Frame.Create((FrameType)6, 1, "m"));
    }

    [Fact]
    public void Limits_default_and_validation()
    {
        Assert.Equal(16 * 1024 * 1024, default(FrameLimits).MaxFrameBytes);
        Assert.Equal(65536, default(FrameLimits).MaxHeaderBytes);
        Assert.Equal(16 * 1024 * 1024, new FrameLimits().MaxFrameBytes);
        Assert.Equal(65536, new FrameLimits().MaxHeaderBytes);
        Assert.Equal(default, new FrameLimits(FrameLimits.DefaultMaxFrameBytes, FrameLimits.DefaultMaxHeaderBytes));
        Assert.Equal(262140, new FrameLimits(MaxHeaderBytes: 262140).MaxHeaderBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameLimits(MaxHeaderBytes: 262141));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameLimits(MaxFrameBytes: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => default(FrameLimits) with { MaxHeaderBytes = -4 });
    }

    [Fact]
    public void Two_frames_in_one_buffer_decode_one_after_the_other()
    {
        var first = Hex.Parse(SpecVectorTests.Vectors()["V1"].Hex);
        var second = Hex.Parse(SpecVectorTests.Vectors()["V2"].Hex);
        var buffer = Sequences.Split([.. first, .. second], first.Length + 3);
        Assert.True(FrameCodec.TryRead(ref buffer, default, out var a));
        Assert.Equal(second.Length, buffer.Length);
        Assert.True(FrameCodec.TryRead(ref buffer, default, out var b));
        Assert.Equal(0, buffer.Length);
        Assert.False(FrameCodec.TryRead(ref buffer, default, out var none));
        Assert.Equal(FrameType.Header, a!.Type);
        Assert.Equal(FrameType.Data, b!.Type);
        Assert.Null(none);
    }
}
