using System.Buffers;
using StreamX.Thrift;
using StreamX.Transport.TTHeader.Tests.Support;
using StreamX.Runtime.Tests.TestSupport;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>The PingPong captures: Framed Thrift (<c>pingpong</c>) and unary TTHeader (<c>pingpong-ttheader</c>).</summary>
public class UnaryCaptureTests
{
    // Args{1: Request{1: "ping"}} and Result{0: Response{1: "ping"}}.
    private const string CallBody = "0c00010b00010000000470696e670000";
    private const string ReplyBody = "0c00000b00010000000470696e670000";

    [Theory]
    [InlineData("c2s", ThriftMessageType.Call, CallBody)]
    [InlineData("s2c", ThriftMessageType.Reply, ReplyBody)]
    public void Framed_capture_decodes_and_reencodes_identically(string direction, ThriftMessageType type, string body)
    {
        var captured = Captures.Of("pingpong").Single(f => f.Direction == direction);
        var buffer = new ReadOnlySequence<byte>(captured.Raw);
        Assert.True(FramedCodec.TryRead(ref buffer, default, out var message));
        Assert.Equal(0, buffer.Length);
        Assert.Equal("PingPong", message!.Method);
        Assert.Equal(type, message.Type);
        Assert.Equal(1, message.SequenceId);
        Assert.Equal(body, Hex.Of(message.Body.Span));

        var output = new ArrayBufferWriter<byte>();
        FramedCodec.Write(output, message);
        Assert.Equal(Hex.Of(captured.Raw), Hex.Of(output.WrittenSpan));
        Assert.Equal(DetectedProtocol.FramedThrift, ProtocolDetector.Detect(captured.Raw));
    }

    [Theory]
    [InlineData("c2s", ThriftMessageType.Call, CallBody)]
    [InlineData("s2c", ThriftMessageType.Reply, ReplyBody)]
    public void TTHeader_capture_decodes_and_reencodes_identically(string direction, ThriftMessageType type, string body)
    {
        var captured = Captures.Of("pingpong-ttheader").Single(f => f.Direction == direction);
        var buffer = new ReadOnlySequence<byte>(captured.Raw);
        Assert.True(UnaryTTHeaderCodec.TryRead(ref buffer, default, out var packet));
        Assert.Equal(0, buffer.Length);
        Assert.Equal(1, packet!.SequenceId);
        Assert.Equal(0, packet.Flags);
        Assert.True(packet.FramedPayload);
        Assert.Empty(packet.StringHeaders);
        Assert.Empty(packet.IntHeaders);
        Assert.Equal("PingPong", packet.Message.Method);
        Assert.Equal(type, packet.Message.Type);
        Assert.Equal(1, packet.Message.SequenceId);
        Assert.Equal(body, Hex.Of(packet.Message.Body.Span));

        var output = new ArrayBufferWriter<byte>();
        UnaryTTHeaderCodec.Write(output, packet);
        Assert.Equal(Hex.Of(captured.Raw), Hex.Of(output.WrittenSpan));
        Assert.Equal(DetectedProtocol.TTHeaderUnary, ProtocolDetector.Detect(captured.Raw));

        // The TTHeader payload is exactly the Framed message of the other capture.
        var framed = Captures.Of("pingpong").Single(f => f.Direction == direction).Raw;
        Assert.Equal(Hex.Of(framed), Hex.Of(captured.Raw.AsSpan(18)));
    }

    [Fact]
    public void TTHeader_unary_packets_round_trip_with_headers_and_without_the_framed_prefix()
    {
        var message = new UnaryMessage("PingPong", ThriftMessageType.Call, 9, Hex.Parse(CallBody));
        var packet = new UnaryTTHeaderPacket(
            9,
            message,
            Codec.Strings(("RPC_TRANSIT_gdpr-token", "tok"), ("k", "v")),
            new Dictionary<ushort, string> { [9] = "PingPong", [3] = "caller" },
            framedPayload: false);
        var output = new ArrayBufferWriter<byte>();
        UnaryTTHeaderCodec.Write(output, packet);
        var bytes = output.WrittenSpan.ToArray();

        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(UnaryTTHeaderCodec.TryRead(ref buffer, default, out var decoded));
        Assert.False(decoded!.FramedPayload);
        Assert.Equal("tok", decoded.StringHeaders[FrameCodec.AclTokenKey]);
        Assert.Equal("v", decoded.StringHeaders["k"]);
        Assert.Equal("PingPong", decoded.IntHeaders[9]);
        Assert.Equal("caller", decoded.IntHeaders[3]);
        Assert.Equal(CallBody, Hex.Of(decoded.Message.Body.Span));
        Assert.Equal(9, decoded.Message.SequenceId);
    }

    [Fact]
    public void Unary_decoders_report_more_data_until_complete()
    {
        foreach (var captured in Captures.Of("pingpong").Concat(Captures.Of("pingpong-ttheader")))
        {
            var isTTHeader = captured.Scenario == "pingpong-ttheader";
            for (var n = 0; n < captured.Raw.Length; n++)
            {
                var buffer = new ReadOnlySequence<byte>(captured.Raw, 0, n);
                var complete = isTTHeader
                    ? UnaryTTHeaderCodec.TryRead(ref buffer, default, out _)
                    : FramedCodec.TryRead(ref buffer, default, out _);
                Assert.False(complete);
                Assert.Equal(n, buffer.Length);
            }

            for (var cut = 1; cut < captured.Raw.Length; cut++)
            {
                var buffer = Sequences.Split(captured.Raw, cut);
                Assert.True(isTTHeader
                    ? UnaryTTHeaderCodec.TryRead(ref buffer, default, out _)
                    : FramedCodec.TryRead(ref buffer, default, out _));
                Assert.Equal(0, buffer.Length);
            }
        }
    }

    [Fact]
    public void A_ttstream_frame_is_not_a_unary_packet()
    {
        var buffer = new ReadOnlySequence<byte>(Hex.Parse(SpecVectorTests.Vectors()["V2"].Hex));
        var error = Assert.Throws<FrameException>(() => UnaryTTHeaderCodec.TryRead(ref buffer, default, out _));
        Assert.Equal("unsupported ProtocolID[16]", error.Message);
    }

    [Fact]
    public void Unary_malformations_are_frame_exceptions()
    {
        var raw = Captures.Of("pingpong-ttheader").First().Raw;

        var badLength = (byte[])raw.Clone();
        badLength[21] ^= 0x01; // framed length 0x24 -> 0x25
        Assert.Contains("does not match", Fails(badLength).Message);

        var badVersion = (byte[])raw.Clone();
        badVersion[23] = 0x02; // 8001 -> 8002
        Assert.Equal("ReadMessageBegin: bad version", Fails(badVersion).Message);

        var badType = (byte[])raw.Clone();
        badType[25] = 0x07;
        Assert.Equal("invalid message type: Unknown ThriftMessageType: 7", Fails(badType).Message);

        var streamingFlag = (byte[])raw.Clone();
        streamingFlag[7] = 0x02;
        Assert.StartsWith("unexpected header flags: 2", Fails(streamingFlag).Message);

        var framed = Captures.Of("pingpong").First().Raw;
        var negative = (byte[])framed.Clone();
        negative[0] = 0xFF;
        var buffer = new ReadOnlySequence<byte>(negative);
        Assert.StartsWith("invalid Framed Thrift length", Assert.Throws<FrameException>(() => FramedCodec.TryRead(ref buffer, default, out _)).Message);

        static FrameException Fails(byte[] bytes)
        {
            var buffer = new ReadOnlySequence<byte>(bytes);
            return Assert.Throws<FrameException>(() => UnaryTTHeaderCodec.TryRead(ref buffer, default, out _));
        }
    }
}
