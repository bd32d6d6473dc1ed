using System.Buffers;

namespace StreamX.Transport.TTHeader.Tests.Support;

public static class Codec
{
    public static byte[] Encode(Frame frame)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameCodec.Write(output, frame);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Decodes exactly one frame that must use all of <paramref name="bytes"/>.</summary>
    public static Frame Decode(byte[] bytes, FrameLimits limits = default) => Decode(new ReadOnlySequence<byte>(bytes), limits);

    public static Frame Decode(ReadOnlySequence<byte> sequence, FrameLimits limits = default)
    {
        var buffer = sequence;
        Assert.True(FrameCodec.TryRead(ref buffer, limits, out var frame), "TryRead wanted more bytes for a complete frame");
        Assert.NotNull(frame);
        Assert.Equal(0, buffer.Length);
        return frame!;
    }

    public static FrameException DecodeFails(byte[] bytes, FrameLimits limits = default)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        return Assert.Throws<FrameException>(() => FrameCodec.TryRead(ref buffer, limits, out _));
    }

    public static void AssertSame(Frame expected, Frame actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.StreamId, actual.StreamId);
        Assert.Equal(expected.Method, actual.Method);
        Assert.Equal(
            expected.StringHeaders.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray(),
            actual.StringHeaders.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray());
        Assert.Equal(expected.IntHeaders.OrderBy(p => p.Key).ToArray(), actual.IntHeaders.OrderBy(p => p.Key).ToArray());
        Assert.Equal(Hex.Of(expected.Payload.Span), Hex.Of(actual.Payload.Span));
    }

    public static Dictionary<string, string> Strings(params (string Key, string Value)[] entries)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            map.Add(key, value);
        }

        return map;
    }
}
