using System.Globalization;

namespace StreamX.Thrift;

/// <summary>
/// Builds the exceptions readers and writers throw. Kept out of line so the hot paths stay small and inlinable;
/// call sites use <c>throw ThriftErrors.X(...)</c> so the compiler still sees the throw.
/// </summary>
internal static class ThriftErrors
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static ThriftProtocolException EndOfData(long needed, long remaining, long offset) =>
        new(ThriftProtocolErrorKind.EndOfData,
            string.Format(Invariant, "Unexpected end of Thrift data: {0} more byte(s) needed, {1} available", needed, remaining),
            offset);

    public static ThriftProtocolException InvalidData(string message, long offset) =>
        new(ThriftProtocolErrorKind.InvalidData, message, offset);

    public static ThriftProtocolException UnknownType(int typeId, long offset) =>
        new(ThriftProtocolErrorKind.InvalidData,
            string.Format(Invariant, "Unknown Thrift type id {0}", typeId),
            offset);

    public static ThriftProtocolException UnknownCompactType(int code, long offset) =>
        new(ThriftProtocolErrorKind.InvalidData,
            string.Format(Invariant, "Unknown Thrift Compact type code {0}", code),
            offset);

    public static ThriftProtocolException NegativeSize(string what, long size, long offset) =>
        new(ThriftProtocolErrorKind.NegativeSize,
            string.Format(Invariant, "Negative Thrift {0} {1}", what, size),
            offset);

    public static ThriftProtocolException SizeLimit(string what, long size, long limit, long offset) =>
        new(ThriftProtocolErrorKind.SizeLimit,
            string.Format(Invariant, "Thrift {0} {1} exceeds the limit of {2}", what, size, limit),
            offset);

    public static ThriftProtocolException ContainerTooLarge(long count, long minBytes, long remaining, long offset) =>
        new(ThriftProtocolErrorKind.EndOfData,
            string.Format(Invariant,
                "Thrift container declares {0} element(s), needing at least {1} byte(s), but only {2} remain",
                count, minBytes, remaining),
            offset);

    public static ThriftProtocolException DepthLimit(int maxDepth, long offset) =>
        new(ThriftProtocolErrorKind.DepthLimit,
            string.Format(Invariant, "Thrift structs and containers nest deeper than the limit of {0}", maxDepth),
            offset);

    public static ThriftProtocolException InsufficientStack(long offset) =>
        new(ThriftProtocolErrorKind.DepthLimit, "Not enough stack left to read deeper Thrift nesting", offset);
}
