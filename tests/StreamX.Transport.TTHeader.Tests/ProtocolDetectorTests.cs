using System.Text;
using StreamX.Transport.TTHeader.Tests.Support;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>T14 and the other protocols one Kitex port accepts.</summary>
public class ProtocolDetectorTests
{
    [Theory]
    [InlineData("0000003210000002", DetectedProtocol.TTHeaderStreaming)]
    [InlineData("ffffffff10000002", DetectedProtocol.TTHeaderStreaming)]
    [InlineData("0000000010000003", DetectedProtocol.TTHeaderStreaming)]
    [InlineData("00000032100000ff", DetectedProtocol.TTHeaderStreaming)]
    [InlineData("0000003610000000", DetectedProtocol.TTHeaderUnary)]
    [InlineData("0000003610000001", DetectedProtocol.TTHeaderUnary)]
    [InlineData("0000003610000200", DetectedProtocol.TTHeaderUnary)]
    [InlineData("0000002480010001", DetectedProtocol.FramedThrift)]
    [InlineData("7fffffff80010002", DetectedProtocol.FramedThrift)]
    [InlineData("0000000480010001", DetectedProtocol.Unknown)]
    [InlineData("8001000100000008", DetectedProtocol.Unknown)] // unframed ("buffered") Binary
    [InlineData("0000002482210108", DetectedProtocol.Unknown)] // Framed Compact
    [InlineData("0000002410010002", DetectedProtocol.Unknown)]
    [InlineData("68656c6c6f787878", DetectedProtocol.Unknown)]
    [InlineData("0000000000000000", DetectedProtocol.Unknown)]
    public void Classifies_the_first_8_bytes(string hex, DetectedProtocol expected)
    {
        Assert.Equal(expected, ProtocolDetector.Detect(Hex.Parse(hex)));
        Assert.Equal(expected, ProtocolDetector.Detect(Hex.Parse(hex + "deadbeef")));
    }

    [Fact]
    public void T14_fewer_than_8_bytes_is_not_ttstream_yet()
    {
        var frame = Hex.Parse("0000003210000002");
        for (var n = 0; n < 8; n++)
        {
            Assert.Equal(DetectedProtocol.NeedMoreData, ProtocolDetector.Detect(frame.AsSpan(0, n)));
        }
    }

    [Fact]
    public void Http2_prior_knowledge_preface()
    {
        Assert.Equal(DetectedProtocol.Http2, ProtocolDetector.Detect(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")));
        Assert.Equal(DetectedProtocol.Unknown, ProtocolDetector.Detect(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n")));
    }

    [Fact]
    public void T14_random_bytes_with_the_magic_follow_only_the_streaming_bit()
    {
        var random = new Random(14);
        var bytes = new byte[8];
        for (var i = 0; i < 10_000; i++)
        {
            random.NextBytes(bytes);
            bytes[4] = 0x10;
            bytes[5] = 0x00;
            var expected = (bytes[7] & 2) != 0 ? DetectedProtocol.TTHeaderStreaming : DetectedProtocol.TTHeaderUnary;
            Assert.Equal(expected, ProtocolDetector.Detect(bytes));
        }
    }
}
