using System.Buffers;
using StreamX.Runtime.Tests.TestSupport;
using StreamX.Thrift;

namespace StreamX.Runtime.Tests.Thrift;

public class AllocationTests
{
    [Theory]
    [MemberData(nameof(Codec.Protocols), MemberType = typeof(Codec))]
    public void Writing_allocates_nothing(ThriftProtocol protocol)
    {
        var value = AllTypes.Full();
        // Long and non-ASCII strings take the counted, chunked path; lone surrogates the replacement path.
        value.Str = string.Concat(Enumerable.Repeat("ünïcødé 😀 \uD800", 500));
        value.Names = [new string('n', 3000), "é"];
        var error = new ThriftApplicationException(6, "boom");
        var buffer = new ArrayBufferWriter<byte>(1024 * 1024);

        // Warm up: JIT tiers, statics, first touch of the buffer.
        for (var i = 0; i < 3; i++)
        {
            Write(value, error, buffer, protocol);
            buffer.ResetWrittenCount();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            Write(value, error, buffer, protocol);
            buffer.ResetWrittenCount();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    private static void Write(AllTypes value, ThriftApplicationException error, ArrayBufferWriter<byte> buffer, ThriftProtocol protocol)
    {
        if (protocol == ThriftProtocol.Binary)
        {
            var writer = new ThriftBinaryWriter(buffer);
            value.Write(ref writer);
            error.WriteMessage(ref writer, "Echo", 1);
            writer.Flush();
        }
        else
        {
            var writer = new ThriftCompactWriter(buffer);
            value.Write(ref writer);
            error.WriteMessage(ref writer, "Echo", 1);
            writer.Flush();
        }
    }
}
