using StreamX.Transport.Grpc;

namespace StreamX.Transport.Grpc.Tests;

public sealed class GrpcProtocolTests
{
    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+thrift", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("application/grpc;charset=utf-8", true)]
    [InlineData("APPLICATION/GRPC", true)]
    [InlineData("application/grpcx", false)]
    [InlineData("application/json", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void ContentType_IsRecognised(string? contentType, bool expected) =>
        Assert.Equal(expected, GrpcProtocol.IsGrpcContentType(contentType));

    [Theory]
    [InlineData(250, "250000u")]
    [InlineData(99, "99000000n")]
    [InlineData(1500, "1500000u")]
    [InlineData(30_000, "30000000u")]
    [InlineData(200_000, "200000m")]
    public void Timeout_Encodes_InTheFinestUnitThatFits(int milliseconds, string expected) =>
        Assert.Equal(expected, GrpcProtocol.EncodeTimeout(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Timeout_RoundsUp_AndNeverExceedsEightDigits()
    {
        Assert.Equal("1n", GrpcProtocol.EncodeTimeout(TimeSpan.Zero));
        Assert.Equal("100n", GrpcProtocol.EncodeTimeout(TimeSpan.FromTicks(1)));
        foreach (var t in new[] { TimeSpan.FromDays(3), TimeSpan.FromDays(400), TimeSpan.MaxValue, TimeSpan.FromMilliseconds(123.4567) })
        {
            var text = GrpcProtocol.EncodeTimeout(t);
            Assert.InRange(text.Length, 2, 9);
            Assert.True(GrpcProtocol.TryParseTimeout(text, out var parsed), text);
            Assert.True(parsed >= t || text.EndsWith('H'), $"{text} is shorter than {t}");
        }
    }

    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("3S", 30_000_000L)]
    [InlineData("250m", 2_500_000L)]
    [InlineData("7u", 70L)]
    [InlineData("150n", 2L)]
    [InlineData("99999999S", 999_999_990_000_000L)]
    public void Timeout_Parses(string text, long ticks)
    {
        Assert.True(GrpcProtocol.TryParseTimeout(text, out var t));
        Assert.Equal(ticks, t.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("m")]
    [InlineData("123456789S")]
    [InlineData("-5S")]
    [InlineData("5s")]
    [InlineData("5 S")]
    [InlineData("1.5S")]
    public void Timeout_Malformed_IsRefused(string text) => Assert.False(GrpcProtocol.TryParseTimeout(text, out _));

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("100%", "100%25")]
    [InlineData("line\nbreak", "line%0Abreak")]
    [InlineData("héllo", "h%C3%A9llo")]
    [InlineData("emoji 😀", "emoji %F0%9F%98%80")]
    public void Message_IsPercentEncoded_AndDecodesBack(string message, string wire)
    {
        Assert.Equal(wire, GrpcProtocol.EncodeMessage(message));
        Assert.Equal(message, GrpcProtocol.DecodeMessage(wire));
    }

    [Theory]
    [InlineData("%", "%")]
    [InlineData("%4", "%4")]
    [InlineData("%zz ok", "%zz ok")]
    [InlineData("Deadline%20exceeded", "Deadline exceeded")]
    [InlineData("%e2%82%ac", "€")]
    public void Message_MalformedEscapes_AreKept(string wire, string expected) => Assert.Equal(expected, GrpcProtocol.DecodeMessage(wire));

    [Theory]
    [InlineData(400, GrpcStatusCode.Internal)]
    [InlineData(401, GrpcStatusCode.Unauthenticated)]
    [InlineData(403, GrpcStatusCode.PermissionDenied)]
    [InlineData(404, GrpcStatusCode.Unimplemented)]
    [InlineData(429, GrpcStatusCode.Unavailable)]
    [InlineData(502, GrpcStatusCode.Unavailable)]
    [InlineData(503, GrpcStatusCode.Unavailable)]
    [InlineData(504, GrpcStatusCode.Unavailable)]
    [InlineData(500, GrpcStatusCode.Unknown)]
    [InlineData(415, GrpcStatusCode.Unknown)]
    public void HttpStatus_MapsAsTheProtocolSays(int http, GrpcStatusCode expected) => Assert.Equal(expected, GrpcProtocol.FromHttpStatus(http));

    [Theory]
    [InlineData("/echo.TestService/Echo", "TestService", "Echo")]
    [InlineData("/TestService/Echo", "TestService", "Echo")]
    [InlineData("/a.b.c.TestService/PingPong", "TestService", "PingPong")]
    public void Path_RoutesOnServiceAndMethod(string path, string service, string method)
    {
        Assert.True(GrpcProtocol.TryParsePath(path, out var s, out var m));
        Assert.Equal((service, method), (s, m));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/TestService")]
    [InlineData("/TestService/")]
    [InlineData("TestService/Echo")]
    [InlineData("/a/b/c")]
    [InlineData("/echo./Echo")]
    public void Path_Malformed_IsRefused(string path) => Assert.False(GrpcProtocol.TryParsePath(path, out _, out _));

    [Fact]
    public void Path_IsBuiltWithAndWithoutPackage()
    {
        Assert.Equal("/echo.TestService/Echo", GrpcProtocol.Path("echo", "TestService", "Echo"));
        Assert.Equal("/TestService/Echo", GrpcProtocol.Path(null, "TestService", "Echo"));
    }
}
