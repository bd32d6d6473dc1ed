using System.Buffers;
using StreamX.Transport.TTHeader.Tests.Support;
using Xunit.Abstractions;
using StreamX.Runtime.Tests.TestSupport;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>
/// Seeded, deterministic mutation fuzzing: only <see cref="FrameException"/> may escape, and no decode allocates more
/// than a small multiple of the bytes it was given (so a lying length field never allocates what it claims).
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 100_000;

    private static readonly FrameLimits[] LimitChoices =
    [
        default,
        new(MaxHeaderBytes: FrameLimits.MaxSupportedHeaderBytes),
        new(MaxFrameBytes: 256, MaxHeaderBytes: 64),
    ];

    [Fact]
    public void Mutated_frames_only_ever_throw_FrameException_and_allocate_in_proportion_to_the_input()
    {
        var corpus = Corpus();
        var random = new Random(20240611);
        var outcomes = new int[3]; // decoded, need more, FrameException
        long worstRatioInput = 0;
        long worstAllocated = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(random, corpus[random.Next(corpus.Count)]);
            var limits = LimitChoices[random.Next(LimitChoices.Length)];
            var sequence = random.Next(4) == 0 && input.Length > 1
                ? Sequences.Split(input, random.Next(1, input.Length))
                : new ReadOnlySequence<byte>(input);

            var before = GC.GetAllocatedBytesForCurrentThread();
            int outcome;
            try
            {
                outcome = FrameCodec.TryRead(ref sequence, limits, out _) ? 0 : 1;
            }
            catch (FrameException)
            {
                outcome = 2;
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {i}: {e.GetType().Name} escaped for input {Hex.Of(input)}: {e}");
                throw;
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            outcomes[outcome]++;
            var bound = 32L * 1024 + (32L * input.Length);
            if (allocated > bound)
            {
                Assert.Fail($"iteration {i}: decoding {input.Length} bytes allocated {allocated} bytes (bound {bound}): {Hex.Of(input.AsSpan(0, Math.Min(64, input.Length)))}");
            }

            if (allocated > worstAllocated)
            {
                worstAllocated = allocated;
                worstRatioInput = input.Length;
            }
        }

        output.WriteLine($"decoded/more/error = {string.Join('/', outcomes)}; most allocated: {worstAllocated} B for a {worstRatioInput} B input");

        // The mutations must exercise all three outcomes substantially, or the test proves little.
        Assert.All(outcomes, count => Assert.True(count > Iterations / 50, $"outcomes decoded/more/error = {string.Join('/', outcomes)}"));
        Assert.True(worstAllocated > 0, $"worst {worstAllocated} B for {worstRatioInput} B");
    }

    [Fact]
    public void Mutated_unary_packets_and_exception_payloads_only_throw_FrameException()
    {
        var random = new Random(7);
        var unary = Captures.Of("pingpong-ttheader").Select(f => f.Raw).ToList();
        var framed = Captures.Of("pingpong").Select(f => f.Raw).ToList();
        var exceptions = Captures.Streaming
            .Select(f => Codec.Decode(f.Raw))
            .Where(f => f.Type is FrameType.Rst || (f.Type is FrameType.Trailer && !f.Payload.IsEmpty))
            .Select(f => f.Payload.ToArray())
            .ToList();
        Assert.NotEmpty(exceptions);

        for (var i = 0; i < 20_000; i++)
        {
            var kind = i % 3;
            var source = kind switch { 0 => unary, 1 => framed, _ => exceptions };
            var input = Mutate(random, source[random.Next(source.Count)]);
            try
            {
                var buffer = new ReadOnlySequence<byte>(input);
                switch (kind)
                {
                    case 0:
                        UnaryTTHeaderCodec.TryRead(ref buffer, default, out _);
                        break;
                    case 1:
                        FramedCodec.TryRead(ref buffer, default, out _);
                        break;
                    default:
                        ExceptionPayload.Decode(input);
                        break;
                }
            }
            catch (FrameException)
            {
            }
        }
    }

    [Fact]
    public void A_lying_length_within_the_limit_waits_without_allocating()
    {
        var bytes = new FrameBuilder { Length = FrameLimits.DefaultMaxFrameBytes - 4 }.Ints((9, "Echo"), (27, "3")).Build();
        var buffer = new ReadOnlySequence<byte>(bytes);
        FrameCodec.TryRead(ref buffer, default, out _); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Assert.False(FrameCodec.TryRead(ref buffer, default, out _));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Decoding_a_data_frame_allocates_only_the_frame_and_its_payload()
    {
        var bytes = Hex.Parse(SpecVectorTests.Vectors()["V2"].Hex);
        var buffer = new ReadOnlySequence<byte>(bytes);
        FrameCodec.TryRead(ref buffer, default, out _); // warm up (method-name cache)
        var before = GC.GetAllocatedBytesForCurrentThread();
        buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(FrameCodec.TryRead(ref buffer, default, out _));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The Frame object and the 13-byte payload array; no header dictionaries, no strings.
        Assert.True(allocated <= 160, $"{allocated} bytes");
    }

    [Fact]
    public void Deeply_nested_exception_payload_does_not_overflow_the_stack()
    {
        // An unknown field of nested structs, 100,000 deep: the Thrift reader's depth limit stops it.
        var nested = new List<byte>(Hex.Parse("80010003" + "000000014d" + "00000001"));
        for (var i = 0; i < 100_000; i++)
        {
            nested.AddRange([0x0c, 0x00, 0x05]);
        }

        Assert.Throws<FrameException>(() => ExceptionPayload.Decode(nested.ToArray()));
    }

    private static List<byte[]> Corpus()
    {
        var corpus = SpecVectorTests.Vectors().Values.Select(v => Hex.Parse(v.Hex)).ToList();
        corpus.AddRange(Captures.Streaming.Select(f => f.Raw));
        corpus.Add(new FrameBuilder().Token("tok").Strings(("a", "1"), ("b", "2")).Raw(0).Ints((1, "x"), (9, "M"), (27, "2")).Build());
        return corpus;
    }

    private static byte[] Mutate(Random random, byte[] source)
    {
        var bytes = (byte[])source.Clone();
        switch (random.Next(9))
        {
            case 0: // bit flips
                for (var n = random.Next(1, 5); n > 0; n--)
                {
                    var at = random.Next(bytes.Length);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 1: // truncation
                return bytes[..random.Next(bytes.Length)];
            case 2: // LENGTH lies
                WriteU32(bytes, 0, random.Next(4) switch
                {
                    0 => (uint)random.Next(0, 64),
                    1 => uint.MaxValue - (uint)random.Next(16),
                    2 => (uint)random.Next(0x1000000 - 64, 0x1000000 + 64),
                    _ => (uint)(bytes.Length - 4 + random.Next(-20, 20)),
                });
                return bytes;
            case 3: // HEADER SIZE lies
                bytes[12] = (byte)random.Next(256);
                bytes[13] = (byte)random.Next(256);
                return bytes;
            case 4: // overwrite a run of header bytes with random values (block ids, counts, string lengths)
                {
                    var at = random.Next(14, Math.Max(15, Math.Min(bytes.Length, 60)));
                    for (var n = random.Next(1, 8); n > 0 && at < bytes.Length; n--, at++)
                    {
                        bytes[at] = (byte)random.Next(256);
                    }

                    return bytes;
                }

            case 5: // random bytes after a valid prefix
                {
                    var keep = random.Next(Math.Min(bytes.Length, 20));
                    var tail = new byte[random.Next(0, 200)];
                    random.NextBytes(tail);
                    return [.. bytes[..keep], .. tail];
                }

            case 6: // completely random input, sometimes with the magic and streaming flag
                {
                    var noise = new byte[random.Next(0, 300)];
                    random.NextBytes(noise);
                    if (noise.Length >= 8 && random.Next(2) == 0)
                    {
                        noise[4] = 0x10;
                        noise[5] = 0x00;
                        noise[7] |= 0x02;
                        WriteU32(noise, 0, (uint)(noise.Length - 4));
                    }

                    return noise;
                }

            case 7: // insert or delete a byte inside the header, keeping LENGTH consistent
                {
                    var at = random.Next(14, bytes.Length);
                    var changed = random.Next(2) == 0
                        ? [.. bytes[..at], (byte)random.Next(256), .. bytes[at..]]
                        : bytes[..at].Concat(bytes[(at + 1)..]).ToArray();
                    WriteU32(changed, 0, (uint)(changed.Length - 4));
                    return changed;
                }

            default: // a count field pushed to 0xFFFF
                {
                    var at = random.Next(16, Math.Max(17, bytes.Length - 2));
                    if (at + 1 < bytes.Length)
                    {
                        bytes[at] = 0xFF;
                        bytes[at + 1] = 0xFF;
                    }

                    return bytes;
                }
        }
    }

    private static void WriteU32(byte[] bytes, int at, uint value)
    {
        if (bytes.Length >= at + 4)
        {
            bytes[at] = (byte)(value >> 24);
            bytes[at + 1] = (byte)(value >> 16);
            bytes[at + 2] = (byte)(value >> 8);
            bytes[at + 3] = (byte)value;
        }
    }
}
