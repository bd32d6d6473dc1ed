using System.Buffers;
using System.Text.Json;
using StreamX.Transport.TTHeader.Tests.Support;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>Every ttstream frame of the 12 real Kitex v0.16.3 captures decodes and re-encodes to an equal frame.</summary>
public class CaptureTests
{
    public static TheoryData<string> StreamingFrames => Captures.StreamingIds();

    [Fact]
    public void All_twelve_scenarios_are_present_and_hold_frames()
    {
        foreach (var scenario in Captures.Scenarios)
        {
            Assert.NotEmpty(Captures.Of(scenario));
        }

        Assert.True(Captures.Streaming.Count() >= 90, $"only {Captures.Streaming.Count()} ttstream frames in the captures");
    }

    [Theory]
    [MemberData(nameof(StreamingFrames))]
    public void Decodes_to_the_captured_fields(string id)
    {
        var captured = Captures.ById(id);
        var json = captured.Frame;
        var frame = Codec.Decode(captured.Raw);

        Assert.Equal(json.GetProperty("seq_id").GetInt32(), frame.StreamId);
        Assert.Equal(json.GetProperty("frame_type").GetString(), ((int)frame.Type).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(json.GetProperty("method").GetString(), frame.Method);
        Assert.Equal(json.GetProperty("payload_hex").GetString(), Hex.Of(frame.Payload.Span));

        var strings = json.GetProperty("str_kvs");
        var expectedStrings = strings.ValueKind == JsonValueKind.Null
            ? []
            : strings.EnumerateArray().Select(e => KeyValuePair.Create(e.GetProperty("key").GetString()!, e.GetProperty("value").GetString()!)).ToArray();
        Assert.Equal(expectedStrings.OrderBy(p => p.Key, StringComparer.Ordinal), frame.StringHeaders.OrderBy(p => p.Key, StringComparer.Ordinal));

        // Kitex sends only keys 9 and 27, which are Method and Type.
        var intKeys = json.GetProperty("int_kvs").EnumerateArray().Select(e => e.GetProperty("key").GetInt32()).Order().ToArray();
        Assert.Equal([9, 27], intKeys);
        Assert.Empty(frame.IntHeaders);
    }

    [Theory]
    [MemberData(nameof(StreamingFrames))]
    public void Reencodes_to_an_equal_frame(string id)
    {
        var captured = Captures.ById(id);
        var frame = Codec.Decode(captured.Raw);
        var encoded = Codec.Encode(frame);

        // Key order in a block is Go map order, so compare decoded structures; the size never depends on the order.
        Codec.AssertSame(frame, Codec.Decode(encoded));
        Assert.Equal(captured.Raw.Length, encoded.Length);

        // Where Kitex happened to pick our order (9 before 27, at most one string entry) the bytes are identical.
        var json = captured.Frame;
        var wireIntOrder = json.GetProperty("int_kvs").EnumerateArray().Select(e => e.GetProperty("key").GetInt32()).ToArray();
        var strings = json.GetProperty("str_kvs");
        var stringCount = strings.ValueKind == JsonValueKind.Null ? 0 : strings.GetArrayLength();
        if (wireIntOrder.SequenceEqual([9, 27]) && stringCount <= 1)
        {
            Assert.Equal(Hex.Of(captured.Raw), Hex.Of(encoded));
        }
        else
        {
            Assert.Equal(Hex.Of(Canonicalize(captured.Raw)), Hex.Of(encoded));
        }
    }

    [Fact]
    public void Some_captured_frames_are_byte_identical_and_some_only_equal()
    {
        var identical = 0;
        var reordered = 0;
        foreach (var captured in Captures.Streaming)
        {
            if (captured.Raw.AsSpan().SequenceEqual(Codec.Encode(Codec.Decode(captured.Raw))))
            {
                identical++;
            }
            else
            {
                reordered++;
            }
        }

        Assert.True(identical > 0 && reordered > 0, $"identical={identical} reordered={reordered}");
    }

    [Theory]
    [MemberData(nameof(StreamingFrames))]
    public void Exception_payloads_match_the_capture(string id)
    {
        var captured = Captures.ById(id);
        if (!captured.Frame.TryGetProperty("payload_thrift", out var thrift) || !thrift.TryGetProperty("message", out var message))
        {
            return;
        }

        var frame = Codec.Decode(captured.Raw);
        var exception = ExceptionPayload.Decode(frame.Payload.Span, out var method, out var seqId);
        Assert.Equal("EXCEPTION", message.GetProperty("type").GetString());
        Assert.Equal(message.GetProperty("name").GetString(), method);
        Assert.Equal(message.GetProperty("seq").GetInt32(), seqId);
        var body = message.GetProperty("body").EnumerateArray().ToDictionary(e => e.GetProperty("id").GetInt32());
        Assert.Equal(body[1].GetProperty("value").GetString(), exception.Message);
        Assert.Equal(body[2].GetProperty("value").GetInt32(), exception.Type);

        // Kitex writes field 1 then field 2, so our encoding is byte-identical.
        Assert.Equal(Hex.Of(frame.Payload.Span), Hex.Of(ExceptionPayload.Encode(method, seqId, exception.Type, exception.Message)));
    }

    [Fact]
    public void A_whole_connection_decodes_frame_by_frame_from_one_buffer()
    {
        foreach (var group in Captures.Streaming.GroupBy(f => (f.Scenario, f.Connection, f.Direction)))
        {
            var stream = group.SelectMany(f => f.Raw).ToArray();
            var buffer = new ReadOnlySequence<byte>(stream);
            var count = 0;
            while (FrameCodec.TryRead(ref buffer, default, out var frame))
            {
                Assert.Equal(group.ElementAt(count).Frame.GetProperty("seq_id").GetInt32(), frame!.StreamId);
                count++;
            }

            Assert.Equal(0, buffer.Length);
            Assert.Equal(group.Count(), count);
        }
    }

    [Fact]
    public void Every_streaming_connection_is_detected_as_ttstream()
    {
        foreach (var first in Captures.Streaming.Where(f => f.Direction == "c2s").GroupBy(f => (f.Scenario, f.Connection)).Select(g => g.First()))
        {
            Assert.Equal(DetectedProtocol.TTHeaderStreaming, ProtocolDetector.Detect(first.Raw.AsSpan(0, 8)));
        }
    }

    /// <summary>
    /// Rewrites a captured frame into our canonical block order (0x11, 0x01 in wire order, 0x10 with keys ascending)
    /// by hand, independently of the codec, to show that order is the only difference.
    /// </summary>
    private static byte[] Canonicalize(byte[] raw)
    {
        var headerBytes = ((raw[12] << 8) | raw[13]) * 4;
        var blocks = new List<(byte Id, byte[] Bytes)>();
        var at = 16;
        var end = 14 + headerBytes;
        var ints = new List<(int Key, byte[] Entry)>();
        var output = new List<byte>();
        while (at < end)
        {
            var id = raw[at++];
            if (id == 0)
            {
                continue;
            }

            var count = (raw[at] << 8) | raw[at + 1];
            var start = at;
            at += 2;
            for (var i = 0; i < count; i++)
            {
                if (id == 0x10)
                {
                    var key = (raw[at] << 8) | raw[at + 1];
                    var len = (raw[at + 2] << 8) | raw[at + 3];
                    ints.Add((key, raw[at..(at + 4 + len)]));
                    at += 4 + len;
                }
                else
                {
                    var keyLen = (raw[at] << 8) | raw[at + 1];
                    at += 2 + keyLen;
                    var valLen = (raw[at] << 8) | raw[at + 1];
                    at += 2 + valLen;
                }
            }

            if (id == 0x01)
            {
                blocks.Add((id, raw[(start - 1)..at]));
            }
        }

        output.AddRange(raw[..16]);
        foreach (var block in blocks)
        {
            output.AddRange(block.Bytes);
        }

        output.Add(0x10);
        output.Add((byte)(ints.Count >> 8));
        output.Add((byte)ints.Count);
        foreach (var (_, entry) in ints.OrderBy(e => e.Key))
        {
            output.AddRange(entry);
        }

        while (output.Count < end)
        {
            output.Add(0);
        }

        output.AddRange(raw[end..]);
        return output.ToArray();
    }
}
