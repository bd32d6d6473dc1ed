using StreamX.Idl.Model;
using static StreamX.Idl.Tests.Unit.IdlTestHelper;

namespace StreamX.Idl.Tests.Unit;

/// <summary>
/// The Kitex <c>streaming.mode</c> rules (thriftgo streaming.go, shared/spec/ttstream.md §7) and
/// StreamX's stricter payload checks.
/// </summary>
public class StreamingTests
{
    private const string Types = "struct Req {}\nstruct Resp {}\nunion U { 1: i32 a }\nexception X {}\nenum E { A }\ntypedef Req ReqAlias\ntypedef ReqAlias ReqAlias2\ntypedef i32 Int\n";

    /// <summary>The line <see cref="Svc"/> puts the method on.</summary>
    private const int MethodLine = 10;

    /// <summary>A file with the shared types and <c>service S</c> holding one method on line <see cref="MethodLine"/>, from column 3.</summary>
    private static string Svc(string method) => Types + "service S {\n  " + method + "\n}";

    /// <summary>The column of <paramref name="token"/> inside a method written by <see cref="Svc"/>.</summary>
    private static int Col(string method, string token)
    {
        var i = method.IndexOf(token, StringComparison.Ordinal);
        Assert.True(i >= 0, $"'{token}' not in '{method}'");
        return i + 3;
    }

    private static MethodModel SingleMethod(IdlFile file) => Service(file, "S").Methods.Single();

    [Theory]
    [InlineData("bidirectional", StreamingMode.Bidirectional, true)]
    [InlineData("client", StreamingMode.Client, true)]
    [InlineData("server", StreamingMode.Server, true)]
    [InlineData("unary", StreamingMode.Unary, false)]
    public void ModeValues(string value, StreamingMode mode, bool streaming)
    {
        var m = SingleMethod(Clean(Svc($"Resp f(1: Req r) (streaming.mode=\"{value}\")")));
        Assert.Equal(mode, m.StreamingMode);
        Assert.Equal(streaming, m.IsStreaming);
        Assert.Equal(value, m.Annotations.Get("streaming.mode"));
    }

    [Fact]
    public void NoAnnotationIsNone()
    {
        var m = SingleMethod(Clean(Svc("Resp f(1: Req r) (other = \"x\")")));
        Assert.Equal(StreamingMode.None, m.StreamingMode);
        Assert.False(m.IsStreaming);
    }

    [Fact]
    public void UnaryIsAPingPongMethodWithoutPayloadRules()
    {
        // With -streamx, unary is treated as PingPong: base types, void and throws are fine.
        var file = Clean(Svc("void f(1: i32 a) throws (1: X x) (streaming.mode=\"unary\")"));
        Assert.False(SingleMethod(file).IsStreaming);
        Assert.False(Service(file, "S").HasStreamingMethods);
    }

    [Theory]
    [InlineData("streaming.mode=\"server\", streaming.mode=\"server\"")]
    [InlineData("streaming.mode=\"server\", streaming.mode=\"client\"")]
    [InlineData("streaming.mode=\"bogus\", streaming.mode=\"client\"")]
    [InlineData("streaming.mode=\"unary\", other=\"1\", streaming.mode=\"unary\", streaming.mode=\"unary\"")]
    public void MultipleValues(string annotations)
    {
        var method = $"Resp f(1: Req r) ({annotations})";
        var c = Compile(Svc(method));
        var second = method.IndexOf("streaming.mode", method.IndexOf("streaming.mode", StringComparison.Ordinal) + 1, StringComparison.Ordinal) + 3;
        var d = AssertSingleError(c, "SX3001", MethodLine, second);
        Assert.Equal("f has multiple values for annotation streaming.mode (at most 1 allowed)", d.Message);
        AssertLacks(c, "SX2028");
    }

    [Theory]
    [InlineData("streaming.mode=\"Server\"", "Server")]
    [InlineData("streaming.mode=\"SERVER\"", "SERVER")]
    [InlineData("streaming.mode=\"bidi\"", "bidi")]
    [InlineData("streaming.mode=\"stream\"", "stream")]
    [InlineData("streaming.mode=\" server\"", " server")]
    [InlineData("streaming.mode=\"\"", "")]
    [InlineData("streaming.mode", "")]
    [InlineData("streaming.mode='none'", "none")]
    public void InvalidValue(string annotation, string value)
    {
        var method = $"Resp f(1: Req r) ({annotation})";
        var d = AssertSingleError(Compile(Svc(method)), "SX3002", MethodLine, Col(method, "streaming.mode"));
        Assert.StartsWith($"invalid value ({value}) for annotation streaming.mode", d.Message);
        Assert.Equal($"invalid value ({value}) for annotation streaming.mode (allowed: bidirectional, client, server, unary)", d.Message);
    }

    [Fact]
    public void AnnotationKeyIsCaseSensitive()
    {
        var m = SingleMethod(Clean(Svc("Resp f(1: Req r, 2: Req s) (Streaming.Mode=\"server\")")));
        Assert.Equal(StreamingMode.None, m.StreamingMode);
    }

    [Theory]
    [InlineData("Resp f() (streaming.mode=\"server\")")]
    [InlineData("Resp f(1: Req a, 2: Req b) (streaming.mode=\"client\")")]
    [InlineData("Resp f(1: Req a, 2: Req b, 3: Req c) (streaming.mode=\"bidirectional\")")]
    [InlineData("Resp f() (streaming.mode=\"unary\")")]
    [InlineData("i32 f(1: i32 a, 2: i32 b) (streaming.mode=\"unary\")")]
    public void ArgumentCount(string method)
    {
        var d = AssertSingleError(Compile(Svc(method)), "SX3003", MethodLine, Col(method, "f("));
        Assert.Equal("streaming function f should have exactly 1 argument", d.Message);
    }

    [Theory]
    [InlineData("Resp f(1: i32 r) (streaming.mode=\"server\")", "r)", "its argument", "i32")]
    [InlineData("Resp f(1: string r) (streaming.mode=\"client\")", "r)", "its argument", "string")]
    [InlineData("Resp f(1: Int r) (streaming.mode=\"client\")", "r)", "its argument", "i32")]
    [InlineData("Resp f(1: list<Req> r) (streaming.mode=\"bidirectional\")", "r)", "its argument", "list<main.Req>")]
    [InlineData("Resp f(1: map<string, Req> r) (streaming.mode=\"bidirectional\")", "r)", "its argument", "map<string,main.Req>")]
    [InlineData("Resp f(1: E r) (streaming.mode=\"server\")", "r)", "its argument", "enum E")]
    [InlineData("Resp f(1: X r) (streaming.mode=\"server\")", "r)", "its argument", "exception X")]
    [InlineData("i64 f(1: Req r) (streaming.mode=\"server\")", "i64", "its result", "i64")]
    [InlineData("list<Resp> f(1: Req r) (streaming.mode=\"client\")", "list", "its result", "list<main.Resp>")]
    [InlineData("E f(1: Req r) (streaming.mode=\"bidirectional\")", "E f", "its result", "enum E")]
    [InlineData("X f(1: Req r) (streaming.mode=\"bidirectional\")", "X f", "its result", "exception X")]
    [InlineData("void f(1: Req r) (streaming.mode=\"server\")", "f(", "its result", "void")]
    public void PayloadMustBeAStruct(string method, string at, string what, string actual)
    {
        var d = AssertSingleError(Compile(Svc(method)), "SX3004", MethodLine, Col(method, at));
        Assert.Equal($"streaming function f: {what} must be a struct, but is {actual}", d.Message);
    }

    [Fact]
    public void ArgumentAndResultAreBothReported()
    {
        var c = Compile(Svc("void f(1: i32 r) (streaming.mode=\"bidirectional\")"));
        Assert.Equal(new[] { "SX3004", "SX3004" }, Ids(c));
    }

    [Theory]
    [InlineData("Resp f(1: ReqAlias r) (streaming.mode=\"server\")")]
    [InlineData("Resp f(1: ReqAlias2 r) (streaming.mode=\"client\")")]
    [InlineData("U f(1: U r) (streaming.mode=\"bidirectional\")")]
    [InlineData("ReqAlias f(1: U r) (streaming.mode=\"bidirectional\")")]
    [InlineData("Resp f(Req r) (streaming.mode=\"server\")")]
    public void StructLikePayloadsAreAccepted(string method)
    {
        var c = Compile(Svc(method));
        AssertNoErrors(c);
        Assert.True(SingleMethod(c.Model!.Roots[0]).IsStreaming);
    }

    [Fact]
    public void PayloadsFromAnIncludedFile()
    {
        var c = Compile(
            (MainPath, "include \"types.thrift\"\nservice S { types.Resp f(1: types.Req r) (streaming.mode=\"bidirectional\") }"),
            ("types.thrift", "struct Req {}\nstruct Resp {}"));
        AssertNoDiagnostics(c);
    }

    [Fact]
    public void UnknownPayloadTypeIsReportedOnce()
    {
        var method = "Resp f(1: Missing r) (streaming.mode=\"server\")";
        AssertSingleError(Compile(Svc(method)), "SX2004", MethodLine, Col(method, "Missing"));
        method = "Missing f(1: Req r) (streaming.mode=\"server\")";
        AssertSingleError(Compile(Svc(method)), "SX2004", MethodLine, Col(method, "Missing"));
    }

    [Theory]
    [InlineData("client")]
    [InlineData("server")]
    [InlineData("bidirectional")]
    public void OnewayStreaming(string mode)
    {
        var method = $"oneway Resp f(1: Req r) (streaming.mode=\"{mode}\")";
        var d = AssertSingleError(Compile(Svc(method)), "SX3005", MethodLine, Col(method, "f("));
        Assert.Equal("streaming function f cannot be oneway", d.Message);
    }

    [Fact]
    public void OnewayVoidStreamingAlsoReportsTheVoidResult()
    {
        var method = "oneway void f(1: Req r) (streaming.mode=\"server\")";
        var c = Compile(Svc(method));
        Assert.Equal(new[] { "SX3004", "SX3005" }, Ids(c));
        AssertHas(c, "SX3005", MethodLine, Col(method, "f("));
    }

    [Fact]
    public void OnewayUnaryFollowsTheOnewayRules()
    {
        var method = "oneway Resp f(1: Req r) (streaming.mode=\"unary\")";
        AssertSingleError(Compile(Svc(method)), "SX2018", MethodLine, Col(method, "f("));
        Clean(Svc("oneway void f(1: Req r) (streaming.mode=\"unary\")"));
    }

    [Theory]
    [InlineData("client")]
    [InlineData("server")]
    [InlineData("bidirectional")]
    public void ThrowsOnStreamingIsOnlyAWarning(string mode)
    {
        var method = $"Resp f(1: Req r) throws (1: X x, 2: X y) (streaming.mode=\"{mode}\")";
        var c = Compile(Svc(method));
        var d = AssertSingleWarning(c, "SX3006", MethodLine, Col(method, "x,"));
        Assert.Equal("the throws clause of streaming function f is ignored: streams report errors as stream errors, as in Kitex", d.Message);
        Assert.Equal(2, SingleMethod(c.Model!.Roots[0]).Throws.Length);
    }

    [Fact]
    public void StreamingThrowsStillMustBeExceptions()
    {
        var c = Compile(Svc("Resp f(1: Req r) throws (1: Req x) (streaming.mode=\"server\")"));
        AssertHas(c, "SX2017");
        AssertHas(c, "SX3006");
    }

    [Fact]
    public void StreamingDetectionFollowsExtends()
    {
        var file = Clean(Types + """
            service Plain { Resp ping(1: Req r) }
            service Unary { Resp u(1: Req r) (streaming.mode="unary") }
            service Base { Resp echo(1: Req r) (streaming.mode="bidirectional") }
            service Mid extends Base { Resp ping(1: Req r) }
            service Leaf extends Mid { Resp more(1: Req r) }
            service Mixed { Resp ping(1: Req r), Resp s(1: Req r) (streaming.mode="server"), Resp c(1: Req r) (streaming.mode="client") }
            """);
        Assert.False(Service(file, "Plain").HasStreamingMethods);
        Assert.False(Service(file, "Unary").HasStreamingMethods);
        Assert.True(Service(file, "Base").HasStreamingMethods);
        Assert.True(Service(file, "Mid").HasStreamingMethods);
        Assert.True(Service(file, "Leaf").HasStreamingMethods);
        Assert.False(Service(file, "Leaf").Methods.Any(m => m.IsStreaming));
        Assert.Equal(new[] { "echo", "ping", "more" }, Service(file, "Leaf").AllMethods.Select(m => m.Name));
        Assert.Equal(new[] { true, false, false }, Service(file, "Leaf").AllMethods.Select(m => m.IsStreaming));

        var mixed = Service(file, "Mixed");
        Assert.True(mixed.HasStreamingMethods);
        Assert.Equal(new[] { StreamingMode.None, StreamingMode.Server, StreamingMode.Client }, mixed.Methods.Select(m => m.StreamingMode));
    }

    [Fact]
    public void StreamingAcrossIncludedBaseService()
    {
        var c = Compile(
            (MainPath, "include \"base.thrift\"\nservice Leaf extends base.Base {}"),
            ("base.thrift", "struct Req {}\nservice Base { Req s(1: Req r) (streaming.mode=\"server\") }"));
        AssertNoDiagnostics(c);
        Assert.True(Service(c.Model!.Roots[0], "Leaf").HasStreamingMethods);
    }

    [Fact]
    public void StreamingModeOnOtherElementsIsNotValidated()
    {
        // Kitex reads the key on functions only.
        Clean(Types.Replace("struct Req {}", "struct Req {} (streaming.mode=\"whatever\")", StringComparison.Ordinal) + "service S {} (streaming.mode=\"x\")");
    }

    [Fact]
    public void EveryStreamingErrorOfAFileIsReported()
    {
        var c = Compile(Types + """
            service S {
              Resp a(1: Req r) (streaming.mode="Server")
              Resp b(1: Req r, 2: Req s) (streaming.mode="client")
              i32 c(1: Req r) (streaming.mode="bidirectional")
              Resp d(1: Req r) (streaming.mode="server", streaming.mode="client")
              oneway Resp e(1: Req r) (streaming.mode="server")
              Resp f(1: Req r) throws (1: X x) (streaming.mode="server")
            }
            """);
        Assert.Equal(new[] { "SX3002", "SX3003", "SX3004", "SX3001", "SX3005", "SX3006" }, Ids(c));
        Assert.Equal(new[] { 10, 11, 12, 13, 14, 15 }, c.Diagnostics.Select(d => d.Span.StartLine));
    }
}
