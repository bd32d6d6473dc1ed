using System.Buffers;
using System.IO.Compression;
using System.Text;
using StreamX.Transport.Grpc;

namespace StreamX.Transport.Grpc.Tests;

/// <summary>The message codec on its own: round trips, the formats on the wire, the bounded inflater, corrupt input, flag rules.</summary>
public sealed class GrpcCompressionTests
{
    private const int Limit = 1024 * 1024;

    public static TheoryData<GrpcCompression> Algorithms => new() { GrpcCompression.Gzip, GrpcCompression.Deflate };

    private static byte[] Compressible(int length) =>
        Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, length / 8 + 1).Select(i => $"msg{i % 1000,5}")))[..length];

    private static byte[] Random(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    private static ReadOnlyMemory<byte> Decompress(byte[] data, GrpcCompression compression, int limit = Limit) =>
        GrpcMessageCodec.Decompress(new ReadOnlySequence<byte>(data), compression, limit, "TheLimit");

    /// <summary>What another implementation would send: .NET's own streams, independent of the codec.</summary>
    private static byte[] Reference(GrpcCompression compression, Action<Stream> write)
    {
        using var output = new MemoryStream();
        using (var z = compression == GrpcCompression.Gzip ? (Stream)new GZipStream(output, CompressionLevel.Optimal, true) : new ZLibStream(output, CompressionLevel.Optimal, true))
        {
            write(z);
        }

        return output.ToArray();
    }

    private static GrpcStatusException Fails(Func<ReadOnlyMemory<byte>> action) => Assert.Throws<GrpcStatusException>(() => action());

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void RoundTrip_EverySize_AndBothKindsOfContent(GrpcCompression compression)
    {
        foreach (var payload in new[] { [42], Compressible(1000), Random(1000), Compressible(300_000), Random(70_000) })
        {
            foreach (var level in new[] { CompressionLevel.Fastest, CompressionLevel.Optimal, CompressionLevel.NoCompression })
            {
                var compressed = GrpcMessageCodec.Compress(payload, compression, level);
                Assert.Equal(payload, Decompress(compressed, compression).ToArray());
            }
        }

        Assert.True(GrpcMessageCodec.Compress(Compressible(300_000), compression, CompressionLevel.Fastest).Length < 30_000);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Encode_CompressesWithFlag1_ButSendsAnEmptyMessageAsItIs(GrpcCompression compression)
    {
        var (bytes, flag) = GrpcMessageCodec.Encode(Compressible(100), compression, CompressionLevel.Fastest);
        Assert.Equal(1, flag);
        Assert.Equal(Compressible(100), Decompress(bytes.ToArray(), compression).ToArray());

        // .NET's compressors write no bytes at all for an empty input, which no peer could decode; the
        // protocol lets any message go uncompressed.
        (bytes, flag) = GrpcMessageCodec.Encode(ReadOnlyMemory<byte>.Empty, compression, CompressionLevel.Fastest);
        Assert.Equal(0, flag);
        Assert.True(bytes.IsEmpty);

        (bytes, flag) = GrpcMessageCodec.Encode(Compressible(100), GrpcCompression.None, CompressionLevel.Fastest);
        Assert.Equal(0, flag);
        Assert.Equal(Compressible(100), bytes.ToArray());
    }

    [Fact]
    public void Wire_GzipIsRfc1952_DeflateIsZlibRfc1950_NotRawDeflate()
    {
        var payload = Compressible(5000);
        var gzip = GrpcMessageCodec.Compress(payload, GrpcCompression.Gzip, CompressionLevel.Fastest);
        Assert.Equal([0x1f, 0x8b, 8], gzip[..3]); // gzip magic, CM = deflate
        using (var z = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress))
        using (var o = new MemoryStream())
        {
            z.CopyTo(o);
            Assert.Equal(payload, o.ToArray());
        }

        var zlib = GrpcMessageCodec.Compress(payload, GrpcCompression.Deflate, CompressionLevel.Fastest);
        Assert.Equal(8, zlib[0] & 0x0f); // CM = deflate
        Assert.Equal(0, ((zlib[0] << 8) | zlib[1]) % 31); // the zlib header check
        using (var z = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress))
        using (var o = new MemoryStream())
        {
            z.CopyTo(o);
            Assert.Equal(payload, o.ToArray());
        }

        // And what other implementations send decodes.
        Assert.Equal(payload, Decompress(Reference(GrpcCompression.Gzip, z => z.Write(payload)), GrpcCompression.Gzip).ToArray());
        Assert.Equal(payload, Decompress(Reference(GrpcCompression.Deflate, z => z.Write(payload)), GrpcCompression.Deflate).ToArray());
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Decompress_ReadsAMessageSplitAcrossBufferSegments(GrpcCompression compression)
    {
        var payload = Compressible(200_000);
        var compressed = GrpcMessageCodec.Compress(payload, compression, CompressionLevel.Fastest);
        var sequence = Segments.Of(compressed, 7);
        Assert.False(sequence.IsSingleSegment);
        Assert.Equal(payload, GrpcMessageCodec.Decompress(sequence, compression, Limit, "TheLimit").ToArray());
    }

    [Fact]
    public void Adler32_MatchesTheReferenceValues()
    {
        Assert.Equal(0x11E60398u, GrpcMessageCodec.Adler32(Encoding.ASCII.GetBytes("Wikipedia")));
        Assert.Equal(1u, GrpcMessageCodec.Adler32([]));
        var big = Random(100_000); // past the 5552-byte blocks
        var zlib = Reference(GrpcCompression.Deflate, z => z.Write(big));
        Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(zlib.AsSpan(zlib.Length - 4)), GrpcMessageCodec.Adler32(big));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Limit_AMessageOfExactlyTheLimitPasses_OneByteMoreIsResourceExhausted(GrpcCompression compression)
    {
        var atLimit = Compressible(4096);
        Assert.Equal(4096, Decompress(GrpcMessageCodec.Compress(atLimit, compression, CompressionLevel.Fastest), compression, 4096).Length);

        var e = Fails(() => Decompress(GrpcMessageCodec.Compress(Compressible(4097), compression, CompressionLevel.Fastest), compression, 4096));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, e.StatusCode);
        Assert.Equal($"received a {(compression == GrpcCompression.Gzip ? "gzip" : "deflate")}-compressed message that decompresses to more than TheLimit (4096 bytes)", e.Detail);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Bomb_StopsAtTheLimit_WithoutAllocatingWhatItExpandsTo(GrpcCompression compression)
    {
        // 64 MiB of zeros in ~64 KB.
        var zeros = new byte[64 * 1024];
        var bomb = Reference(compression, z =>
        {
            for (var i = 0; i < 1024; i++)
            {
                z.Write(zeros);
            }
        });
        Assert.InRange(bomb.Length, 1, 1024 * 1024);

        Decompress(GrpcMessageCodec.Compress([1, 2, 3], compression, CompressionLevel.Fastest), compression); // warm up (JIT, pools)
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Fails(() => Decompress(bomb, compression));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(GrpcStatusCode.ResourceExhausted, e.StatusCode);
        Assert.Contains("TheLimit (1048576 bytes)", e.Detail, StringComparison.Ordinal);
        // The output buffer doubles up to the limit (1 + ½ + ¼ … MiB) and no further: nowhere near 64 MiB.
        Assert.InRange(allocated, 1, 3L * Limit);
    }

    [Fact]
    public void Bomb_AGzipTrailerClaimingASmallSize_DoesNotMatter()
    {
        // The ISIZE field only sizes the first buffer; a lie is caught by the limit, then by the trailer check.
        var bomb = Reference(GrpcCompression.Gzip, z => z.Write(new byte[4 * Limit]));
        bomb[^4] = 16;
        bomb[^3] = bomb[^2] = bomb[^1] = 0;
        Assert.Equal(GrpcStatusCode.ResourceExhausted, Fails(() => Decompress(bomb, GrpcCompression.Gzip)).StatusCode);
    }

    public static TheoryData<GrpcCompression, string> CorruptCases()
    {
        var data = new TheoryData<GrpcCompression, string>();
        foreach (var c in new[] { GrpcCompression.Gzip, GrpcCompression.Deflate })
        {
            foreach (var kind in new[] { "garbage", "empty", "short", "truncated-1", "truncated-4", "truncated-8", "truncated-half", "trailing-bytes", "flipped-middle", "flipped-last", "second-stream" })
            {
                data.Add(c, kind);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CorruptCases))]
    public void Corrupt_IsInternal_SayingTheDataIsCorrupt(GrpcCompression compression, string kind)
    {
        var good = GrpcMessageCodec.Compress(Compressible(3000), compression, CompressionLevel.Fastest);
        var bad = kind switch
        {
            "garbage" => Encoding.ASCII.GetBytes("this is not compressed at all, not even a little"),
            "empty" => [],
            "short" => good[..5],
            "truncated-1" => good[..^1],
            "truncated-4" => good[..^4],
            "truncated-8" => good[..^8],
            "truncated-half" => good[..(good.Length / 2)],
            "trailing-bytes" => [.. good, 1, 2, 3, 4],
            "flipped-middle" => Flip(good, good.Length / 2),
            "flipped-last" => Flip(good, good.Length - 5),
            "second-stream" => [.. good, .. GrpcMessageCodec.Compress(Compressible(10), compression, CompressionLevel.Fastest)],
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var e = Fails(() => Decompress(bad, compression));
        Assert.Equal(GrpcStatusCode.Internal, e.StatusCode);
        Assert.Contains("the compressed data is corrupt", e.Detail, StringComparison.Ordinal);
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0x01;
        return copy;
    }

    private static GrpcFrame Frame(byte flag, byte[] payload) => new(flag, new ReadOnlySequence<byte>(payload));

    [Fact]
    public void Flags_PlainPassesWhateverTheEncoding_CompressedIsDecodedByTheEncoding()
    {
        var payload = Compressible(500);
        foreach (var encoding in new[] { null, "", "identity", "gzip", "deflate", "br" })
        {
            Assert.Equal(payload, GrpcMessageCodec.ReadPayload(Frame(0, payload), encoding, Limit, "L", "server").ToArray());
        }

        Assert.Equal(payload, GrpcMessageCodec.ReadPayload(Frame(1, GrpcMessageCodec.Compress(payload, GrpcCompression.Gzip, CompressionLevel.Fastest)), "gzip", Limit, "L", "server").ToArray());
        Assert.Equal(payload, GrpcMessageCodec.ReadPayload(Frame(1, GrpcMessageCodec.Compress(payload, GrpcCompression.Deflate, CompressionLevel.Fastest)), "deflate", Limit, "L", "server").ToArray());

        // The same bytes under the other algorithm are corrupt, not silently misread.
        var e = Assert.Throws<GrpcStatusException>(() => GrpcMessageCodec.ReadPayload(Frame(1, GrpcMessageCodec.Compress(payload, GrpcCompression.Deflate, CompressionLevel.Fastest)), "gzip", Limit, "L", "server"));
        Assert.Equal(GrpcStatusCode.Internal, e.StatusCode);
    }

    [Theory]
    [InlineData(null, "received a compressed message (flag byte 1), but the server sent no grpc-encoding")]
    [InlineData("", "received a compressed message (flag byte 1), but the server sent no grpc-encoding")]
    [InlineData("identity", "received a compressed message (flag byte 1), but the server's grpc-encoding is identity")]
    [InlineData("br", "received a message compressed with 'br', which StreamX cannot decompress (supported: identity, gzip, deflate)")]
    public void Flags_CompressedWithoutAUsableEncoding_IsInternal(string? encoding, string message)
    {
        var gzip = GrpcMessageCodec.Compress([1, 2, 3], GrpcCompression.Gzip, CompressionLevel.Fastest);
        var e = Assert.Throws<GrpcStatusException>(() => GrpcMessageCodec.ReadPayload(Frame(1, gzip), encoding, Limit, "L", "server"));
        Assert.Equal(GrpcStatusCode.Internal, e.StatusCode);
        Assert.Equal(message, e.Detail);
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x80)] // a control message is the caller's to recognise; here it is no message flag
    [InlineData(0x81)] // control and compressed at once: no such thing
    [InlineData(0xff)]
    public void Flags_AnythingElse_IsInternal_NamingTheByte(byte flag)
    {
        var e = Assert.Throws<GrpcStatusException>(() => GrpcMessageCodec.ReadPayload(Frame(flag, [1]), "gzip", Limit, "L", "client"));
        Assert.Equal(GrpcStatusCode.Internal, e.StatusCode);
        Assert.Equal($"received a message with the invalid flag byte 0x{flag:x2}", e.Detail);
    }

    [Theory]
    [InlineData(null, true, GrpcCompression.None)]
    [InlineData("", true, GrpcCompression.None)]
    [InlineData("identity", true, GrpcCompression.None)]
    [InlineData("gzip", true, GrpcCompression.Gzip)]
    [InlineData(" GZip ", true, GrpcCompression.Gzip)]
    [InlineData("deflate", true, GrpcCompression.Deflate)]
    [InlineData("snappy", false, GrpcCompression.None)]
    [InlineData("gzip,deflate", false, GrpcCompression.None)]
    public void Encoding_Parses(string? value, bool supported, GrpcCompression expected)
    {
        Assert.Equal(supported, GrpcMessageCodec.TryParse(value, out var compression));
        Assert.Equal(expected, compression);
    }

    [Theory]
    [InlineData(GrpcCompression.Gzip, "identity,deflate,gzip", GrpcCompression.Gzip)] // what grpc-js sends
    [InlineData(GrpcCompression.Deflate, "identity, deflate", GrpcCompression.Deflate)]
    [InlineData(GrpcCompression.Gzip, "identity,deflate", GrpcCompression.None)]
    [InlineData(GrpcCompression.Gzip, "identity", GrpcCompression.None)]
    [InlineData(GrpcCompression.Gzip, "", GrpcCompression.None)]
    [InlineData(GrpcCompression.Gzip, null, GrpcCompression.None)]
    [InlineData(GrpcCompression.Gzip, "gzipx", GrpcCompression.None)]
    [InlineData(GrpcCompression.None, "gzip", GrpcCompression.None)]
    public void Negotiate_CompressesOnlyWithWhatTheClientAccepts(GrpcCompression wanted, string? accept, GrpcCompression expected) =>
        Assert.Equal(expected, GrpcMessageCodec.Negotiate(wanted, accept));

    /// <summary>A byte sequence cut into segments of a given size (as a pipe hands over a message that spans buffers).</summary>
    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Of(byte[] bytes, int size)
        {
            var first = new Segments(bytes.AsMemory(0, Math.Min(size, bytes.Length)), 0);
            var last = first;
            for (var at = size; at < bytes.Length; at += size)
            {
                var next = new Segments(bytes.AsMemory(at, Math.Min(size, bytes.Length - at)), at);
                last.Next = next;
                last = next;
            }

            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}
