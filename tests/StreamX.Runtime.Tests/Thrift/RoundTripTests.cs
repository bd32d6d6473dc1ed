using System.Buffers;
using StreamX.Runtime.Tests.TestSupport;
using StreamX.Thrift;

namespace StreamX.Runtime.Tests.Thrift;

public class RoundTripTests
{
    public static readonly TheoryData<ThriftProtocol, string> Cases = new()
    {
        { ThriftProtocol.Binary, "full" },
        { ThriftProtocol.Binary, "empty" },
        { ThriftProtocol.Binary, "long-strings" },
        { ThriftProtocol.Compact, "full" },
        { ThriftProtocol.Compact, "empty" },
        { ThriftProtocol.Compact, "long-strings" },
    };

    public static AllTypes Sample(string name) => name switch
    {
        "full" => AllTypes.Full(),
        "empty" => new AllTypes(),
        "long-strings" => new AllTypes
        {
            Str = string.Concat(Enumerable.Repeat("ünïcødé 😀 ", 400)),
            Bin = [.. Enumerable.Range(0, 10_000).Select(i => (byte)i)],
            Names = [new string('x', 5_000), ""],
            Flag = false,
        },
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Serialize_then_deserialize_gives_an_equal_value(ThriftProtocol protocol, string name)
    {
        var value = Sample(name);
        var bytes = ThriftSerializer.Serialize(value, protocol);
        var back = ThriftSerializer.Deserialize<AllTypes>(bytes, protocol, out var consumed);
        Assert.Equal(value, back);
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(bytes, ThriftSerializer.Serialize(back, protocol));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tiny_output_chunks_produce_the_same_bytes(ThriftProtocol protocol, string name)
    {
        var value = Sample(name);
        var expected = ThriftSerializer.Serialize(value, protocol);
        foreach (var chunk in new[] { 1, 7, 64 })
        {
            var chunked = new ChunkedBufferWriter(chunk);
            ThriftSerializer.Serialize(value, chunked, protocol);
            Assert.Equal(expected, chunked.ToArray());
            // The chunks are a multi-segment sequence whose boundaries fall wherever the writer ran out of room.
            Assert.Equal(value, ThriftSerializer.Deserialize<AllTypes>(chunked.ToSequence(), protocol));
        }
    }

    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Deserialize_reads_one_struct_and_reports_consumed(ThriftProtocol protocol)
    {
        var first = ThriftSerializer.Serialize(AllTypes.Full(), protocol);
        var second = ThriftSerializer.Serialize(new TestRequest(7, "next"), protocol);
        byte[] both = [.. first, .. second];

        Assert.Equal(AllTypes.Full(), ThriftSerializer.Deserialize<AllTypes>(both, protocol, out var consumed));
        Assert.Equal(first.Length, consumed);
        Assert.Equal(new TestRequest(7, "next"), ThriftSerializer.Deserialize<TestRequest>(both.AsSpan((int)consumed), protocol));

        var sequence = Sequences.Split(both, first.Length / 2, first.Length + 1);
        Assert.Equal(AllTypes.Full(), ThriftSerializer.Deserialize<AllTypes>(sequence, protocol, out var seqConsumed));
        Assert.Equal(first.Length, seqConsumed);
        Assert.Equal(new TestRequest(7, "next"), ThriftSerializer.Deserialize<TestRequest>(sequence.Slice(seqConsumed), protocol));
    }

    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Messages_round_trip(ThriftProtocol protocol)
    {
        foreach (var seqId in new[] { 0, 1, 42, -1, int.MinValue, int.MaxValue })
        {
            foreach (var type in new[] { ThriftMessageType.Call, ThriftMessageType.Reply, ThriftMessageType.Exception, ThriftMessageType.Oneway })
            {
                var bytes = Codec.Encode(protocol, new Message("Echo", type, seqId, new TestRequest(1, "x")));
                var (header, body) = Codec.Decode(protocol, bytes, new MessageReader());
                Assert.Equal(new ThriftMessageHeader("Echo", type, seqId), header);
                Assert.Equal(new TestRequest(1, "x"), body);
            }
        }
    }

    [Theory]
    [InlineData(ThriftProtocol.Binary, "80010001 00000004 4563686f 0000002a")]
    // Compact: protocol id 0x82, version 1 | type << 5, unsigned varint seq id, then the name.
    [InlineData(ThriftProtocol.Compact, "82 21 2a 04 4563686f")]
    public void Message_header_bytes(ThriftProtocol protocol, string hex)
    {
        var bytes = Codec.Encode(protocol, new Message("Echo", ThriftMessageType.Call, 42, null));
        Assert.Equal(Hex.Format(Hex.Parse(hex)), Hex.Format(bytes));
    }

    [Fact]
    public void Compact_negative_sequence_id_is_an_unsigned_five_byte_varint()
    {
        var bytes = Codec.Encode(ThriftProtocol.Compact, new Message("m", ThriftMessageType.Reply, -1, null));
        Assert.Equal("8241ffffffff0f016d", Hex.Format(bytes));
    }

    [Fact]
    public void Writers_only_advance_the_output_on_flush()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new ThriftBinaryWriter(buffer);
        writer.WriteI32(1);
        writer.WriteString("abc");
        Assert.Equal(0, buffer.WrittenCount);
        Assert.Equal(11, writer.Written);
        writer.Flush();
        Assert.Equal(11, buffer.WrittenCount);

        // Still usable after a flush.
        writer.WriteI16(2);
        writer.Flush();
        Assert.Equal("00000001 00000003 616263 0002".Replace(" ", "", StringComparison.Ordinal), Hex.Format(buffer.WrittenSpan));
    }

    [Fact]
    public void Compact_writer_requires_the_value_of_a_bool_field_next()
    {
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new ThriftCompactWriter(new ArrayBufferWriter<byte>());
            writer.WriteStructBegin();
            writer.WriteFieldBegin(ThriftType.Bool, 1);
            writer.WriteFieldStop();
        });
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new ThriftCompactWriter(new ArrayBufferWriter<byte>());
            writer.WriteStructEnd();
        });
    }

    [Fact]
    public void Compact_writer_struct_nesting_is_bounded()
    {
        var e = Assert.Throws<ThriftProtocolException>(() =>
        {
            var writer = new ThriftCompactWriter(new ArrayBufferWriter<byte>());
            for (var i = 0; i <= ThriftReaderOptions.MaxSupportedDepth; i++)
            {
                writer.WriteStructBegin();
                writer.WriteFieldBegin(ThriftType.Struct, 1);
            }
        });
        Assert.Equal(ThriftProtocolErrorKind.DepthLimit, e.Kind);
    }

    [Fact]
    public void Negative_container_counts_are_rejected_by_writers()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThriftBinaryWriter(new ArrayBufferWriter<byte>()).WriteListBegin(ThriftType.I32, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThriftCompactWriter(new ArrayBufferWriter<byte>()).WriteMapBegin(ThriftType.I32, ThriftType.I32, -1));
    }

    private sealed class Message(string name, ThriftMessageType type, int seqId, TestRequest? body) : IWriteScript
    {
        public void Write<TWriter>(ref TWriter writer)
            where TWriter : IThriftWriter, allows ref struct
        {
            writer.WriteMessageBegin(name, type, seqId);
            body?.Write(ref writer);
            writer.WriteMessageEnd();
        }
    }

    private sealed class MessageReader : IReadScript<(ThriftMessageHeader, TestRequest)>
    {
        public (ThriftMessageHeader, TestRequest) Read<TReader>(ref TReader reader)
            where TReader : IThriftReader, allows ref struct
        {
            var header = reader.ReadMessageBegin();
            var body = TestRequest.Read(ref reader);
            reader.ReadMessageEnd();
            return (header, body);
        }
    }
}
