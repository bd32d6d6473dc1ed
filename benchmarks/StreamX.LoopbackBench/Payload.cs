using System.Text;
using StreamX.Examples.Echo;

namespace StreamX.LoopbackBench;

/// <summary>The 1 KiB message: <c>Response.message</c> of 1024 ASCII chars (raw: the same 1024 bytes).</summary>
internal static class Payload
{
    public const int Size = 1024;

    public static readonly string Text = string.Create(Size, 0, static (span, _) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (char)('a' + (i % 26));
        }
    });

    public static readonly byte[] Bytes = Encoding.ASCII.GetBytes(Text);

    public static readonly Response Response = new() { Message = Text };

    public static readonly Request Request = new() { Message = Text };
}
