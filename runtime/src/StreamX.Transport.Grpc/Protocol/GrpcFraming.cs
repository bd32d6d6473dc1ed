using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;

namespace StreamX.Transport.Grpc;

/// <summary>One length-prefixed message as parsed: the flag byte and the payload (a slice of the input).</summary>
internal readonly record struct GrpcFrame(byte Flag, ReadOnlySequence<byte> Payload);

/// <summary>
/// gRPC's length-prefixed messages: one flag byte (0 plain, 1 compressed, 0x80 a StreamX control
/// message, which is never compressed), a big-endian uint32 length, then the message (for StreamX a
/// bare Thrift Binary struct). The flag is compared as a whole byte: 0x81 is no known flag.
/// </summary>
internal static class GrpcFraming
{
    public const int PrefixLength = 5;

    /// <summary>Writes the prefix and the payload into <paramref name="output"/> (not flushed).</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> payload, byte flag = 0)
    {
        var span = output.GetSpan(PrefixLength + payload.Length);
        span[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)payload.Length);
        payload.CopyTo(span[PrefixLength..]);
        output.Advance(PrefixLength + payload.Length);
    }

    /// <summary>The prefix and payload as one array (one write on a stream).</summary>
    public static byte[] ToArray(ReadOnlySpan<byte> payload, byte flag = 0)
    {
        var bytes = new byte[PrefixLength + payload.Length];
        bytes[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(bytes.AsSpan(PrefixLength));
        return bytes;
    }

    /// <summary>
    /// Takes one complete message off the front of <paramref name="buffer"/>; false when more bytes
    /// are needed. A declared length above <paramref name="maxMessageSize"/> throws
    /// <see cref="GrpcStatusException"/> (RESOURCE_EXHAUSTED) before any of it is buffered.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxMessageSize, out GrpcFrame frame)
    {
        frame = default;
        if (buffer.Length < PrefixLength)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[PrefixLength];
        buffer.Slice(0, PrefixLength).CopyTo(prefix);
        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        if (length > (uint)maxMessageSize)
        {
            throw new GrpcStatusException(GrpcStatusCode.ResourceExhausted, string.Create(CultureInfo.InvariantCulture, $"received message larger than max ({length} vs. {maxMessageSize})"));
        }

        if (buffer.Length < PrefixLength + length)
        {
            return false;
        }

        frame = new GrpcFrame(prefix[0], buffer.Slice(PrefixLength, length));
        buffer = buffer.Slice(PrefixLength + length);
        return true;
    }
}
