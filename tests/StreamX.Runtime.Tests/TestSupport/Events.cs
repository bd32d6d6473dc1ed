using System.Globalization;
using StreamX.Thrift;

namespace StreamX.Runtime.Tests.TestSupport;

/// <summary>
/// A protocol-neutral trace of a struct: what a writer was told, or what a reader found. Strings are traced as the
/// hex of their UTF-8 bytes (a reader cannot tell string from binary); map header types are traced only for
/// non-empty maps (an empty Compact map carries none).
/// </summary>
public static class Events
{
    public static List<string> Of(IWriteScript script)
    {
        var recorder = new RecordingWriter();
        script.Write(ref recorder);
        return recorder.Events;
    }

    private static string Map(ThriftType k, ThriftType v, int count) => count == 0 ? "map 0" : $"map {k} {v} {count}";

    private sealed class RecordingWriter : IThriftWriter
    {
        public List<string> Events { get; } = [];

        public void WriteMessageBegin(string name, ThriftMessageType type, int seqId) => Events.Add($"message {name} {type} {seqId}");

        public void WriteMessageEnd() => Events.Add("message-end");

        public void WriteStructBegin() => Events.Add("struct");

        public void WriteStructEnd() => Events.Add("struct-end");

        public void WriteFieldBegin(ThriftType type, short id) => Events.Add($"field {type} {id}");

        public void WriteFieldEnd()
        {
        }

        public void WriteFieldStop() => Events.Add("stop");

        public void WriteBool(bool value) => Events.Add($"bool {value}");

        public void WriteByte(sbyte value) => Events.Add($"byte {value}");

        public void WriteI16(short value) => Events.Add($"i16 {value}");

        public void WriteI32(int value) => Events.Add($"i32 {value}");

        public void WriteI64(long value) => Events.Add($"i64 {value}");

        public void WriteDouble(double value) => Events.Add("double " + value.ToString("R", CultureInfo.InvariantCulture));

        public void WriteString(string value) => Events.Add("bin " + Hex.Format(System.Text.Encoding.UTF8.GetBytes(value)));

        public void WriteBinary(ReadOnlySpan<byte> value) => Events.Add("bin " + Hex.Format(value));

        public void WriteUuid(Guid value) => Events.Add($"uuid {value}");

        public void WriteListBegin(ThriftType elementType, int count) => Events.Add($"list {elementType} {count}");

        public void WriteListEnd() => Events.Add("list-end");

        public void WriteSetBegin(ThriftType elementType, int count) => Events.Add($"set {elementType} {count}");

        public void WriteSetEnd() => Events.Add("set-end");

        public void WriteMapBegin(ThriftType keyType, ThriftType valueType, int count) => Events.Add(Map(keyType, valueType, count));

        public void WriteMapEnd() => Events.Add("map-end");

        public void Flush()
        {
        }
    }

    /// <summary>Reads one struct generically, driven only by the type information on the wire.</summary>
    public sealed class Reader : IReadScript<List<string>>
    {
        public List<string> Read<TReader>(ref TReader reader)
            where TReader : IThriftReader, allows ref struct
        {
            var events = new List<string>();
            ReadValue(ref reader, ThriftType.Struct, events);
            return events;
        }

        private static void ReadValue<TReader>(ref TReader r, ThriftType type, List<string> events)
            where TReader : IThriftReader, allows ref struct
        {
            switch (type)
            {
                case ThriftType.Bool: events.Add($"bool {r.ReadBool()}"); break;
                case ThriftType.Byte: events.Add($"byte {r.ReadByte()}"); break;
                case ThriftType.I16: events.Add($"i16 {r.ReadI16()}"); break;
                case ThriftType.I32: events.Add($"i32 {r.ReadI32()}"); break;
                case ThriftType.I64: events.Add($"i64 {r.ReadI64()}"); break;
                case ThriftType.Double: events.Add("double " + r.ReadDouble().ToString("R", CultureInfo.InvariantCulture)); break;
                case ThriftType.String: events.Add("bin " + Hex.Format(r.ReadBinary())); break;
                case ThriftType.Uuid: events.Add($"uuid {r.ReadUuid()}"); break;
                case ThriftType.Struct:
                    events.Add("struct");
                    r.ReadStructBegin();
                    while (true)
                    {
                        var field = r.ReadFieldBegin();
                        if (field.Type == ThriftType.Stop)
                        {
                            break;
                        }

                        events.Add($"field {field.Type} {field.Id}");
                        ReadValue(ref r, field.Type, events);
                        r.ReadFieldEnd();
                    }

                    events.Add("stop");
                    r.ReadStructEnd();
                    events.Add("struct-end");
                    break;
                case ThriftType.List:
                {
                    var h = r.ReadListBegin();
                    events.Add($"list {h.ElementType} {h.Count}");
                    for (var i = 0; i < h.Count; i++)
                    {
                        ReadValue(ref r, h.ElementType, events);
                    }

                    r.ReadListEnd();
                    events.Add("list-end");
                    break;
                }

                case ThriftType.Set:
                {
                    var h = r.ReadSetBegin();
                    events.Add($"set {h.ElementType} {h.Count}");
                    for (var i = 0; i < h.Count; i++)
                    {
                        ReadValue(ref r, h.ElementType, events);
                    }

                    r.ReadSetEnd();
                    events.Add("set-end");
                    break;
                }

                case ThriftType.Map:
                {
                    var h = r.ReadMapBegin();
                    events.Add(Map(h.KeyType, h.ValueType, h.Count));
                    for (var i = 0; i < h.Count; i++)
                    {
                        ReadValue(ref r, h.KeyType, events);
                        ReadValue(ref r, h.ValueType, events);
                    }

                    r.ReadMapEnd();
                    events.Add("map-end");
                    break;
                }

                default:
                    throw new InvalidOperationException(type.ToString());
            }
        }
    }
}
