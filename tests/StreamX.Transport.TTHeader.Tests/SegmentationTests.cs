using System.Buffers;
using StreamX.Transport.TTHeader.Tests.Support;
using StreamX.Runtime.Tests.TestSupport;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>TryRead over multi-segment sequences and partial input (a PipeReader's view).</summary>
public class SegmentationTests
{
    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var name in SpecVectorTests.Vectors().Keys)
        {
            data.Add(name);
        }

        // A few captured frames with several string headers and exception payloads.
        data.Add("server-meta#1");
        data.Add("cancel#7");
        data.Add("timeout#9");
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Splitting_at_every_offset_gives_the_same_frame(string sample)
    {
        var bytes = Bytes(sample);
        var expected = Codec.Decode(bytes);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            Codec.AssertSame(expected, Codec.Decode(Sequences.Split(bytes, cut)));
        }

        for (var cut = 1; cut < bytes.Length - 1; cut += 3)
        {
            Codec.AssertSame(expected, Codec.Decode(Sequences.Split(bytes, cut, Math.Min(bytes.Length, cut + 5))));
        }

        Codec.AssertSame(expected, Codec.Decode(Sequences.BytewiseWithEmpties(bytes)));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_frame_arriving_byte_by_byte_needs_more_data_until_complete(string sample)
    {
        var bytes = Bytes(sample);
        for (var n = 0; n < bytes.Length; n++)
        {
            var buffer = Sequences.BytewiseWithEmpties(bytes[..n]);
            var before = buffer;
            Assert.False(FrameCodec.TryRead(ref buffer, default, out var frame));
            Assert.Null(frame);
            Assert.Equal(before, buffer);
        }

        var complete = new ReadOnlySequence<byte>([.. bytes, 0x00, 0x00]);
        Assert.True(FrameCodec.TryRead(ref complete, default, out _));
        Assert.Equal(2, complete.Length);
    }

    private static byte[] Bytes(string sample) =>
        sample.StartsWith('V') ? Hex.Parse(SpecVectorTests.Vectors()[sample].Hex) : Captures.ById(sample).Raw;
}
