using System.Buffers.Binary;
using System.IO.Compression;

namespace StreamX.Transport.Grpc.Tests;

/// <summary>Hand-made gRPC wire bytes for tests that play a peer.</summary>
internal static class Wire
{
    /// <summary>One length-prefixed message: flag byte, big-endian length, payload.</summary>
    public static byte[] Frame(byte[] payload, byte flag = 0)
    {
        var bytes = new byte[5 + payload.Length];
        bytes[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(bytes, 5);
        return bytes;
    }

    /// <summary>The length-prefixed messages of a body, as (flag, payload) pairs; fails on a body that ends inside one.</summary>
    public static List<(byte Flag, byte[] Payload)> Frames(byte[] body)
    {
        var frames = new List<(byte, byte[])>();
        var at = 0;
        while (at < body.Length)
        {
            Assert.True(body.Length - at >= 5, $"the body ends inside a message prefix at {at}");
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(at + 1));
            Assert.True(body.Length - at - 5 >= length, $"the body ends inside a message at {at}");
            frames.Add((body[at], body[(at + 5)..(at + 5 + length)]));
            at += 5 + length;
        }

        return frames;
    }

    /// <summary>gzip (RFC 1952) with .NET's GZipStream: what any gzip implementation produces, not StreamX's codec.</summary>
    public static byte[] Gzip(byte[] data) => Compress(data, output => new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true));

    /// <summary>gRPC's "deflate" (the zlib format, RFC 1950) with .NET's ZLibStream.</summary>
    public static byte[] Zlib(byte[] data) => Compress(data, output => new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true));

    /// <summary>Decompresses gzip with .NET's GZipStream.</summary>
    public static byte[] Gunzip(byte[] data) => Decompress(new GZipStream(new MemoryStream(data), CompressionMode.Decompress));

    /// <summary>Decompresses zlib with .NET's ZLibStream.</summary>
    public static byte[] Unzlib(byte[] data) => Decompress(new ZLibStream(new MemoryStream(data), CompressionMode.Decompress));

    /// <summary>A gzip stream of <paramref name="size"/> zero bytes (a "zip bomb" when the size is far above a limit).</summary>
    public static byte[] GzipZeros(int size) => Compress(null, output =>
    {
        var z = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
        var zeros = new byte[64 * 1024];
        for (var left = size; left > 0; left -= zeros.Length)
        {
            z.Write(zeros, 0, Math.Min(left, zeros.Length));
        }

        return z;
    });

    private static byte[] Compress(byte[]? data, Func<Stream, Stream> open)
    {
        using var output = new MemoryStream();
        using (var z = open(output))
        {
            if (data is not null)
            {
                z.Write(data);
            }
        }

        return output.ToArray();
    }

    private static byte[] Decompress(Stream z)
    {
        using (z)
        {
            using var output = new MemoryStream();
            z.CopyTo(output);
            return output.ToArray();
        }
    }
}
