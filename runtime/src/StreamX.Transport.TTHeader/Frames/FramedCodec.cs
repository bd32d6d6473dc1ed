using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;

namespace StreamX.Transport.TTHeader;

/// <summary>
/// Encodes and decodes Framed Thrift Binary (a 4-byte big-endian length, then a strict TMessage): how a Kitex client
/// sends PingPong calls by default (capture <c>pingpong</c>: <c>00000024 80010001 00000008 "PingPong" 00000001 0c0001
/// 0b0001 00000004 "ping" 00 00</c>, reply <c>… 80010002 … 0c0000 …</c>).
/// </summary>
/// <remarks>Thread safety: stateless.</remarks>
public static class FramedCodec
{
    /// <summary>Writes the 4-byte length and <paramref name="message"/>.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="message">The message.</param>
    public static void Write(IBufferWriter<byte> output, UnaryMessage message)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        var envelope = ThriftMessageEnvelope.Size(message.Method);
        var span = output.GetSpan(4 + envelope);
        BinaryPrimitives.WriteInt32BigEndian(span, envelope + message.Body.Length);
        ThriftMessageEnvelope.Write(span[4..], message.Method, message.Type, message.SequenceId);
        output.Advance(4 + envelope);
        output.Write(message.Body.Span);
    }

    /// <summary>
    /// Null when <paramref name="message"/>, Framed, fits <see cref="FrameLimits.MaxFrameBytes"/> (the length field
    /// included, as <see cref="TryRead"/> counts it); otherwise the problem, naming the size and the limit
    /// (<c>frame of … bytes (payload …) is over the limit of … bytes (FrameLimits.MaxFrameBytes); the peer would close the connection</c>).
    /// </summary>
    internal static string? Describe(UnaryMessage message, FrameLimits limits)
    {
        var frameBytes = 4L + message.EncodedLength;
        return frameBytes > limits.MaxFrameBytes ? FrameLimits.FrameTooLarge(frameBytes, message.EncodedLength, limits.MaxFrameBytes) : null;
    }

    /// <summary>Decodes the Framed message at the start of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">The received bytes; advanced past the message on success, unchanged otherwise.</param>
    /// <param name="limits"><see cref="FrameLimits.MaxFrameBytes"/> bounds the frame (length field included).</param>
    /// <param name="message">The message on success (it owns a copy of its bytes).</param>
    /// <returns><see langword="true"/> if a message was decoded; <see langword="false"/> if more bytes are needed.</returns>
    /// <exception cref="FrameException">
    /// A negative or oversized length, a length too small for a message header, not a strict Binary message
    /// (<c>ReadMessageBegin: bad version</c>), or an invalid message.
    /// </exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, FrameLimits limits, out UnaryMessage? message)
    {
        message = null;
        if (buffer.Length < 4)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[8];
        var have = (int)Math.Min(buffer.Length, 8);
        buffer.Slice(0, have).CopyTo(head);
        var length = BinaryPrimitives.ReadInt32BigEndian(head);
        if (length < 12 || 4L + length > limits.MaxFrameBytes)
        {
            throw new FrameException(string.Create(
                CultureInfo.InvariantCulture,
                $"invalid Framed Thrift length {length}: a message needs 12..{limits.MaxFrameBytes - 4} bytes"));
        }

        if (have < 8)
        {
            return false;
        }

        if (head[4] != 0x80 || head[5] != 0x01)
        {
            throw new FrameException("ReadMessageBegin: bad version");
        }

        if (buffer.Length < 4L + length)
        {
            return false;
        }

        message = UnaryMessage.Decode(buffer.Slice(4, length).ToArray());
        buffer = buffer.Slice(4L + length);
        return true;
    }
}
