using StreamX.Runtime.Tests.TestSupport;
using StreamX.Thrift;

namespace StreamX.Runtime.Tests.Thrift;

/// <summary>Each kind of bad input gives the documented <see cref="ThriftProtocolErrorKind"/> at the right offset.</summary>
public class LimitTests
{
    // protocol, what to read, hex, expected kind, expected offset
    public static readonly TheoryData<ThriftProtocol, string, string, ThriftProtocolErrorKind, long> Cases = new()
    {
        { ThriftProtocol.Binary, "string", "80000000", ThriftProtocolErrorKind.NegativeSize, 0 },
        { ThriftProtocol.Binary, "string", "ffffffff", ThriftProtocolErrorKind.NegativeSize, 0 },
        { ThriftProtocol.Binary, "string", "00000064 616263", ThriftProtocolErrorKind.EndOfData, 4 },
        { ThriftProtocol.Binary, "string", "7fffffff", ThriftProtocolErrorKind.SizeLimit, 0 },
        { ThriftProtocol.Binary, "binary", "00000002 61", ThriftProtocolErrorKind.EndOfData, 4 },
        { ThriftProtocol.Compact, "string", "ffffffff0f", ThriftProtocolErrorKind.NegativeSize, 0 },
        { ThriftProtocol.Compact, "string", "64 616263", ThriftProtocolErrorKind.EndOfData, 1 },
        { ThriftProtocol.Compact, "binary", "ffffffff07", ThriftProtocolErrorKind.SizeLimit, 0 },
        { ThriftProtocol.Binary, "list", "08 ffffffff", ThriftProtocolErrorKind.NegativeSize, 0 },
        { ThriftProtocol.Binary, "list", "08 7fffffff", ThriftProtocolErrorKind.SizeLimit, 0 },
        // 1000 i32s need 4000 bytes; 8 remain. Rejected before anyone allocates a 1000-element list.
        { ThriftProtocol.Binary, "list", "08 000003e8 0000000000000000", ThriftProtocolErrorKind.EndOfData, 0 },
        { ThriftProtocol.Binary, "list", "00 00000001 00", ThriftProtocolErrorKind.InvalidData, 0 },
        { ThriftProtocol.Binary, "list", "01 00000000", ThriftProtocolErrorKind.InvalidData, 0 },
        { ThriftProtocol.Binary, "map", "0b 08 fffffffe", ThriftProtocolErrorKind.NegativeSize, 0 },
        // Two entries of string -> i32 need at least 2 * (4 + 4) bytes.
        { ThriftProtocol.Binary, "map", "0b 08 00000002 00000000 00000000 00000000", ThriftProtocolErrorKind.EndOfData, 0 },
        { ThriftProtocol.Binary, "map", "0b 11 00000001", ThriftProtocolErrorKind.InvalidData, 1 },
        { ThriftProtocol.Compact, "list", "f5 ffffffff0f", ThriftProtocolErrorKind.NegativeSize, 0 },
        { ThriftProtocol.Compact, "list", "f5 e807 00", ThriftProtocolErrorKind.EndOfData, 0 },
        { ThriftProtocol.Compact, "list", "1e", ThriftProtocolErrorKind.InvalidData, 0 },
        { ThriftProtocol.Compact, "list", "10 00", ThriftProtocolErrorKind.InvalidData, 0 },
        // Doubles are 8 bytes even in Compact: 2 of them need 16.
        { ThriftProtocol.Compact, "list", "27 0000000000000000 00", ThriftProtocolErrorKind.EndOfData, 0 },
        { ThriftProtocol.Compact, "map", "ffffffff0f 55", ThriftProtocolErrorKind.NegativeSize, 0 },
        { ThriftProtocol.Compact, "map", "02 55 02", ThriftProtocolErrorKind.EndOfData, 0 },
        { ThriftProtocol.Compact, "map", "01 e5 00 00", ThriftProtocolErrorKind.InvalidData, 0 },
        { ThriftProtocol.Compact, "map", "01 05 00 00", ThriftProtocolErrorKind.InvalidData, 0 },
        { ThriftProtocol.Binary, "field", "01 0001", ThriftProtocolErrorKind.InvalidData, 0 },
        { ThriftProtocol.Binary, "field", "11 0001", ThriftProtocolErrorKind.InvalidData, 0 },
        { ThriftProtocol.Binary, "field", "ff 0001", ThriftProtocolErrorKind.InvalidData, 0 },
        { ThriftProtocol.Binary, "field", "08 00", ThriftProtocolErrorKind.EndOfData, 1 },
        { ThriftProtocol.Compact, "field", "1e", ThriftProtocolErrorKind.InvalidData, 0 },
        { ThriftProtocol.Compact, "field", "0f 02", ThriftProtocolErrorKind.InvalidData, 0 },
        { ThriftProtocol.Compact, "field", "10", ThriftProtocolErrorKind.InvalidData, 0 },
        { ThriftProtocol.Compact, "field", "05 8080808080808080808001", ThriftProtocolErrorKind.InvalidData, 1 },
        // id 32767 in long form, then a delta of 1 would overflow i16.
        { ThriftProtocol.Compact, "two-fields", "05 feff03 02 15 02", ThriftProtocolErrorKind.InvalidData, 5 },
        { ThriftProtocol.Binary, "message", "00000004 4563686f 01 00000001", ThriftProtocolErrorKind.BadVersion, 0 },
        { ThriftProtocol.Binary, "message", "80020001 00000004 4563686f 00000001", ThriftProtocolErrorKind.BadVersion, 0 },
        { ThriftProtocol.Binary, "message", "80010001 ffffffff", ThriftProtocolErrorKind.NegativeSize, 4 },
        { ThriftProtocol.Compact, "message", "81 21 00 00", ThriftProtocolErrorKind.BadVersion, 0 },
        { ThriftProtocol.Compact, "message", "82 22 00 00", ThriftProtocolErrorKind.BadVersion, 1 },
        { ThriftProtocol.Binary, "message", "", ThriftProtocolErrorKind.EndOfData, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_is_reported_precisely(ThriftProtocol protocol, string what, string hex, ThriftProtocolErrorKind kind, long offset)
    {
        var e = Assert.Throws<ThriftProtocolException>(() => Codec.Decode(protocol, Hex.Parse(hex), new Probe(what)));
        Assert.Equal(kind, e.Kind);
        Assert.Equal(offset, e.Offset);
        Assert.Contains($"(at byte offset {offset})", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Options_tighten_string_and_container_limits(ThriftProtocol protocol)
    {
        var options = new ThriftReaderOptions { MaxStringBytes = 4, MaxContainerCount = 2 };
        var ok = ThriftSerializer.Serialize(new AllTypes { Str = "abcd", Ints = [1, 2] }, protocol);
        Assert.Equal("abcd", ThriftSerializer.Deserialize<AllTypes>(ok, protocol, options, out _).Str);

        var longString = ThriftSerializer.Serialize(new AllTypes { Str = "abcde" }, protocol);
        Assert.Equal(ThriftProtocolErrorKind.SizeLimit,
            Assert.Throws<ThriftProtocolException>(() => ThriftSerializer.Deserialize<AllTypes>(longString, protocol, options, out _)).Kind);

        var longList = ThriftSerializer.Serialize(new AllTypes { Ints = [1, 2, 3] }, protocol);
        Assert.Equal(ThriftProtocolErrorKind.SizeLimit,
            Assert.Throws<ThriftProtocolException>(() => ThriftSerializer.Deserialize<AllTypes>(longList, protocol, options, out _)).Kind);
    }

    [Theory]
    [InlineData(ThriftProtocol.Binary, "0f 00000001", 64)]
    [InlineData(ThriftProtocol.Compact, "19", 64)]
    [InlineData(ThriftProtocol.Binary, "0f 00000001", ThriftReaderOptions.MaxSupportedDepth)]
    [InlineData(ThriftProtocol.Compact, "19", ThriftReaderOptions.MaxSupportedDepth)]
    public void Deeply_nested_lists_hit_the_depth_limit_not_the_stack(ThriftProtocol protocol, string level, int maxDepth)
    {
        // A struct whose field 1 is list<list<list<...>>> nested 100,000 deep.
        var bytes = Hex.Parse((protocol == ThriftProtocol.Binary ? "0f 0001 " : "19 ") + string.Concat(Enumerable.Repeat(level, 100_000)));
        var options = new ThriftReaderOptions { MaxDepth = maxDepth };
        var e = Assert.Throws<ThriftProtocolException>(() => Codec.Decode(protocol, bytes, new Events.Reader(), options));
        Assert.Equal(ThriftProtocolErrorKind.DepthLimit, e.Kind);
        e = Assert.Throws<ThriftProtocolException>(() => ThriftSerializer.Deserialize<AllTypes>(bytes, protocol, options, out _));
        Assert.Equal(ThriftProtocolErrorKind.DepthLimit, e.Kind);
    }

    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Deeply_nested_structs_hit_the_depth_limit_in_skip(ThriftProtocol protocol)
    {
        var level = protocol == ThriftProtocol.Binary ? "0c 0001" : "1c";
        var bytes = Hex.Parse(string.Concat(Enumerable.Repeat(level, 100_000)));
        var e = Assert.Throws<ThriftProtocolException>(() => Codec.Decode(protocol, bytes, new SkipStruct()));
        Assert.Equal(ThriftProtocolErrorKind.DepthLimit, e.Kind);
    }

    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Nesting_up_to_the_limit_is_fine(ThriftProtocol protocol)
    {
        // Top-level struct (1) + 62 lists + the innermost empty list = 64 levels.
        var open = protocol == ThriftProtocol.Binary ? "0f 00000001" : "19";
        var hex = (protocol == ThriftProtocol.Binary ? "0f 0001 " : "19 ") + string.Concat(Enumerable.Repeat(open, 62))
            + (protocol == ThriftProtocol.Binary ? "08 00000000" : "05") + " 00";
        var events = Codec.Decode(protocol, Hex.Parse(hex), new Events.Reader());
        Assert.Equal(64, events.Count(e => e.StartsWith("list ", StringComparison.Ordinal)) + 1);
        var e = Assert.Throws<ThriftProtocolException>(
            () => Codec.Decode(protocol, Hex.Parse(hex), new Events.Reader(), new ThriftReaderOptions { MaxDepth = 63 }));
        Assert.Equal(ThriftProtocolErrorKind.DepthLimit, e.Kind);
    }

    [Fact]
    public void Reader_options_default_and_validation()
    {
        var d = default(ThriftReaderOptions);
        Assert.Equal((64, 64 * 1024 * 1024, 16 * 1024 * 1024), (d.MaxDepth, d.MaxStringBytes, d.MaxContainerCount));
        Assert.Equal(d, new ThriftReaderOptions());
        Assert.Equal(d, new ThriftReaderOptions { MaxDepth = 64 });
        Assert.Equal(d.GetHashCode(), new ThriftReaderOptions { MaxDepth = 64 }.GetHashCode());
        Assert.NotEqual(d, new ThriftReaderOptions { MaxDepth = 8 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThriftReaderOptions { MaxDepth = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThriftReaderOptions { MaxDepth = ThriftReaderOptions.MaxSupportedDepth + 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThriftReaderOptions { MaxStringBytes = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThriftReaderOptions { MaxContainerCount = -1 });
    }

    private sealed class SkipStruct : IReadScript<int>
    {
        public int Read<TReader>(ref TReader reader)
            where TReader : IThriftReader, allows ref struct
        {
            reader.Skip(ThriftType.Struct);
            return 0;
        }
    }

    private sealed class Probe(string what) : IReadScript<int>
    {
        public int Read<TReader>(ref TReader reader)
            where TReader : IThriftReader, allows ref struct
        {
            switch (what)
            {
                case "string": reader.ReadString(); break;
                case "binary": reader.ReadBinary(); break;
                case "list": reader.ReadListBegin(); break;
                case "map": reader.ReadMapBegin(); break;
                case "message": reader.ReadMessageBegin(); break;
                case "field":
                    reader.ReadStructBegin();
                    reader.ReadFieldBegin();
                    break;
                case "two-fields":
                    reader.ReadStructBegin();
                    reader.Skip(reader.ReadFieldBegin().Type);
                    reader.ReadFieldBegin();
                    break;
                default: throw new ArgumentException(what);
            }

            return 0;
        }
    }
}
