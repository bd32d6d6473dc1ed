using System.Buffers;
using StreamX.Transport.TTHeader.Tests.Support;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>Encoder layout rules and limits (spec §2.2, §2.3).</summary>
public class EncoderTests
{
    [Fact]
    public void Int_keys_are_written_ascending_with_9_and_27_in_place()
    {
        var frame = new Frame(
            FrameType.Header,
            1,
            "M",
            null,
            new Dictionary<ushort, string> { [30] = "c", [2] = "a", [12] = "b" },
            default);
        var bytes = Codec.Encode(frame);
        // 0x10 block: count 5, keys 2, 9, 12, 27, 30.
        Assert.Equal(
            "1000" + "10" + "0005" + "0002" + "0001" + "61" + "0009" + "0001" + "4d" + "000c" + "0001" + "62" + "001b" + "0001" + "32" + "001e" + "0001" + "63",
            Hex.Of(bytes.AsSpan(14, 2 + 3 + 5 * 5)));
    }

    [Fact]
    public void Empty_method_is_still_sent_as_key_9()
    {
        var bytes = Codec.Encode(Frame.Create(FrameType.Data, 1, string.Empty));
        Assert.Equal("1000" + "10" + "0002" + "00090000" + "001b000133" + "0000", Hex.Of(bytes.AsSpan(14)));
        Assert.Equal(string.Empty, Codec.Decode(bytes).Method);
    }

    [Fact]
    public void Padding_makes_the_header_a_multiple_of_4()
    {
        for (var length = 0; length < 8; length++)
        {
            var bytes = Codec.Encode(Frame.Create(FrameType.Data, 1, new string('m', length)));
            var words = (bytes[12] << 8) | bytes[13];
            Assert.Equal(bytes.Length - 14, words * 4);
        }
    }

    [Theory]
    [InlineData(FrameType.Data, "Echo")]
    [InlineData(FrameType.Data, "方法é")]
    [InlineData(FrameType.Trailer, "EchoServer")]
    [InlineData(FrameType.Data, "m")]
    public void A_frame_without_headers_has_only_keys_9_and_27_and_round_trips(FrameType type, string method)
    {
        // Frames with no string or int headers (every Data frame) take the encoder's short path: same layout as any
        // other frame, with the method's UTF-8 length (not its char count) and zero padding.
        var payload = new byte[] { 1, 2, 3, 4, 5 };
        var bytes = Codec.Encode(Frame.Create(type, 7, method, null, payload));
        var methodBytes = System.Text.Encoding.UTF8.GetBytes(method);
        var header = "1000" + "10" + "0002" + "0009" + methodBytes.Length.ToString("x4") + Hex.Of(methodBytes) + "001b" + "0001" + ((int)type + 0x30).ToString("x2");
        var words = (bytes[12] << 8) | bytes[13];
        Assert.Equal(header + new string('0', (words * 4 - header.Length / 2) * 2), Hex.Of(bytes.AsSpan(14, words * 4)));
        Assert.Equal(payload, bytes[(14 + words * 4)..]);
        var decoded = Codec.Decode(bytes);
        Assert.Equal((type, 7, method), (decoded.Type, decoded.StreamId, decoded.Method));
        Assert.Equal(payload, decoded.Payload.ToArray());
    }

    [Fact]
    public void A_string_over_65535_bytes_is_refused_with_gopkgs_text()
    {
        var frame = Frame.Create(FrameType.Header, 1, "Echo", Codec.Strings(("k", new string('a', 65536))));
        var output = new ArrayBufferWriter<byte>();
        var error = Assert.Throws<FrameException>(() => FrameCodec.Write(output, frame));
        Assert.Equal($"string exceeded 65535B max size (actual: 65536B, preview: \"{new string('a', 100)}...\")", error.Message);
        Assert.Equal(0, output.WrittenCount);

        // 65535 bytes are fine (multi-byte characters count as bytes).
        Codec.Encode(Frame.Create(FrameType.Header, 1, "Echo", Codec.Strings(("k", new string('a', 65535)))));
        Assert.Throws<FrameException>(() => Codec.Encode(Frame.Create(FrameType.Header, 1, "Echo", Codec.Strings((new string('é', 32768), "v")))));
        Assert.Throws<FrameException>(() => Codec.Encode(Frame.Create(FrameType.Data, 1, new string('m', 65536))));
    }

    [Fact]
    public void The_preview_is_quoted_like_go()
    {
        var value = "\"quote\" back\\slash\n\t" + new string('x', 200);
        var error = Assert.Throws<FrameException>(() => Codec.Encode(Frame.Create(FrameType.Header, 1, "Echo", Codec.Strings(("k", value + new string('y', 65535))))));
        Assert.Contains("preview: \"\\\"quote\\\" back\\\\slash\\n\\t" + new string('x', 100 - 20) + "...\")", error.Message);
    }

    [Fact]
    public void A_header_block_over_262140_bytes_is_refused()
    {
        var headers = new Dictionary<string, string>();
        for (var i = 0; i < 5; i++)
        {
            headers["k" + i] = new string('v', 60000);
        }

        var error = Assert.Throws<FrameException>(() => Codec.Encode(Frame.Create(FrameType.Header, 1, "Echo", headers)));
        Assert.StartsWith("invalid header length[3", error.Message);
    }

    [Fact]
    public void Writing_with_limits_refuses_what_the_peer_would_reject()
    {
        var frame = Frame.Create(FrameType.Header, 1, "Echo", Codec.Strings(("k", new string('v', 65000)), ("l", new string('v', 1000))));
        Codec.Decode(Codec.Encode(frame), new FrameLimits(MaxHeaderBytes: FrameLimits.MaxSupportedHeaderBytes));
        var output = new ArrayBufferWriter<byte>();
        Assert.StartsWith("invalid header length[", Assert.Throws<FrameException>(() => FrameCodec.Write(output, frame, default)).Message);

        var big = Frame.Create(FrameType.Data, 1, "Echo", payload: new byte[2000]);
        Assert.Contains("exceeds the limit of 1024 bytes", Assert.Throws<FrameException>(() => FrameCodec.Write(output, big, new FrameLimits(MaxFrameBytes: 1024))).Message);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Many_int_headers_use_a_rented_sort_buffer()
    {
        var ints = Enumerable.Range(100, 500).ToDictionary(i => (ushort)(700 - i), i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var frame = new Frame(FrameType.Header, 1, "Echo", null, ints, default);
        var decoded = Codec.Decode(Codec.Encode(frame));
        Codec.AssertSame(frame, decoded);
    }

    [Fact]
    public void Lone_surrogates_are_encoded_as_replacement_characters_consistently()
    {
        var frame = Frame.Create(FrameType.Header, 1, "Echo", Codec.Strings(("k", "a\uD800b")));
        var decoded = Codec.Decode(Codec.Encode(frame));
        Assert.Equal("a\uFFFDb", decoded.StringHeaders["k"]);
    }

    [Fact]
    public void Encoding_a_data_frame_allocates_nothing()
    {
        var frame = Frame.Create(FrameType.Data, 1, "Echo", payload: new byte[100]);
        var output = new ArrayBufferWriter<byte>(4096);
        FrameCodec.Write(output, frame); // warm up
        output.ResetWrittenCount();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            FrameCodec.Write(output, frame);
            output.ResetWrittenCount();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
    [Fact]
    public void Describe_names_the_offending_key_and_the_limit_and_accepts_what_fits()
    {
        var limit = FrameLimits.DefaultMaxHeaderBytes;
        Assert.Null(FrameCodec.Describe(Frame.Create(FrameType.Data, 1, "Echo"), limit));
        Assert.Null(FrameCodec.Describe(Frame.Create(FrameType.Header, 1, "Echo", Codec.Strings(("k", new string('v', 65000)))), limit));

        // The same frame the encoder writes with that limit is exactly what Describe accepts.
        var fits = Frame.Create(FrameType.Header, 1, "Echo", Codec.Strings(("k", new string('v', 65000)), ("l", new string('v', 500))));
        Assert.Null(FrameCodec.Describe(fits, limit));
        FrameCodec.Write(new ArrayBufferWriter<byte>(), fits, default);
        var over = Frame.Create(FrameType.Header, 1, "Echo", Codec.Strings(("k", new string('v', 65000)), ("l", new string('v', 600))));
        Assert.Throws<FrameException>(() => FrameCodec.Write(new ArrayBufferWriter<byte>(), over, default));
        Assert.Equal(
            "headers cannot be sent: they take 65632 bytes encoded, over the limit of 65536 bytes (FrameLimits.MaxHeaderBytes); the largest is header \"k\" (65001 bytes)",
            FrameCodec.Describe(over, limit));

        Assert.Equal(
            "trailer \"k\" cannot be sent: its value is 65536 bytes (UTF-8), over the TTHeader limit of 65535 bytes for one key or value",
            FrameCodec.Describe(Frame.Create(FrameType.Trailer, 1, "Echo", Codec.Strings(("k", new string('é', 32768)))), FrameLimits.MaxSupportedHeaderBytes));
        Assert.Equal(
            $"header \"{new string('k', 100)}...\" cannot be sent: the key is 70000 bytes (UTF-8), over the TTHeader limit of 65535 bytes for one key or value",
            FrameCodec.Describe(Frame.Create(FrameType.Header, 1, "Echo", Codec.Strings((new string('k', 70000), "v"))), limit));
        Assert.StartsWith(
            "reset header \"RPC_TRANSIT_gdpr-token\" cannot be sent: its value is 70000 bytes",
            FrameCodec.Describe(Frame.Create(FrameType.Rst, 1, "Echo", Codec.Strings((FrameCodec.AclTokenKey, new string('t', 70000)))), limit));
        Assert.StartsWith(
            "int header 12 cannot be sent: its value is 70000 bytes",
            FrameCodec.Describe(new Frame(FrameType.Header, 1, "Echo", null, new Dictionary<ushort, string> { [12] = new string('1', 70000) }, default), limit));
        Assert.StartsWith(
            "the method name \"mmm",
            FrameCodec.Describe(Frame.Create(FrameType.Data, 1, new string('m', 70000)), limit));
    }
}
