using System.Buffers.Binary;

namespace StreamX.Transport.Grpc.Tests;

/// <summary>Hand-made gRPC wire bytes for tests that play a peer.</summary>
internal static class Wire
{
    /// <summary>One length-prefixed message: flag byte, big-endian length, payload.</summary>
    public static byte[] Frame(byte[] payload, byte flag = 0)
    {
        var bytes = new byte[5 + payload.Length];
        bytes[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(bytes, 5);
        return bytes;
    }
}
