using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace StreamX.Thrift;

/// <summary>The Compact protocol's 4-bit type codes and their mapping to <see cref="ThriftType"/>.</summary>
internal static class CompactTypes
{
    public const byte BoolTrue = 1;
    public const byte BoolFalse = 2;

    // Indexed by compact code; 0 = Stop, 0xFF = no such code. Codes 1 and 2 are both Bool (true/false in a field header).
    private static ReadOnlySpan<byte> FromCompactTable =>
    [
        (byte)ThriftType.Stop, (byte)ThriftType.Bool, (byte)ThriftType.Bool, (byte)ThriftType.Byte,
        (byte)ThriftType.I16, (byte)ThriftType.I32, (byte)ThriftType.I64, (byte)ThriftType.Double,
        (byte)ThriftType.String, (byte)ThriftType.List, (byte)ThriftType.Set, (byte)ThriftType.Map,
        (byte)ThriftType.Struct, (byte)ThriftType.Uuid, 0xFF, 0xFF,
    ];

    /// <summary>Maps a value type to its compact code; Bool maps to <see cref="BoolTrue"/>, the code used for container elements.</summary>
    /// <remarks>Inlined, so the constant types of generated code fold to constant codes; the throw lives out of line.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte ToCompact(ThriftType type) => type switch
    {
        ThriftType.Bool => BoolTrue,
        ThriftType.Byte => 3,
        ThriftType.I16 => 4,
        ThriftType.I32 => 5,
        ThriftType.I64 => 6,
        ThriftType.Double => 7,
        ThriftType.String => 8,
        ThriftType.List => 9,
        ThriftType.Set => 10,
        ThriftType.Map => 11,
        ThriftType.Struct => 12,
        ThriftType.Uuid => 13,
        _ => ThrowNotValueType(type),
    };

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte ThrowNotValueType(ThriftType type) =>
        throw new ArgumentOutOfRangeException(nameof(type), type, "Not a Thrift value type.");

    /// <summary>Maps a compact code (0..15) to a type; <see langword="false"/> for codes no protocol version defines.</summary>
    public static bool TryFromCompact(int code, out ThriftType type)
    {
        var t = FromCompactTable[code & 0x0F];
        type = (ThriftType)t;
        return t != 0xFF;
    }
}
