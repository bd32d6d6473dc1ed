namespace StreamX.Thrift;

/// <summary>
/// Skip for both readers. It recurses, but every level goes through the reader's Begin calls, which enforce
/// <see cref="ThriftReaderOptions.MaxDepth"/> and check the remaining stack, so hostile nesting ends in a
/// <see cref="ThriftProtocolException"/> rather than a stack overflow.
/// </summary>
internal static class ThriftSkipper
{
    public static void Skip<TReader>(ref TReader reader, ThriftType type)
        where TReader : IThriftSkipSupport, allows ref struct
    {
        switch (type)
        {
            case ThriftType.Bool:
                reader.ReadBool();
                break;
            case ThriftType.Byte:
                reader.ReadByte();
                break;
            case ThriftType.I16:
                reader.ReadI16();
                break;
            case ThriftType.I32:
                reader.ReadI32();
                break;
            case ThriftType.I64:
                reader.ReadI64();
                break;
            case ThriftType.Double:
                reader.ReadDouble();
                break;
            case ThriftType.String:
                reader.SkipBinaryValue();
                break;
            case ThriftType.Uuid:
                reader.ReadUuid();
                break;
            case ThriftType.Struct:
                reader.ReadStructBegin();
                while (true)
                {
                    var field = reader.ReadFieldBegin();
                    if (field.Type == ThriftType.Stop)
                    {
                        break;
                    }

                    Skip(ref reader, field.Type);
                    reader.ReadFieldEnd();
                }

                reader.ReadStructEnd();
                break;
            case ThriftType.List:
            {
                var list = reader.ReadListBegin();
                for (var i = 0; i < list.Count; i++)
                {
                    Skip(ref reader, list.ElementType);
                }

                reader.ReadListEnd();
                break;
            }

            case ThriftType.Set:
            {
                var set = reader.ReadSetBegin();
                for (var i = 0; i < set.Count; i++)
                {
                    Skip(ref reader, set.ElementType);
                }

                reader.ReadSetEnd();
                break;
            }

            case ThriftType.Map:
            {
                var map = reader.ReadMapBegin();
                for (var i = 0; i < map.Count; i++)
                {
                    Skip(ref reader, map.KeyType);
                    Skip(ref reader, map.ValueType);
                }

                reader.ReadMapEnd();
                break;
            }

            default:
                throw ThriftErrors.UnknownType((int)type, reader.Consumed);
        }
    }
}
