using StreamX.Thrift;

namespace StreamX.Runtime.Tests.TestSupport;

/// <summary>
/// Kitex's <c>testRequest { 1: i32 A; 2: string B }</c> (ttstream spec §8 V10) and the interop IDL's <c>Request</c>.
/// </summary>
public sealed record TestRequest(int A, string B) : IThriftStruct<TestRequest>
{
    public void Write<TWriter>(ref TWriter writer)
        where TWriter : IThriftWriter, allows ref struct
    {
        writer.WriteStructBegin();
        writer.WriteFieldBegin(ThriftType.I32, 1);
        writer.WriteI32(A);
        writer.WriteFieldEnd();
        writer.WriteFieldBegin(ThriftType.String, 2);
        writer.WriteString(B);
        writer.WriteFieldEnd();
        writer.WriteFieldStop();
        writer.WriteStructEnd();
    }

    public static TestRequest Read<TReader>(ref TReader reader)
        where TReader : IThriftReader, allows ref struct
    {
        var a = 0;
        var b = string.Empty;
        reader.ReadStructBegin();
        while (true)
        {
            var field = reader.ReadFieldBegin();
            if (field.Type == ThriftType.Stop)
            {
                break;
            }

            switch (field.Id)
            {
                case 1 when field.Type == ThriftType.I32:
                    a = reader.ReadI32();
                    break;
                case 2 when field.Type == ThriftType.String:
                    b = reader.ReadString();
                    break;
                default:
                    reader.Skip(field.Type);
                    break;
            }

            reader.ReadFieldEnd();
        }

        reader.ReadStructEnd();
        return new TestRequest(a, b);
    }
}
