using System.Buffers;

namespace StreamX.Transport.TTHeader.Tests.Support;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, the shape a PipeReader hands out.</summary>
public static class Sequences
{
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var segments = new List<byte[]>();
        var previous = 0;
        foreach (var cut in cuts)
        {
            segments.Add(data[previous..cut]);
            previous = cut;
        }

        segments.Add(data[previous..]);
        return FromSegments(segments);
    }

    /// <summary>One byte per segment, with an empty segment between every two, to hit every boundary path.</summary>
    public static ReadOnlySequence<byte> BytewiseWithEmpties(byte[] data)
    {
        var segments = new List<byte[]> { Array.Empty<byte>() };
        foreach (var b in data)
        {
            segments.Add([b]);
            segments.Add([]);
        }

        return FromSegments(segments);
    }

    public static ReadOnlySequence<byte> FromSegments(IReadOnlyList<byte[]> segments)
    {
        if (segments.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(segments[0], 0);
        var last = first;
        for (var i = 1; i < segments.Count; i++)
        {
            last = last.Append(segments[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
