using StreamX.Runtime.Tests.TestSupport;
using StreamX.Thrift;

namespace StreamX.Runtime.Tests.Thrift;

/// <summary>Multi-segment input: every value must read the same wherever the segment boundaries fall.</summary>
public class SequenceTests
{
    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Split_at_every_offset(ThriftProtocol protocol)
    {
        var value = AllTypes.Full();
        var bytes = ThriftSerializer.Serialize(value, protocol);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var sequence = Sequences.Split(bytes, cut);
            Assert.Equal(value, ThriftSerializer.Deserialize<AllTypes>(sequence, protocol, out var consumed));
            Assert.Equal(bytes.Length, consumed);
        }
    }

    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Split_into_three_at_every_pair_of_offsets_for_a_message(ThriftProtocol protocol)
    {
        var bytes = Codec.Encode(protocol, new ExceptionMessage());
        for (var a = 0; a <= bytes.Length; a++)
        {
            for (var b = a; b <= bytes.Length; b++)
            {
                var sequence = Sequences.Split(bytes, a, b);
                var e = protocol == ThriftProtocol.Binary ? ReadBinary(sequence) : ReadCompact(sequence);
                Assert.Equal((6, "boom"), (e.Type, e.Message));
            }
        }

        static ThriftApplicationException ReadBinary(System.Buffers.ReadOnlySequence<byte> s)
        {
            var reader = new ThriftBinaryReader(s);
            return ThriftApplicationException.ReadMessage(ref reader, out _);
        }

        static ThriftApplicationException ReadCompact(System.Buffers.ReadOnlySequence<byte> s)
        {
            var reader = new ThriftCompactReader(s);
            return ThriftApplicationException.ReadMessage(ref reader, out _);
        }
    }

    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void One_byte_segments_with_empty_segments_between(ThriftProtocol protocol)
    {
        foreach (var value in new[] { AllTypes.Full(), RoundTripTests.Sample("long-strings") })
        {
            var bytes = ThriftSerializer.Serialize(value, protocol);
            var sequence = Sequences.BytewiseWithEmpties(bytes);
            Assert.Equal(value, ThriftSerializer.Deserialize<AllTypes>(sequence, protocol, out var consumed));
            Assert.Equal(bytes.Length, consumed);
            Assert.Equal(Events.Of(new Reencode(value)), Codec.Decode(protocol, sequence, new Events.Reader()));
        }
    }

    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Truncated_sequences_report_end_of_data(ThriftProtocol protocol)
    {
        var bytes = ThriftSerializer.Serialize(AllTypes.Full(), protocol);
        for (var length = 0; length < bytes.Length; length++)
        {
            var sequence = Sequences.Split(bytes[..length], length / 2);
            var e = Assert.Throws<ThriftProtocolException>(() => ThriftSerializer.Deserialize<AllTypes>(sequence, protocol));
            Assert.Equal(ThriftProtocolErrorKind.EndOfData, e.Kind);
            Assert.InRange(e.Offset, 0, length);
        }
    }

    private sealed class ExceptionMessage : IWriteScript
    {
        public void Write<TWriter>(ref TWriter writer)
            where TWriter : IThriftWriter, allows ref struct =>
            new ThriftApplicationException(6, "boom").WriteMessage(ref writer, "Echo", 3);
    }

    private sealed class Reencode(AllTypes value) : IWriteScript
    {
        public void Write<TWriter>(ref TWriter writer)
            where TWriter : IThriftWriter, allows ref struct => value.Write(ref writer);
    }
}
