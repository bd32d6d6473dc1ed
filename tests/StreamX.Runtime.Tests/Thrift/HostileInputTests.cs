using System.Buffers;
using StreamX.Runtime.Tests.TestSupport;
using StreamX.Thrift;

namespace StreamX.Runtime.Tests.Thrift;

/// <summary>
/// Deterministic fuzzing: thousands of random and mutated inputs through every decoding entry point. The only
/// exception allowed out of a reader is <see cref="ThriftProtocolException"/> (no IndexOutOfRange, Overflow,
/// OutOfMemory, InvalidCast, ArgumentException from collections, ...).
/// </summary>
public class HostileInputTests
{
    private const int InputsPerProtocol = 4000;

    private static readonly byte[] Interesting = [0x00, 0x01, 0x02, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x19, 0x1c, 0x7f, 0x80, 0x82, 0xf0, 0xff];

    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Only_protocol_exceptions_escape(ThriftProtocol protocol)
    {
        var random = new Random(20240611 + (int)protocol);
        var corpus = Corpus(protocol);
        var outcomes = new Dictionary<string, int>();
        var tight = new ThriftReaderOptions { MaxDepth = 6, MaxStringBytes = 64, MaxContainerCount = 16 };

        for (var n = 0; n < InputsPerProtocol; n++)
        {
            var input = Mutate(random, corpus);
            var cut = input.Length == 0 ? 0 : random.Next(input.Length + 1);
            var options = n % 4 == 0 ? tight : default;

            Run(outcomes, input, "AllTypes/span", () => ThriftSerializer.Deserialize<AllTypes>(input, protocol, options, out _));
            Run(outcomes, input, "AllTypes/sequence", () => ThriftSerializer.Deserialize<AllTypes>(Sequences.Split(input, cut), protocol, options, out _));
            Run(outcomes, input, "generic", () => Codec.Decode(protocol, input, new Events.Reader(), options));
            Run(outcomes, input, "skip", () => Codec.Decode(protocol, Sequences.Split(input, cut), new SkipAll(), options));
            Run(outcomes, input, "exception-message", () => Codec.Decode(protocol, input, new ReadExceptionMessage(), options));
        }

        // Sanity: the mutations reach both outcomes and several error kinds, so the loop tested something.
        Assert.True(outcomes.GetValueOrDefault("ok") > 100, Describe(outcomes));
        Assert.True(outcomes.Count(kv => kv.Key != "ok") >= 4, Describe(outcomes));
    }

    private static void Run(Dictionary<string, int> outcomes, byte[] input, string entry, Action decode)
    {
        string outcome;
        try
        {
            decode();
            outcome = "ok";
        }
        catch (ThriftProtocolException e)
        {
            outcome = e.Kind.ToString();
            Assert.InRange(e.Offset, -1, input.Length);
        }
        catch (Exception e)
        {
            Assert.Fail($"{entry}: {e.GetType().Name} escaped for input {Hex.Format(input)}\n{e}");
            throw;
        }

        outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
    }

    private static string Describe(Dictionary<string, int> outcomes) =>
        string.Join(", ", outcomes.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value}"));

    private static List<byte[]> Corpus(ThriftProtocol protocol)
    {
        var exception = new ArrayBufferWriter<byte>();
        Codec.Encode(protocol, new ExceptionMessage(), exception);
        return
        [
            ThriftSerializer.Serialize(AllTypes.Full(), protocol),
            ThriftSerializer.Serialize(new AllTypes { Flag = true, LateFlag = false, Bools = [true], Str = "x" }, protocol),
            ThriftSerializer.Serialize(new TestRequest(1, "hello world"), protocol),
            exception.WrittenSpan.ToArray(),
        ];
    }

    private static byte[] Mutate(Random random, List<byte[]> corpus)
    {
        switch (random.Next(7))
        {
            case 0:
            {
                var bytes = new byte[random.Next(0, 64)];
                random.NextBytes(bytes);
                return bytes;
            }

            case 1:
            {
                // Random bytes drawn from type ids, stops, and varint/sign edge bytes.
                var bytes = new byte[random.Next(0, 64)];
                for (var i = 0; i < bytes.Length; i++)
                {
                    bytes[i] = Interesting[random.Next(Interesting.Length)];
                }

                return bytes;
            }

            case 2:
            {
                var bytes = (byte[])corpus[random.Next(corpus.Count)].Clone();
                for (var flips = random.Next(1, 5); flips > 0 && bytes.Length > 0; flips--)
                {
                    bytes[random.Next(bytes.Length)] = random.Next(2) == 0 ? (byte)random.Next(256) : Interesting[random.Next(Interesting.Length)];
                }

                return bytes;
            }

            case 3:
            {
                var bytes = corpus[random.Next(corpus.Count)];
                return bytes[..random.Next(bytes.Length + 1)];
            }

            case 4:
            {
                // Overwrite four bytes with a huge or negative length/count.
                var bytes = (byte[])corpus[random.Next(corpus.Count)].Clone();
                byte[][] patches = [[0x7f, 0xff, 0xff, 0xff], [0xff, 0xff, 0xff, 0xff], [0x80, 0x00, 0x00, 0x00], [0xff, 0xff, 0xff, 0x0f], [0x00, 0x10, 0x00, 0x00]];
                var patch = patches[random.Next(patches.Length)];
                var at = random.Next(Math.Max(1, bytes.Length - 3));
                for (var i = 0; i < patch.Length && at + i < bytes.Length; i++)
                {
                    bytes[at + i] = patch[i];
                }

                return bytes;
            }

            case 5:
            {
                var bytes = corpus[random.Next(corpus.Count)];
                var at = random.Next(bytes.Length + 1);
                var insert = new byte[random.Next(1, 8)];
                random.NextBytes(insert);
                return [.. bytes[..at], .. insert, .. bytes[at..]];
            }

            default:
            {
                // Deep nesting openers, then garbage.
                byte[] opener = random.Next(3) switch { 0 => [0x0f, 0, 0, 0, 1], 1 => [0x19], _ => [0x0c, 0x00, 0x01] };
                var bytes = new List<byte>();
                for (var i = random.Next(1, 300); i > 0; i--)
                {
                    bytes.AddRange(opener);
                }

                for (var i = random.Next(0, 8); i > 0; i--)
                {
                    bytes.Add((byte)random.Next(256));
                }

                return [.. bytes];
            }
        }
    }

    private sealed class SkipAll : IReadScript<long>
    {
        public long Read<TReader>(ref TReader reader)
            where TReader : IThriftReader, allows ref struct
        {
            reader.Skip(ThriftType.Struct);
            return reader.Consumed;
        }
    }

    private sealed class ReadExceptionMessage : IReadScript<int>
    {
        public int Read<TReader>(ref TReader reader)
            where TReader : IThriftReader, allows ref struct => ThriftApplicationException.ReadMessage(ref reader, out _).Type;
    }

    private sealed class ExceptionMessage : IWriteScript
    {
        public void Write<TWriter>(ref TWriter writer)
            where TWriter : IThriftWriter, allows ref struct =>
            new ThriftApplicationException(12007, "user canceled").WriteMessage(ref writer, "Echo", 9);
    }
}
