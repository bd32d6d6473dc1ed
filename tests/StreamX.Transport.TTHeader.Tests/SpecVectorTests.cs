using System.Buffers;
using StreamX.Thrift;
using StreamX.Transport.TTHeader.Tests.Support;

namespace StreamX.Transport.TTHeader.Tests;

/// <summary>Spec §8, vectors V1–V15: every frame encodes to exactly the spec's bytes and decodes to the right fields.</summary>
public class SpecVectorTests
{
    private const string CancelMessage =
        "user code invoking stream RPC with context processed by context.WithCancel or context.WithTimeout, then invoking cancel() actively";

    private const string RecvTimeoutMessage =
        "stream Recv timeout, timeout config={Timeout:50ms DisableCancelRemote:false}";

    public static readonly TheoryData<string> Names = new(Vectors().Keys);

    public static IReadOnlyDictionary<string, (Frame Frame, string Hex)> Vectors() => new Dictionary<string, (Frame, string)>
    {
        ["V1"] = (
            Frame.Create(FrameType.Header, 1, "Echo", Codec.Strings(("isn", "TestService"))),
            "000000321000000200000001000a1000010001000369736e000b5465737453657276696365100002000900044563686f001b00013200"),
        ["V2"] = (
            Frame.Create(FrameType.Data, 1, "Echo", payload: Hex.Parse("0b00010000000568656c6c6f00")),
            "0000002b100000020000000100051000100002000900044563686f001b00013300000b00010000000568656c6c6f00"),
        ["V3"] = (
            Frame.Create(FrameType.Trailer, 1, "Echo"),
            "0000001e100000020000000100051000100002000900044563686f001b0001340000"),
        ["V4"] = (
            Frame.Create(FrameType.Header, 1, "Echo"),
            "0000001e100000020000000100051000100002000900044563686f001b0001320000"),
        ["V5"] = (
            Frame.Create(FrameType.Trailer, 1, "Echo", payload: ExceptionPayload.Encode("Echo", 1, 6, "biz error: boom")),
            "0000004c100000020000000100051000100002000900044563686f001b000134000080010003000000044563686f000000010b00010000000f62697a206572726f723a20626f6f6d0800020000000600"),
        ["V6"] = (
            Frame.Create(FrameType.Trailer, 1, "Echo", Codec.Strings(("biz-status", "10001"), ("biz-message", "no balance"))),
            "0000004e100000020000000100111000010002000a62697a2d73746174757300053130303031000b62697a2d6d657373616765000a6e6f2062616c616e6365100002000900044563686f001b000134000000"),
        ["V7"] = (
            Frame.Create(FrameType.Rst, 1, "Echo", Codec.Strings(("ttscp", "ServiceA")), ExceptionPayload.Encode("Echo", 1, 12007, CancelMessage)),
            "000000d31000000200000001000a10000100010005747473637000085365727669636541100002000900044563686f001b000135000080010003000000044563686f000000010b0001000000827573657220636f646520696e766f6b696e672073747265616d20525043207769746820636f6e746578742070726f63657373656420627920636f6e746578742e5769746843616e63656c206f7220636f6e746578742e5769746854696d656f75742c207468656e20696e766f6b696e672063616e63656c2829206163746976656c7908000200002ee700"),
        ["V8"] = (
            Frame.Create(FrameType.Rst, 7, "Echo", payload: ExceptionPayload.Encode("Echo", 7, 13, "rst")),
            "00000040100000020000000700051000100002000900044563686f001b000135000080010003000000044563686f000000070b0001000000037273740800020000000d00"),
        ["V9"] = (
            Frame.Create(FrameType.Header, 0, "method", Codec.Strings(("key", "value")), "hello world"u8.ToArray()),
            "0000003910000002000000000009100001000100036b6579000576616c7565100002000900066d6574686f64001b0001320068656c6c6f20776f726c64"),
        ["V11"] = (
            Frame.Create(FrameType.Data, int.MinValue, "Echo"),
            "0000001e100000028000000000051000100002000900044563686f001b0001330000"),
        ["V12"] = (
            Frame.Create(FrameType.Header, 3, "Echo", Codec.Strings(("RPC_TRANSIT_gdpr-token", "tok"), ("isn", "TestService"))),
            "0000003a1000000200000003000c1000110003746f6b010001000369736e000b5465737453657276696365100002000900044563686f001b000132000000"),
        ["V13"] = (
            Frame.Create(FrameType.Header, 5, "EchoServer", Codec.Strings(("isn", "TestService"), ("RPC_PERSIST_k1", "v1"), ("RPC_TRANSIT_k2", "v2"))),
            "00000062100000020000000500161000010003000369736e000b5465737453657276696365000e5250435f504552534953545f6b3100027631000e5250435f5452414e5349545f6b32000276321000020009000a4563686f536572766572001b000132000000"),
        ["V14"] = (
            Frame.Create(FrameType.Meta, 5, "EchoServer", Codec.Strings(("rip", "10.0.0.1:8888"))),
            "0000003a1000000200000005000c10000100010003726970000d31302e302e302e313a383838381000020009000a4563686f536572766572001b00013100"),
        ["V15"] = (
            Frame.Create(FrameType.Rst, 5, "EchoServer", Codec.Strings(("ttscp", "A,B")), ExceptionPayload.Encode("EchoServer", 5, 12014, RecvTimeoutMessage)),
            "000000a31000000200000005000a1000010001000574747363700003412c421000020009000a4563686f536572766572001b00013500800100030000000a4563686f536572766572000000050b00010000004c73747265616d20526563762074696d656f75742c2074696d656f757420636f6e6669673d7b54696d656f75743a35306d732044697361626c6543616e63656c52656d6f74653a66616c73657d08000200002eee00"),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Encodes_to_the_spec_bytes(string name)
    {
        var (frame, hex) = Vectors()[name];
        Assert.Equal(hex, Hex.Of(Codec.Encode(frame)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Decodes_to_the_same_fields(string name)
    {
        var (frame, hex) = Vectors()[name];
        var decoded = Codec.Decode(Hex.Parse(hex));
        Codec.AssertSame(frame, decoded);
        Assert.Empty(decoded.IntHeaders);
    }

    [Theory]
    [InlineData(1, 50 + 4)]
    [InlineData(2, 43 + 4)]
    [InlineData(7, 211 + 4)]
    [InlineData(12, 58 + 4)]
    public void Frame_sizes_match_the_spec(int vector, int size)
    {
        var (_, hex) = Vectors()["V" + vector];
        Assert.Equal(size, hex.Length / 2);
    }

    [Fact]
    public void V12_keeps_the_acl_token_out_of_the_string_block()
    {
        var decoded = Codec.Decode(Hex.Parse(Vectors()["V12"].Hex));
        Assert.Equal("tok", decoded.StringHeaders[FrameCodec.AclTokenKey]);
        Assert.Equal("TestService", decoded.StringHeaders["isn"]);
        Assert.Equal(2, decoded.StringHeaders.Count);
    }

    [Theory]
    [InlineData("V5", 6, "biz error: boom", "Echo", 1)]
    [InlineData("V7", 12007, CancelMessage, "Echo", 1)]
    [InlineData("V8", 13, "rst", "Echo", 7)]
    [InlineData("V15", 12014, RecvTimeoutMessage, "EchoServer", 5)]
    public void Exception_payloads_decode(string name, int type, string message, string method, int seqId)
    {
        var decoded = Codec.Decode(Hex.Parse(Vectors()[name].Hex));
        var exception = ExceptionPayload.Decode(decoded.Payload.Span, out var envelopeMethod, out var envelopeSeqId);
        Assert.Equal(type, exception.Type);
        Assert.Equal(message, exception.Message);
        Assert.Equal(method, envelopeMethod);
        Assert.Equal(seqId, envelopeSeqId);
        Assert.Equal(decoded.Payload.ToArray(), ExceptionPayload.Encode(method, seqId, new ThriftApplicationException(type, message)));
    }

    [Fact]
    public void V10_payload_is_a_bare_binary_struct()
    {
        // testRequest{1: i32 A = 1, 2: string B = "hello world"}: the Data payload has no envelope and no wrapper.
        var output = new ArrayBufferWriter<byte>();
        var writer = new ThriftBinaryWriter(output);
        writer.WriteStructBegin();
        writer.WriteFieldBegin(ThriftType.I32, 1);
        writer.WriteI32(1);
        writer.WriteFieldEnd();
        writer.WriteFieldBegin(ThriftType.String, 2);
        writer.WriteString("hello world");
        writer.WriteFieldEnd();
        writer.WriteFieldStop();
        writer.WriteStructEnd();
        writer.Flush();
        Assert.Equal("080001000000010b00020000000b68656c6c6f20776f726c6400", Hex.Of(output.WrittenSpan));

        var frame = Codec.Decode(Codec.Encode(Frame.Create(FrameType.Data, 1, "Echo", payload: output.WrittenMemory)));
        Assert.Equal(output.WrittenSpan.ToArray(), frame.Payload.ToArray());
    }
}
