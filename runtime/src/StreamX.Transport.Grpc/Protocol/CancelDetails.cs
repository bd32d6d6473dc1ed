using StreamX.Thrift;

namespace StreamX.Transport.Grpc;

/// <summary>
/// The StreamX control message a client sends just before RST_STREAM when the server confirmed the
/// <c>cancel-details</c> feature: why the stream is canceled (code, message, canceled path), which an
/// HTTP/2 reset cannot carry. A Thrift Binary struct: 1 message, 2 code (the TApplicationException
/// layout, so ttstream's Rst payload and this agree), 3 canceled path.
/// </summary>
internal sealed class CancelDetails : IThriftStruct<CancelDetails>
{
    public CancelDetails(int code, string message, string? canceledPath)
    {
        Code = code;
        Message = message;
        CanceledPath = canceledPath;
    }

    public int Code { get; }

    public string Message { get; }

    public string? CanceledPath { get; }

    public ThriftApplicationException ToApplicationException() => new(Code, Message);

    public void Write<TWriter>(ref TWriter writer)
        where TWriter : IThriftWriter, allows ref struct
    {
        writer.WriteStructBegin();
        writer.WriteFieldBegin(ThriftType.String, 1);
        writer.WriteString(Message);
        writer.WriteFieldEnd();
        writer.WriteFieldBegin(ThriftType.I32, 2);
        writer.WriteI32(Code);
        writer.WriteFieldEnd();
        if (CanceledPath is not null)
        {
            writer.WriteFieldBegin(ThriftType.String, 3);
            writer.WriteString(CanceledPath);
            writer.WriteFieldEnd();
        }

        writer.WriteFieldStop();
        writer.WriteStructEnd();
    }

    public static CancelDetails Read<TReader>(ref TReader reader)
        where TReader : IThriftReader, allows ref struct
    {
        string message = string.Empty;
        string? path = null;
        var code = 0;
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
                case 1 when field.Type == ThriftType.String:
                    message = reader.ReadString();
                    break;
                case 2 when field.Type == ThriftType.I32:
                    code = reader.ReadI32();
                    break;
                case 3 when field.Type == ThriftType.String:
                    path = reader.ReadString();
                    break;
                default:
                    reader.Skip(field.Type);
                    break;
            }

            reader.ReadFieldEnd();
        }

        reader.ReadStructEnd();
        return new CancelDetails(code, message, path);
    }
}
