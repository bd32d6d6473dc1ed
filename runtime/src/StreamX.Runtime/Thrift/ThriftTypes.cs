using System.Runtime.CompilerServices;

namespace StreamX.Thrift;

/// <summary>Per-type facts shared by both protocols: which ids are valid and how small an encoded value can be.</summary>
internal static class ThriftTypes
{
    // Bit n set when type id n is a value type: Bool 2, Byte 3, Double 4, I16 6, I32 8, I64 10, String 11,
    // Struct 12, Map 13, Set 14, List 15, Uuid 16.
    private const uint ValueTypeMask = (1u << 2) | (1u << 3) | (1u << 4) | (1u << 6) | (1u << 8) | (1u << 10)
        | (1u << 11) | (1u << 12) | (1u << 13) | (1u << 14) | (1u << 15) | (1u << 16);

    /// <summary>True for the type ids of values (every id but Stop 0 and Void 1 that Thrift defines).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsValueType(int typeId) => (uint)typeId < 32 && ((ValueTypeMask >> typeId) & 1) != 0;

    /// <summary>
    /// The fewest bytes one Binary-encoded value of <paramref name="type"/> occupies. Multiplied by a container count
    /// it gives a lower bound to check against the remaining input before anyone allocates for the elements.
    /// </summary>
    public static int MinBinarySize(ThriftType type) => type switch
    {
        ThriftType.Bool or ThriftType.Byte or ThriftType.Struct => 1,
        ThriftType.I16 => 2,
        ThriftType.I32 or ThriftType.String => 4,
        ThriftType.Double or ThriftType.I64 => 8,
        ThriftType.List or ThriftType.Set => 5,
        ThriftType.Map => 6,
        ThriftType.Uuid => 16,
        _ => 1,
    };

    /// <summary>The fewest bytes one Compact-encoded value of <paramref name="type"/> occupies.</summary>
    public static int MinCompactSize(ThriftType type) => type switch
    {
        ThriftType.Double => 8,
        ThriftType.Uuid => 16,
        _ => 1,
    };

    /// <summary>
    /// Validates a container header before anyone allocates for it: the count must be non-negative, within the
    /// configured limit, and the remaining input must be able to hold that many elements of the minimum size.
    /// </summary>
    public static void CheckCount(int count, int minElementBytes, bool hasStopType, int maxCount, long remaining, long start)
    {
        if (count < 0)
        {
            throw ThriftErrors.NegativeSize("container size", count, start);
        }

        if (count == 0)
        {
            return;
        }

        if (count > maxCount)
        {
            throw ThriftErrors.SizeLimit("container size", count, maxCount, start);
        }

        if (hasStopType)
        {
            throw ThriftErrors.InvalidData("Non-empty Thrift container whose element type is Stop", start);
        }

        var minBytes = (long)count * minElementBytes;
        if (minBytes > remaining)
        {
            throw ThriftErrors.ContainerTooLarge(count, minBytes, remaining, start);
        }
    }
}
