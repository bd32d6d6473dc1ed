using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Google.Protobuf;
using StreamX.Thrift;
using ThriftModel = StreamX.Benchmarks.Model;
using ProtoModel = StreamX.Benchmarks.Protobuf;

namespace StreamX.Benchmarks;

/// <summary>
/// Encode and decode one <see cref="Payload"/> message: StreamX's generated Thrift code (Binary, Compact) against
/// Google.Protobuf (the baseline of each category). Encoding goes to a reused <see cref="ArrayBufferWriter{T}"/>
/// (protobuf also to a preallocated array); decoding reads from a byte array made once.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SerializationBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly byte[] _array = new byte[4096];
    private ThriftModel.Order _thrift = null!;
    private ProtoModel.Order _proto = null!;
    private byte[] _binary = null!;
    private byte[] _compact = null!;
    private byte[] _protobuf = null!;

    [GlobalSetup]
    public void Setup()
    {
        _thrift = Payload.ThriftOrder();
        _proto = Payload.ProtoOrder();
        _binary = ThriftSerializer.Serialize(_thrift, ThriftProtocol.Binary);
        _compact = ThriftSerializer.Serialize(_thrift, ThriftProtocol.Compact);
        _protobuf = _proto.ToByteArray();

        // Every benchmark must do real work on equal data: check the round trips once.
        Check(_thrift.Equals(ThriftSerializer.Deserialize<ThriftModel.Order>(_binary, ThriftProtocol.Binary)), "Thrift Binary round trip");
        Check(_thrift.Equals(ThriftSerializer.Deserialize<ThriftModel.Order>(_compact, ThriftProtocol.Compact)), "Thrift Compact round trip");
        Check(_proto.Equals(ProtoModel.Order.Parser.ParseFrom(_protobuf)), "protobuf round trip");
        Console.WriteLine($"// encoded sizes: Thrift Binary {_binary.Length} B, Thrift Compact {_compact.Length} B, protobuf {_protobuf.Length} B");
    }

    [Benchmark]
    [BenchmarkCategory("Encode")]
    public int Encode_ThriftBinary()
    {
        _buffer.ResetWrittenCount();
        ThriftSerializer.Serialize(_thrift, _buffer, ThriftProtocol.Binary);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    [BenchmarkCategory("Encode")]
    public int Encode_ThriftCompact()
    {
        _buffer.ResetWrittenCount();
        ThriftSerializer.Serialize(_thrift, _buffer, ThriftProtocol.Compact);
        return _buffer.WrittenCount;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Encode")]
    public int Encode_Protobuf()
    {
        _buffer.ResetWrittenCount();
        _proto.WriteTo(_buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    [BenchmarkCategory("Encode")]
    public int Encode_ProtobufToArray()
    {
        var size = _proto.CalculateSize();
        _proto.WriteTo(_array.AsSpan(0, size));
        return size;
    }

    [Benchmark]
    [BenchmarkCategory("Decode")]
    public ThriftModel.Order Decode_ThriftBinary() => ThriftSerializer.Deserialize<ThriftModel.Order>(_binary, ThriftProtocol.Binary);

    [Benchmark]
    [BenchmarkCategory("Decode")]
    public ThriftModel.Order Decode_ThriftCompact() => ThriftSerializer.Deserialize<ThriftModel.Order>(_compact, ThriftProtocol.Compact);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decode")]
    public ProtoModel.Order Decode_Protobuf() => ProtoModel.Order.Parser.ParseFrom(_protobuf.AsSpan());

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException(what + " failed: the benchmark would measure the wrong thing.");
        }
    }
}
