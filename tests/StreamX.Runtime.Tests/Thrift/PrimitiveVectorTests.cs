using StreamX.Runtime.Tests.TestSupport;
using StreamX.Thrift;

namespace StreamX.Runtime.Tests.Thrift;

/// <summary>Exact bytes of every primitive in both protocols, both directions.</summary>
public class PrimitiveVectorTests
{
    // kind, value, Binary hex, Compact hex
    public static readonly TheoryData<string, string, string, string> Vectors = new()
    {
        // Outside a bool field, Compact writes a bool as a whole byte: 1 = true, 2 = false.
        { "bool", "true", "01", "01" },
        { "bool", "false", "00", "02" },
        { "byte", "0", "00", "00" },
        { "byte", "1", "01", "01" },
        { "byte", "-1", "ff", "ff" },
        { "byte", "127", "7f", "7f" },
        { "byte", "-128", "80", "80" },
        { "i16", "0", "0000", "00" },
        { "i16", "1", "0001", "02" },
        { "i16", "-1", "ffff", "01" },
        { "i16", "32767", "7fff", "feff03" },
        { "i16", "-32768", "8000", "ffff03" },
        { "i32", "0", "00000000", "00" },
        { "i32", "1", "00000001", "02" },
        { "i32", "-1", "ffffffff", "01" },
        { "i32", "63", "0000003f", "7e" },
        { "i32", "64", "00000040", "8001" },
        { "i32", "150", "00000096", "ac02" },
        { "i32", "2147483647", "7fffffff", "feffffff0f" },
        { "i32", "-2147483648", "80000000", "ffffffff0f" },
        { "i64", "0", "0000000000000000", "00" },
        { "i64", "-1", "ffffffffffffffff", "01" },
        { "i64", "4294967296", "0000000100000000", "8080808020" },
        { "i64", "9223372036854775807", "7fffffffffffffff", "feffffffffffffffff01" },
        { "i64", "-9223372036854775808", "8000000000000000", "ffffffffffffffffff01" },
        // Binary doubles are big-endian, Compact doubles little-endian.
        { "double", "0", "0000000000000000", "0000000000000000" },
        { "double", "1", "3ff0000000000000", "000000000000f03f" },
        { "double", "-2.5", "c004000000000000", "00000000000004c0" },
        { "double", "0.1", "3fb999999999999a", "9a9999999999b93f" },
        { "double", "Infinity", "7ff0000000000000", "000000000000f07f" },
        { "string", "", "00000000", "00" },
        { "string", "hello", "00000005 68656c6c6f", "05 68656c6c6f" },
        { "string", "é€😀", "00000009 c3a9 e282ac f09f9880", "09 c3a9 e282ac f09f9880" },
        { "binary", "", "00000000", "00" },
        { "binary", "00ff10", "00000003 00ff10", "03 00ff10" },
        // RFC 4122 byte order in both protocols (not Guid.ToByteArray's mixed-endian layout).
        { "uuid", "00112233-4455-6677-8899-aabbccddeeff", "00112233445566778899aabbccddeeff", "00112233445566778899aabbccddeeff" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Binary_writes_exact_bytes(string kind, string value, string binary, string compact)
    {
        _ = compact;
        Assert.Equal(Hex.Format(Hex.Parse(binary)), Hex.Format(Codec.Encode(ThriftProtocol.Binary, new Primitive(kind, value))));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Compact_writes_exact_bytes(string kind, string value, string binary, string compact)
    {
        _ = binary;
        Assert.Equal(Hex.Format(Hex.Parse(compact)), Hex.Format(Codec.Encode(ThriftProtocol.Compact, new Primitive(kind, value))));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Both_read_exact_bytes(string kind, string value, string binary, string compact)
    {
        var expected = kind == "double" ? double.Parse(value, System.Globalization.CultureInfo.InvariantCulture).ToString("R", System.Globalization.CultureInfo.InvariantCulture) : value;
        foreach (var (protocol, hex) in new[] { (ThriftProtocol.Binary, binary), (ThriftProtocol.Compact, compact) })
        {
            var bytes = Hex.Parse(hex);
            var actual = Codec.Decode(protocol, bytes, new Primitive(kind), default, out var consumed);
            Assert.Equal(expected, actual);
            Assert.Equal(bytes.Length, consumed);
        }
    }

    [Theory]
    [InlineData(200, "000000c8", "c801")]
    [InlineData(42, "0000002a", "2a")]    // 3 * 42 = 126 still fits a 1-byte varint: one-pass path
    [InlineData(43, "0000002b", "2b")]    // 3 * 43 = 129 would not: counted path
    [InlineData(1500, "000005dc", "dc0b")] // beyond the one-pass limit: counted, chunked path
    public void Long_strings_get_the_right_length_prefix(int length, string binaryPrefix, string compactPrefix)
    {
        var text = new string('a', length);
        var body = Hex.Ascii(text);
        Assert.Equal(binaryPrefix + body, Hex.Format(Codec.Encode(ThriftProtocol.Binary, new Primitive("string", text))));
        Assert.Equal(compactPrefix + body, Hex.Format(Codec.Encode(ThriftProtocol.Compact, new Primitive("string", text))));
    }

    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Unpaired_surrogates_are_written_as_replacement_characters(ThriftProtocol protocol)
    {
        foreach (var length in new[] { 1, 10, 500, 2000 })
        {
            // A lone high surrogate at the very end, lone low surrogates inside, and a valid pair.
            var text = string.Concat(Enumerable.Repeat("x\uDC00😀", length)) + "\uD800";
            var expected = text.Replace("\uDC00", "\uFFFD", StringComparison.Ordinal).Replace("\uD800", "\uFFFD", StringComparison.Ordinal);
            var bytes = Codec.Encode(protocol, new Primitive("string", text));
            Assert.Equal(expected, Codec.Decode(protocol, bytes, new Primitive("string")));
        }
    }

    [Fact]
    public void Compact_varints_of_up_to_ten_bytes_are_accepted_and_longer_ones_rejected()
    {
        // A 64-bit varint read as i32 keeps its low 32 bits, as in Apache Thrift and Kitex.
        Assert.Equal("-2147483648", Codec.Decode(ThriftProtocol.Compact, Hex.Parse("ffffffffffffffffff01"), new Primitive("i32")));
        Assert.Equal("0", Codec.Decode(ThriftProtocol.Compact, Hex.Parse("80808080808080808000"), new Primitive("i64")));

        var tooLong = Assert.Throws<ThriftProtocolException>(
            () => Codec.Decode(ThriftProtocol.Compact, Hex.Parse("8080808080808080808000"), new Primitive("i64")));
        Assert.Equal(ThriftProtocolErrorKind.InvalidData, tooLong.Kind);
        Assert.Contains("longer than 10 bytes", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal(0, tooLong.Offset);

        var overflow = Assert.Throws<ThriftProtocolException>(
            () => Codec.Decode(ThriftProtocol.Compact, Hex.Parse("ffffffffffffffffff02"), new Primitive("i64")));
        Assert.Equal(ThriftProtocolErrorKind.InvalidData, overflow.Kind);
    }

    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Truncated_primitives_report_end_of_data(ThriftProtocol protocol)
    {
        foreach (var kind in new[] { "bool", "byte", "i16", "i32", "i64", "double", "string", "binary", "uuid" })
        {
            var full = Codec.Encode(protocol, new Primitive(kind, SampleValue(kind)));
            for (var length = 0; length < full.Length; length++)
            {
                var e = Assert.Throws<ThriftProtocolException>(() => Codec.Decode(protocol, full.AsSpan(0, length), new Primitive(kind)));
                Assert.Equal(ThriftProtocolErrorKind.EndOfData, e.Kind);
            }
        }
    }

    private static string SampleValue(string kind) => kind switch
    {
        "bool" => "true",
        "byte" => "-5",
        "i16" => "-300",
        "i32" => "-70000",
        "i64" => "-9000000000",
        "double" => "3.25",
        "string" => "hello",
        "binary" => "0102",
        "uuid" => "00112233-4455-6677-8899-aabbccddeeff",
        _ => throw new ArgumentException(kind),
    };
}
