using System.Buffers;
using StreamX.Runtime.Tests.TestSupport;
using StreamX.Thrift;

namespace StreamX.Runtime.Tests.Thrift;

public class SkipTests
{
    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Skip_passes_over_a_whole_nested_struct(ThriftProtocol protocol)
    {
        var bytes = Codec.Encode(protocol, new StructThenMarker(AllTypes.Full()));
        foreach (var input in new[] { new ReadOnlySequence<byte>(bytes), Sequences.BytewiseWithEmpties(bytes) })
        {
            Assert.Equal(0x5EED, Codec.Decode(protocol, input, new SkipThenMarker()));
        }
    }

    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Unknown_fields_are_skipped_by_a_struct_that_knows_fewer_fields(ThriftProtocol protocol)
    {
        // Inner knows fields 1 and 2 only; everything else in AllTypes (including folded compact bools,
        // nested maps of lists and the negative id) must be skipped, and the bytes after it read correctly.
        var value = AllTypes.Full();
        value.I = null;
        var bytes = ThriftSerializer.Serialize(value, protocol);
        var inner = ThriftSerializer.Deserialize<Inner>(bytes, protocol, out var consumed);
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(0, inner.Id);
        Assert.Null(inner.Name);
    }

    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Skip_of_every_type(ThriftProtocol protocol)
    {
        foreach (var type in new[] { ThriftType.Bool, ThriftType.Byte, ThriftType.I16, ThriftType.I32, ThriftType.I64, ThriftType.Double, ThriftType.String, ThriftType.Uuid })
        {
            var bytes = Codec.Encode(protocol, new OneValueThenMarker(type));
            Assert.Equal(0x5EED, Codec.Decode(protocol, bytes, new SkipTypeThenMarker(type)));
        }
    }

    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Skip_rejects_stop_and_unknown_types(ThriftProtocol protocol)
    {
        foreach (var type in new[] { ThriftType.Stop, (ThriftType)1, (ThriftType)5, (ThriftType)17, (ThriftType)255 })
        {
            var e = Assert.Throws<ThriftProtocolException>(() => Codec.Decode(protocol, new byte[16], new SkipTypeThenMarker(type)));
            Assert.Equal(ThriftProtocolErrorKind.InvalidData, e.Kind);
        }
    }

    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Skip_of_a_huge_string_does_not_allocate_it(ThriftProtocol protocol)
    {
        var bytes = Codec.Encode(protocol, new BigBinaryThenMarker(4 * 1024 * 1024));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var marker = Codec.Decode(protocol, bytes, new SkipTypeThenMarker(ThriftType.String));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0x5EED, marker);
        Assert.True(allocated < 64 * 1024, $"Skip allocated {allocated} bytes");
    }

    private sealed class StructThenMarker(AllTypes value) : IWriteScript
    {
        public void Write<TWriter>(ref TWriter writer)
            where TWriter : IThriftWriter, allows ref struct
        {
            value.Write(ref writer);
            writer.WriteI32(0x5EED);
        }
    }

    private sealed class SkipThenMarker : IReadScript<int>
    {
        public int Read<TReader>(ref TReader reader)
            where TReader : IThriftReader, allows ref struct
        {
            reader.Skip(ThriftType.Struct);
            return reader.ReadI32();
        }
    }

    private sealed class OneValueThenMarker(ThriftType type) : IWriteScript
    {
        public void Write<TWriter>(ref TWriter writer)
            where TWriter : IThriftWriter, allows ref struct
        {
            switch (type)
            {
                case ThriftType.Bool: writer.WriteBool(true); break;
                case ThriftType.Byte: writer.WriteByte(-1); break;
                case ThriftType.I16: writer.WriteI16(-1000); break;
                case ThriftType.I32: writer.WriteI32(int.MinValue); break;
                case ThriftType.I64: writer.WriteI64(long.MinValue); break;
                case ThriftType.Double: writer.WriteDouble(Math.PI); break;
                case ThriftType.String: writer.WriteString("skip me"); break;
                case ThriftType.Uuid: writer.WriteUuid(Guid.NewGuid()); break;
            }

            writer.WriteI32(0x5EED);
        }
    }

    private sealed class BigBinaryThenMarker(int size) : IWriteScript
    {
        public void Write<TWriter>(ref TWriter writer)
            where TWriter : IThriftWriter, allows ref struct
        {
            writer.WriteBinary(new byte[size]);
            writer.WriteI32(0x5EED);
        }
    }

    private sealed class SkipTypeThenMarker(ThriftType type) : IReadScript<int>
    {
        public int Read<TReader>(ref TReader reader)
            where TReader : IThriftReader, allows ref struct
        {
            reader.Skip(type);
            return reader.ReadI32();
        }
    }
}
