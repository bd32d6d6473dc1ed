using System.Globalization;
using StreamX.Thrift;

namespace StreamX.Runtime.Tests.TestSupport;

/// <summary>
/// Writes or reads one primitive named by kind ("i32", "string", ...) with its value as invariant text, so [Theory]
/// tables can hold every primitive in one shape.
/// </summary>
public sealed class Primitive(string kind, string value = "") : IWriteScript, IReadScript<string>
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public void Write<TWriter>(ref TWriter writer)
        where TWriter : IThriftWriter, allows ref struct
    {
        switch (kind)
        {
            case "bool": writer.WriteBool(bool.Parse(value)); break;
            case "byte": writer.WriteByte(sbyte.Parse(value, Inv)); break;
            case "i16": writer.WriteI16(short.Parse(value, Inv)); break;
            case "i32": writer.WriteI32(int.Parse(value, Inv)); break;
            case "i64": writer.WriteI64(long.Parse(value, Inv)); break;
            case "double": writer.WriteDouble(double.Parse(value, Inv)); break;
            case "string": writer.WriteString(value); break;
            case "binary": writer.WriteBinary(Hex.Parse(value)); break;
            case "uuid": writer.WriteUuid(Guid.Parse(value)); break;
            default: throw new ArgumentException(kind);
        }
    }

    public string Read<TReader>(ref TReader reader)
        where TReader : IThriftReader, allows ref struct => kind switch
    {
        "bool" => reader.ReadBool() ? "true" : "false",
        "byte" => reader.ReadByte().ToString(Inv),
        "i16" => reader.ReadI16().ToString(Inv),
        "i32" => reader.ReadI32().ToString(Inv),
        "i64" => reader.ReadI64().ToString(Inv),
        "double" => reader.ReadDouble().ToString("R", Inv),
        "string" => reader.ReadString(),
        "binary" => Hex.Format(reader.ReadBinary()),
        "uuid" => reader.ReadUuid().ToString(),
        _ => throw new ArgumentException(kind),
    };
}
