using StreamX.Runtime.Tests.TestSupport;
using StreamX.Thrift;

namespace StreamX.Runtime.Tests.Thrift;

/// <summary>Exact bytes of field headers, bool fields, nested structs and container headers.</summary>
public class StructVectorTests
{
    // case, Binary hex, Compact hex
    public static readonly TheoryData<string, string, string> Vectors = new()
    {
        // The spec example (ttstream §2.7): Request{1: string message = "hello"}.
        { "hello", "0b 0001 00000005 68656c6c6f 00", "18 05 68656c6c6f 00" },
        { "empty", "00", "00" },
        // Compact: delta headers for 1 and 2, long form for a delta of 16 (18 -> zigzag 36 = 0x24), a delta again
        // after it (19), long form for a negative id (-1 -> zigzag 01), and a delta (4) from -1 up to 3.
        { "field-ids", "08 0001 00000001 08 0002 00000002 08 0012 00000003 08 0013 00000004 08 ffff 00000005 08 0003 00000006 00",
          "15 02 15 04 05 24 06 15 08 05 01 0a 45 0c 00" },
        // 15 is the largest delta that fits the header nibble; going down always needs the long form.
        { "delta-15", "08 0002 00000001 08 0011 00000002 08 0010 00000003 00", "25 02 f5 04 05 20 06 00" },
        { "max-id", "08 7fff 00000001 00", "05 feff03 02 00" },
        // Compact folds bool values into the field header type (1 = true, 2 = false), also in long form.
        { "bool-fields", "02 0001 01 02 0002 00 02 0014 01 00", "11 12 01 28 00" },
        // The nested struct starts its own delta chain and the outer one resumes after it.
        { "nested", "0c 0001 08 0001 00000001 00 08 0002 00000002 00", "1c 15 02 00 15 04 00" },
        { "list-i32", "0f 0001 08 00000002 00000001 00000002 00", "19 25 02 04 00" },
        { "list-empty", "0f 0001 0b 00000000 00", "19 08 00" },
        // Compact list sizes up to 14 fit the header byte; 15 and up use 0xF_ plus a varint.
        { "list-14", "0f 0001 03 0000000e 0000000000000000000000000000 00", "19 e3 0000000000000000000000000000 00" },
        { "list-15", "0f 0001 03 0000000f 000000000000000000000000000000 00", "19 f3 0f 000000000000000000000000000000 00" },
        { "set-bool", "0e 0001 02 00000002 01 00 00", "1a 21 01 02 00" },
        { "map", "0d 0001 0b 08 00000001 00000001 61 00000001 00", "1b 01 85 01 61 02 00" },
        // An empty Compact map is a single 0 byte, without key/value types.
        { "map-empty", "0d 0001 0b 08 00000000 00", "1b 00 00" },
        { "uuid", "10 0001 00112233445566778899aabbccddeeff 00", "1d 00112233445566778899aabbccddeeff 00" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Binary_writes_exact_bytes(string name, string binary, string compact)
    {
        _ = compact;
        Assert.Equal(Hex.Format(Hex.Parse(binary)), Hex.Format(Codec.Encode(ThriftProtocol.Binary, new Shape(name))));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Compact_writes_exact_bytes(string name, string binary, string compact)
    {
        _ = binary;
        Assert.Equal(Hex.Format(Hex.Parse(compact)), Hex.Format(Codec.Encode(ThriftProtocol.Compact, new Shape(name))));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Both_read_back_the_same_events(string name, string binary, string compact)
    {
        var expected = Events.Of(new Shape(name));
        foreach (var (protocol, hex) in new[] { (ThriftProtocol.Binary, binary), (ThriftProtocol.Compact, compact) })
        {
            var bytes = Hex.Parse(hex);
            var actual = Codec.Decode(protocol, bytes, new Events.Reader(), default, out var consumed);
            Assert.Equal(expected, actual);
            Assert.Equal(bytes.Length, consumed);
        }
    }

    [Fact]
    public void Empty_compact_map_header_has_stop_types()
    {
        var reader = new ThriftCompactReader(Hex.Parse("00"));
        Assert.Equal(new ThriftMapHeader(ThriftType.Stop, ThriftType.Stop, 0), reader.ReadMapBegin());
        reader.ReadMapEnd();
        Assert.Equal(1, reader.Consumed);
    }

    [Fact]
    public void Large_containers_round_trip()
    {
        var value = new AllTypes
        {
            Ints = [.. Enumerable.Range(-50_000, 100_000)],
            Dict = Enumerable.Range(0, 5_000).ToDictionary(i => "k" + i, i => (long)i * i),
            Bools = [.. Enumerable.Range(0, 1_000).Select(i => i % 3 == 0)],
        };
        foreach (var protocol in new[] { ThriftProtocol.Binary, ThriftProtocol.Compact })
        {
            var bytes = ThriftSerializer.Serialize(value, protocol);
            Assert.Equal(value, ThriftSerializer.Deserialize<AllTypes>(bytes, protocol));
        }
    }

    /// <summary>Writes the named shape; the events it produces are the reader-side expectation.</summary>
    private sealed class Shape(string name) : IWriteScript
    {
        public string Name => name;

        public void Write<TWriter>(ref TWriter w)
            where TWriter : IThriftWriter, allows ref struct
        {
            w.WriteStructBegin();
            switch (name)
            {
                case "hello":
                    w.WriteFieldBegin(ThriftType.String, 1);
                    w.WriteString("hello");
                    w.WriteFieldEnd();
                    break;
                case "empty":
                    break;
                case "field-ids":
                    short value = 1;
                    foreach (short id in new short[] { 1, 2, 18, 19, -1, 3 })
                    {
                        w.WriteFieldBegin(ThriftType.I32, id);
                        w.WriteI32(value++);
                        w.WriteFieldEnd();
                    }

                    break;
                case "delta-15":
                    short v = 1;
                    foreach (short id in new short[] { 2, 17, 16 })
                    {
                        w.WriteFieldBegin(ThriftType.I32, id);
                        w.WriteI32(v++);
                        w.WriteFieldEnd();
                    }

                    break;
                case "max-id":
                    w.WriteFieldBegin(ThriftType.I32, short.MaxValue);
                    w.WriteI32(1);
                    w.WriteFieldEnd();
                    break;
                case "bool-fields":
                    w.WriteFieldBegin(ThriftType.Bool, 1);
                    w.WriteBool(true);
                    w.WriteFieldEnd();
                    w.WriteFieldBegin(ThriftType.Bool, 2);
                    w.WriteBool(false);
                    w.WriteFieldEnd();
                    w.WriteFieldBegin(ThriftType.Bool, 20);
                    w.WriteBool(true);
                    w.WriteFieldEnd();
                    break;
                case "nested":
                    w.WriteFieldBegin(ThriftType.Struct, 1);
                    w.WriteStructBegin();
                    w.WriteFieldBegin(ThriftType.I32, 1);
                    w.WriteI32(1);
                    w.WriteFieldEnd();
                    w.WriteFieldStop();
                    w.WriteStructEnd();
                    w.WriteFieldEnd();
                    w.WriteFieldBegin(ThriftType.I32, 2);
                    w.WriteI32(2);
                    w.WriteFieldEnd();
                    break;
                case "list-i32":
                    w.WriteFieldBegin(ThriftType.List, 1);
                    w.WriteListBegin(ThriftType.I32, 2);
                    w.WriteI32(1);
                    w.WriteI32(2);
                    w.WriteListEnd();
                    w.WriteFieldEnd();
                    break;
                case "list-empty":
                    w.WriteFieldBegin(ThriftType.List, 1);
                    w.WriteListBegin(ThriftType.String, 0);
                    w.WriteListEnd();
                    w.WriteFieldEnd();
                    break;
                case "list-14":
                case "list-15":
                    var count = name == "list-14" ? 14 : 15;
                    w.WriteFieldBegin(ThriftType.List, 1);
                    w.WriteListBegin(ThriftType.Byte, count);
                    for (var i = 0; i < count; i++)
                    {
                        w.WriteByte(0);
                    }

                    w.WriteListEnd();
                    w.WriteFieldEnd();
                    break;
                case "set-bool":
                    w.WriteFieldBegin(ThriftType.Set, 1);
                    w.WriteSetBegin(ThriftType.Bool, 2);
                    w.WriteBool(true);
                    w.WriteBool(false);
                    w.WriteSetEnd();
                    w.WriteFieldEnd();
                    break;
                case "map":
                    w.WriteFieldBegin(ThriftType.Map, 1);
                    w.WriteMapBegin(ThriftType.String, ThriftType.I32, 1);
                    w.WriteString("a");
                    w.WriteI32(1);
                    w.WriteMapEnd();
                    w.WriteFieldEnd();
                    break;
                case "map-empty":
                    w.WriteFieldBegin(ThriftType.Map, 1);
                    w.WriteMapBegin(ThriftType.String, ThriftType.I32, 0);
                    w.WriteMapEnd();
                    w.WriteFieldEnd();
                    break;
                case "uuid":
                    w.WriteFieldBegin(ThriftType.Uuid, 1);
                    w.WriteUuid(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"));
                    w.WriteFieldEnd();
                    break;
                default:
                    throw new ArgumentException(name);
            }

            w.WriteFieldStop();
            w.WriteStructEnd();
        }
    }
}
