using System.Buffers;

namespace StreamX.Thrift;

/// <summary>One-call encoding and decoding of a single <see cref="IThriftStruct{TSelf}"/> value (no message envelope).</summary>
/// <remarks>
/// This is exactly a ttstream Data payload: a bare struct. Deserialization reads one struct and stops; bytes after it
/// are left alone (use an overload with <c>out long consumed</c> to see how many were read).
/// </remarks>
public static class ThriftSerializer
{
    private const int ScratchInitialBytes = 4 * 1024;

    /// <summary>Larger scratch buffers are not kept: one huge message must not pin its buffer to the thread.</summary>
    private const int ScratchMaxBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    /// <summary>Encodes a struct into a new array.</summary>
    /// <typeparam name="T">The struct type.</typeparam>
    /// <param name="value">The value to encode.</param>
    /// <param name="protocol">The wire protocol.</param>
    /// <returns>The encoded bytes.</returns>
    public static byte[] Serialize<T>(T value, ThriftProtocol protocol)
        where T : IThriftStruct<T>
    {
        // A per-thread scratch buffer, so the only allocation is the exact-size result (a fresh
        // writer per call cost three arrays for a 1 KiB message: 256 B, the grown one, the copy).
        // Taken out of the slot while in use, so a nested call just gets its own.
        var buffer = t_scratch ?? new ArrayBufferWriter<byte>(ScratchInitialBytes);
        t_scratch = null;
        try
        {
            Serialize(value, buffer, protocol);
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity <= ScratchMaxBytes)
            {
                buffer.ResetWrittenCount();
                t_scratch = buffer;
            }
        }
    }

    /// <summary>Encodes a struct into <paramref name="output"/> and advances it (the writer is flushed).</summary>
    /// <typeparam name="T">The struct type.</typeparam>
    /// <param name="value">The value to encode.</param>
    /// <param name="output">The destination.</param>
    /// <param name="protocol">The wire protocol.</param>
    public static void Serialize<T>(T value, IBufferWriter<byte> output, ThriftProtocol protocol)
        where T : IThriftStruct<T>
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        ArgumentNullException.ThrowIfNull(output);
        switch (protocol)
        {
            case ThriftProtocol.Binary:
            {
                var writer = new ThriftBinaryWriter(output);
                value.Write(ref writer);
                writer.Flush();
                break;
            }

            case ThriftProtocol.Compact:
            {
                var writer = new ThriftCompactWriter(output);
                value.Write(ref writer);
                writer.Flush();
                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Unknown Thrift protocol.");
        }
    }

    /// <summary>Decodes one struct from the start of <paramref name="data"/>.</summary>
    /// <typeparam name="T">The struct type.</typeparam>
    /// <param name="data">The encoded bytes (untrusted input is fine).</param>
    /// <param name="protocol">The wire protocol.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="ThriftProtocolException">The data is malformed, truncated or exceeds the default limits.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> data, ThriftProtocol protocol)
        where T : IThriftStruct<T> =>
        Deserialize<T>(data, protocol, default, out _);

    /// <summary>Decodes one struct from the start of <paramref name="data"/> and reports how many bytes it used.</summary>
    /// <typeparam name="T">The struct type.</typeparam>
    /// <param name="data">The encoded bytes (untrusted input is fine).</param>
    /// <param name="protocol">The wire protocol.</param>
    /// <param name="consumed">The number of bytes the struct occupied.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="ThriftProtocolException">The data is malformed, truncated or exceeds the default limits.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> data, ThriftProtocol protocol, out long consumed)
        where T : IThriftStruct<T> =>
        Deserialize<T>(data, protocol, default, out consumed);

    /// <summary>Decodes one struct from the start of <paramref name="data"/> with explicit limits.</summary>
    /// <typeparam name="T">The struct type.</typeparam>
    /// <param name="data">The encoded bytes (untrusted input is fine).</param>
    /// <param name="protocol">The wire protocol.</param>
    /// <param name="options">Limits for untrusted input.</param>
    /// <param name="consumed">The number of bytes the struct occupied.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="ThriftProtocolException">The data is malformed, truncated or exceeds <paramref name="options"/>.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> data, ThriftProtocol protocol, ThriftReaderOptions options, out long consumed)
        where T : IThriftStruct<T>
    {
        switch (protocol)
        {
            case ThriftProtocol.Binary:
            {
                var reader = new ThriftBinaryReader(data, options);
                var value = T.Read(ref reader);
                consumed = reader.Consumed;
                return value;
            }

            case ThriftProtocol.Compact:
            {
                var reader = new ThriftCompactReader(data, options);
                var value = T.Read(ref reader);
                consumed = reader.Consumed;
                return value;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Unknown Thrift protocol.");
        }
    }

    /// <summary>Decodes one struct from the start of a (possibly multi-segment) sequence.</summary>
    /// <typeparam name="T">The struct type.</typeparam>
    /// <param name="data">The encoded bytes (untrusted input is fine).</param>
    /// <param name="protocol">The wire protocol.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="ThriftProtocolException">The data is malformed, truncated or exceeds the default limits.</exception>
    public static T Deserialize<T>(ReadOnlySequence<byte> data, ThriftProtocol protocol)
        where T : IThriftStruct<T> =>
        Deserialize<T>(data, protocol, default, out _);

    /// <summary>Decodes one struct from the start of a sequence and reports how many bytes it used.</summary>
    /// <typeparam name="T">The struct type.</typeparam>
    /// <param name="data">The encoded bytes (untrusted input is fine).</param>
    /// <param name="protocol">The wire protocol.</param>
    /// <param name="consumed">The number of bytes the struct occupied; <c>data.Slice(consumed)</c> is what follows it.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="ThriftProtocolException">The data is malformed, truncated or exceeds the default limits.</exception>
    public static T Deserialize<T>(ReadOnlySequence<byte> data, ThriftProtocol protocol, out long consumed)
        where T : IThriftStruct<T> =>
        Deserialize<T>(data, protocol, default, out consumed);

    /// <summary>Decodes one struct from the start of a sequence with explicit limits.</summary>
    /// <typeparam name="T">The struct type.</typeparam>
    /// <param name="data">The encoded bytes (untrusted input is fine).</param>
    /// <param name="protocol">The wire protocol.</param>
    /// <param name="options">Limits for untrusted input.</param>
    /// <param name="consumed">The number of bytes the struct occupied; <c>data.Slice(consumed)</c> is what follows it.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="ThriftProtocolException">The data is malformed, truncated or exceeds <paramref name="options"/>.</exception>
    public static T Deserialize<T>(ReadOnlySequence<byte> data, ThriftProtocol protocol, ThriftReaderOptions options, out long consumed)
        where T : IThriftStruct<T>
    {
        switch (protocol)
        {
            case ThriftProtocol.Binary:
            {
                var reader = new ThriftBinaryReader(data, options);
                var value = T.Read(ref reader);
                consumed = reader.Consumed;
                return value;
            }

            case ThriftProtocol.Compact:
            {
                var reader = new ThriftCompactReader(data, options);
                var value = T.Read(ref reader);
                consumed = reader.Consumed;
                return value;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Unknown Thrift protocol.");
        }
    }
}
