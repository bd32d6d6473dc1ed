using StreamX.Runtime.Tests.TestSupport;

namespace StreamX.Runtime.Tests.ApacheInterop;

/// <summary>Byte-level agreement with Apache Thrift's Python TBinaryProtocol and TCompactProtocol, both directions.</summary>
public class PythonThriftInteropTests(PythonThriftPeer peer) : IClassFixture<PythonThriftPeer>
{
    public static TheoryData<string, string> Cases => InteropCases.All();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Python_bytes_decode_to_the_twin_and_the_twin_encodes_the_same_bytes(string name, string protocol)
    {
        Assert.True(peer.PythonEncodings.TryGetValue((name, protocol), out var pythonHex), $"peer.py printed no {name} {protocol}");
        var pythonBytes = Hex.Parse(pythonHex);

        var decoded = InteropCases.Decode(name, InteropCases.Parse(protocol), pythonBytes, out var consumed);
        Assert.True(InteropCases.Same(InteropCases.Expected(name), decoded), $"{name} {protocol}: decoded value differs from the C# twin");
        Assert.Equal(pythonBytes.Length, consumed);

        Assert.Equal(pythonHex, Hex.Format(InteropCases.Encode(name, InteropCases.Parse(protocol))));
    }

    [Fact]
    public async Task Python_decodes_our_bytes_and_reencodes_them_identically()
    {
        var ours = InteropCases.Names
            .SelectMany(name => InteropCases.Protocols.Select(protocol => (name, protocol, hex: Hex.Format(InteropCases.Encode(name, InteropCases.Parse(protocol))))))
            .ToList();

        var replies = await peer.RoundTripAsync(ours.Select(o => $"{o.name} {o.protocol} {o.hex}"));

        Assert.Equal(ours.Count, replies.Count);
        for (var i = 0; i < ours.Count; i++)
        {
            var (name, protocol, hex) = ours[i];
            Assert.Equal([name, protocol, "ok"], replies[i][..3]);
            Assert.Equal(hex, replies[i].Length > 3 ? replies[i][3] : string.Empty);
        }
    }

    [Fact]
    public void Python_matches_the_spec_vectors()
    {
        // ttstream §8 V10 (testRequest{A: 1, B: "hello world"}) and V5's exception payload.
        Assert.Equal("080001000000010b00020000000b68656c6c6f20776f726c6400", peer.PythonEncodings[("request", "binary")]);
        Assert.Equal("80010003000000044563686f000000010b00010000000f62697a206572726f723a20626f6f6d0800020000000600",
            peer.PythonEncodings[("exception", "binary")]);
    }
}
