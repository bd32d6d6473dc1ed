namespace StreamX.Thrift;

/// <summary>Per-type facts shared by both protocols: which ids are valid and how small an encoded value can be.</summary>
internal static class ThriftTypes
{
    public static bool IsValueType(int typeId) => typeId switch
    {
        2 or 3 or 4 or 6 or 8 or 10 or 11 or 12 or 13 or 14 or 15 or 16 => true,
        _ => false,
    };

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
