namespace StreamX.Thrift;

/// <summary>
/// Thrift wire types. The numeric values are the type ids of the Binary protocol; the Compact protocol
/// maps them to its own 4-bit codes internally, so callers only ever see these values.
/// </summary>
public enum ThriftType : byte
{
    /// <summary>End of a struct's field list (never a value type).</summary>
    Stop = 0,

    /// <summary>Boolean.</summary>
    Bool = 2,

    /// <summary>Signed 8-bit integer (Thrift <c>byte</c>/<c>i8</c>).</summary>
    Byte = 3,

    /// <summary>IEEE 754 64-bit floating point number.</summary>
    Double = 4,

    /// <summary>Signed 16-bit integer.</summary>
    I16 = 6,

    /// <summary>Signed 32-bit integer; also used for enums.</summary>
    I32 = 8,

    /// <summary>Signed 64-bit integer.</summary>
    I64 = 10,

    /// <summary>Length-prefixed bytes: both <c>string</c> (UTF-8) and <c>binary</c>.</summary>
    String = 11,

    /// <summary>Struct, union or exception.</summary>
    Struct = 12,

    /// <summary>Map.</summary>
    Map = 13,

    /// <summary>Set.</summary>
    Set = 14,

    /// <summary>List.</summary>
    List = 15,

    /// <summary>128-bit UUID, 16 bytes in RFC 4122 (big-endian) order.</summary>
    Uuid = 16,
}
