using System.Buffers;

namespace StreamX.Runtime.Tests.TestSupport;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that hands out small, separate chunks (like a PipeWriter with tiny segments),
/// so writers must cope with running out of room mid-value. Its output doubles as a multi-segment sequence.
/// </summary>
public sealed class ChunkedBufferWriter(int chunkSize) : IBufferWriter<byte>
{
    private readonly List<byte[]> _chunks = [];
    private byte[]? _current;
    private int _used;

    public int GetSpanCalls { get; private set; }

    public void Advance(int count)
    {
        if (_current is null || count < 0 || _used + count > _current.Length)
        {
            throw new InvalidOperationException($"Advance({count}) beyond the span handed out.");
        }

        _used += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        GetSpanCalls++;
        Seal();
        _current = new byte[Math.Max(sizeHint, chunkSize)];
        _used = 0;
        return _current;
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public byte[] ToArray() => [.. ToSegments().SelectMany(s => s)];

    public ReadOnlySequence<byte> ToSequence() => Sequences.FromSegments(ToSegments());

    private List<byte[]> ToSegments()
    {
        Seal();
        return [.. _chunks];
    }

    private void Seal()
    {
        if (_current is not null)
        {
            _chunks.Add(_current[.._used]);
            _current = null;
        }
    }
}
