using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace StreamX.Transport.Grpc;

/// <summary>
/// gRPC message compression (grpc/grpc <c>doc/compression.md</c>): each message is compressed on its
/// own and flagged (flag byte 1); the <c>grpc-encoding</c> header of its side of the call names the
/// algorithm.
/// </summary>
public enum GrpcCompression
{
    /// <summary>No compression (<c>identity</c> on the wire).</summary>
    None,

    /// <summary><c>gzip</c>: RFC 1952, one gzip member per message.</summary>
    Gzip,

    /// <summary><c>deflate</c>: gRPC's "deflate" is the zlib format (RFC 1950), not raw deflate.</summary>
    Deflate,
}

/// <summary>
/// The codec behind <see cref="GrpcCompression"/>: encoding names, the compressor, the bounded
/// decompressor, and how a received message's flag byte and its side's <c>grpc-encoding</c> combine.
/// </summary>
internal static class GrpcMessageCodec
{
    /// <summary>The encoding of uncompressed messages.</summary>
    public const string Identity = "identity";

    /// <summary>What StreamX can decode, as sent in <c>grpc-accept-encoding</c>.</summary>
    public const string AcceptEncoding = "identity,gzip,deflate";

    /// <summary>The same for error messages.</summary>
    public const string Supported = "identity, gzip, deflate";

    /// <summary>The flag byte of a compressed message.</summary>
    public const byte CompressedFlag = 1;

    /// <summary>A deflate stream never expands its input more than about 1032 times.</summary>
    private const int MaxRatio = 1032;

    /// <summary>The wire name of an algorithm.</summary>
    public static string Name(GrpcCompression compression) => compression switch
    {
        GrpcCompression.Gzip => "gzip",
        GrpcCompression.Deflate => "deflate",
        _ => Identity,
    };

    /// <summary>Parses a <c>grpc-encoding</c> value: absent, empty and <c>identity</c> are <see cref="GrpcCompression.None"/>; false for an encoding StreamX does not support.</summary>
    public static bool TryParse(string? encoding, out GrpcCompression compression)
    {
        encoding = encoding?.Trim();
        if (string.IsNullOrEmpty(encoding) || encoding.Equals(Identity, StringComparison.OrdinalIgnoreCase))
        {
            compression = GrpcCompression.None;
            return true;
        }

        if (encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            compression = GrpcCompression.Gzip;
            return true;
        }

        if (encoding.Equals("deflate", StringComparison.OrdinalIgnoreCase))
        {
            compression = GrpcCompression.Deflate;
            return true;
        }

        compression = GrpcCompression.None;
        return false;
    }

    /// <summary>
    /// The compression for a response: <paramref name="wanted"/> when the peer listed it in its
    /// <c>grpc-accept-encoding</c> (comma-separated), otherwise none (the spec's rule).
    /// </summary>
    public static GrpcCompression Negotiate(GrpcCompression wanted, string? acceptEncoding)
    {
        if (wanted == GrpcCompression.None || string.IsNullOrEmpty(acceptEncoding))
        {
            return GrpcCompression.None;
        }

        var name = Name(wanted);
        foreach (var range in acceptEncoding.AsSpan().Split(','))
        {
            if (acceptEncoding.AsSpan()[range].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return wanted;
            }
        }

        return GrpcCompression.None;
    }

    /// <summary>
    /// One message as it goes on the wire: compressed with flag 1, or as it is with flag 0 when
    /// <paramref name="compression"/> is none or the message is empty (.NET's compressors write
    /// nothing at all for no input, and the protocol lets any message go uncompressed).
    /// </summary>
    public static (ReadOnlyMemory<byte> Bytes, byte Flag) Encode(ReadOnlyMemory<byte> payload, GrpcCompression compression, CompressionLevel level) =>
        compression == GrpcCompression.None || payload.IsEmpty ? (payload, (byte)0) : (Compress(payload.Span, compression, level), CompressedFlag);

    /// <summary>Compresses one non-empty message into a new array (a fresh compression context, as the protocol requires).</summary>
    public static byte[] Compress(ReadOnlySpan<byte> payload, GrpcCompression compression, CompressionLevel level)
    {
        if (compression == GrpcCompression.None || payload.IsEmpty)
        {
            throw new ArgumentOutOfRangeException(nameof(compression), "nothing to compress: identity, or an empty message");
        }

        using var output = new MemoryStream(Math.Max(64, payload.Length / 2));
        using (var compressor = compression == GrpcCompression.Gzip
                   ? (Stream)new GZipStream(output, level, leaveOpen: true)
                   : new ZLibStream(output, level, leaveOpen: true))
        {
            compressor.Write(payload);
        }

        return output.ToArray();
    }

    /// <summary>
    /// The payload of a received message: as it is for flag 0, decompressed for flag 1 with
    /// <paramref name="encoding"/> (the raw <c>grpc-encoding</c> of the sender's headers). Throws
    /// <see cref="GrpcStatusException"/>: INTERNAL for flag 1 without a compressing encoding, an
    /// encoding StreamX cannot decode, corrupt data or an invalid flag; RESOURCE_EXHAUSTED when the
    /// message decompresses to more than <paramref name="maxMessageSize"/> (named by <paramref name="limitName"/>).
    /// Control messages (0x80) are the caller's to recognise first.
    /// </summary>
    public static ReadOnlyMemory<byte> ReadPayload(in GrpcFrame frame, string? encoding, int maxMessageSize, string limitName, string sender)
    {
        switch (frame.Flag)
        {
            case 0:
                return frame.Payload.ToArray();
            case CompressedFlag:
                if (!TryParse(encoding, out var compression))
                {
                    throw new GrpcStatusException(GrpcStatusCode.Internal, $"received a message compressed with '{encoding}', which StreamX cannot decompress (supported: {Supported})");
                }

                if (compression == GrpcCompression.None)
                {
                    throw new GrpcStatusException(GrpcStatusCode.Internal, string.IsNullOrWhiteSpace(encoding)
                        ? $"received a compressed message (flag byte 1), but the {sender} sent no grpc-encoding"
                        : $"received a compressed message (flag byte 1), but the {sender}'s grpc-encoding is identity");
                }

                return Decompress(frame.Payload, compression, maxMessageSize, limitName);
            default:
                throw new GrpcStatusException(GrpcStatusCode.Internal, "received a message with the invalid flag byte 0x" + frame.Flag.ToString("x2", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Decompresses one message, never holding more than <paramref name="maxMessageSize"/> bytes of
    /// output: inflation stops as soon as the output would pass the limit (RESOURCE_EXHAUSTED naming
    /// <paramref name="limitName"/>). Truncated, trailing or corrupt data is INTERNAL.
    /// </summary>
    public static ReadOnlyMemory<byte> Decompress(ReadOnlySequence<byte> data, GrpcCompression compression, int maxMessageSize, string limitName)
    {
        var name = Name(compression);
        var (header, trailer) = compression == GrpcCompression.Gzip ? (10, 8) : (2, 4);
        if (data.Length < header + trailer)
        {
            throw Corrupt(name, $"{data.Length} byte(s) cannot hold a {name} stream");
        }

        // What the output needs at first: a gzip trailer states the size (the claim is checked below,
        // and never trusted beyond what the input could expand to or the limit), else a guess.
        var compressedLength = (int)data.Length;
        long hint = (long)compressedLength * 4;
        if (compression == GrpcCompression.Gzip)
        {
            Span<byte> size = stackalloc byte[4];
            data.Slice(data.Length - 4).CopyTo(size);
            hint = Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(size), (long)compressedLength * MaxRatio);
        }

        var capacity = (int)Math.Clamp(hint, 1, Math.Max(1, maxMessageSize));
        var buffer = GC.AllocateUninitializedArray<byte>(capacity);
        var length = 0;
        try
        {
            using var input = new SequenceStream(data);
            using var inflater = compression == GrpcCompression.Gzip
                ? (Stream)new GZipStream(input, CompressionMode.Decompress)
                : new ZLibStream(input, CompressionMode.Decompress);
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length >= maxMessageSize)
                    {
                        // At the limit: one more byte means the message is too large.
                        Span<byte> probe = stackalloc byte[1];
                        if (inflater.Read(probe) > 0)
                        {
                            throw TooLarge(name, maxMessageSize, limitName);
                        }

                        break;
                    }

                    var grown = GC.AllocateUninitializedArray<byte>((int)Math.Min((long)buffer.Length * 2, maxMessageSize));
                    buffer.AsSpan(0, length).CopyTo(grown);
                    buffer = grown;
                }

                var read = inflater.Read(buffer, length, buffer.Length - length);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(name, e.Message);
        }

        // .NET's inflaters verify the trailer when they reach the end of the stream, but end quietly
        // when the input runs out first (or ignore what follows the end): the trailer is checked here.
        Span<byte> check = stackalloc byte[4];
        if (compression == GrpcCompression.Gzip)
        {
            data.Slice(data.Length - 4).CopyTo(check);
            if (BinaryPrimitives.ReadUInt32LittleEndian(check) != (uint)length)
            {
                throw Corrupt(name, "the data is truncated, has bytes after its end, or is more than one gzip member");
            }
        }
        else
        {
            data.Slice(data.Length - 4).CopyTo(check);
            if (BinaryPrimitives.ReadUInt32BigEndian(check) != Adler32(buffer.AsSpan(0, length)))
            {
                throw Corrupt(name, "the data is truncated or has bytes after its end");
            }
        }

        return buffer.AsMemory(0, length);
    }

    private static GrpcStatusException TooLarge(string name, int maxMessageSize, string limitName) =>
        new(GrpcStatusCode.ResourceExhausted, string.Create(CultureInfo.InvariantCulture, $"received a {name}-compressed message that decompresses to more than {limitName} ({maxMessageSize} bytes)"));

    private static GrpcStatusException Corrupt(string name, string detail) =>
        new(GrpcStatusCode.Internal, $"received a {name}-compressed message that cannot be decompressed, the compressed data is corrupt: {detail}");

    /// <summary>The Adler-32 checksum that ends a zlib stream (RFC 1950).</summary>
    internal static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint Mod = 65521;
        const int Block = 5552; // the most bytes before the sums can overflow 32 bits
        uint a = 1, b = 0;
        while (!data.IsEmpty)
        {
            var n = Math.Min(Block, data.Length);
            foreach (var x in data[..n])
            {
                a += x;
                b += a;
            }

            a %= Mod;
            b %= Mod;
            data = data[n..];
        }

        return (b << 16) | a;
    }

    /// <summary>A read-only stream over the message's bytes as they lie in the receive buffer (no copy).</summary>
    private sealed class SequenceStream(ReadOnlySequence<byte> data) : Stream
    {
        private ReadOnlySequence<byte> _rest = data;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, _rest.Length);
            _rest.Slice(0, n).CopyTo(buffer);
            _rest = _rest.Slice(n);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
