using StreamX.Idl.Diagnostics;
using StreamX.Idl.Model;
using StreamX.Idl.Tests.Infrastructure;

namespace StreamX.Idl.Tests;

/// <summary>
/// The real-world IDL corpus in shared/idl-corpus (see its MANIFEST.md), walked at test time:
/// valid/ and streaming/ must compile without errors, invalid/ must be rejected at the right line.
/// nonstandard/ (fbthrift / thriftrw dialects) is not required and not tested here.
/// </summary>
public sealed class CorpusTests
{
    /// <summary>
    /// Expected errors for each file of invalid/: every required line must carry an error with one
    /// of the listed ids, and no error may be on a line that is not listed. Lines are where the offending token
    /// is, decided by reading the files (the source projects' own tests sometimes report the
    /// enclosing definition instead; where they do, the comment says so).
    /// </summary>
    private static readonly Dictionary<string, (int Line, string[] Ids, bool Required)[]> InvalidExpectations = new(StringComparer.Ordinal)
    {
        // Line 21 `const i64 broken = 9876543210987654321`: the literal is above Int64.MaxValue
        // (SX1006 when the literal is read; SX2013 would do if it were found while binding).
        // Line 24 `bar = 68719476736` (2^36): enum values are i32 on the wire (SX2010). Apache
        // Thrift only warns about that one. It may be reported, but need not be: the front end does
        // not bind a file with syntax-level errors (SX1xxx), and SX1006 is one.
        // Line 20 `const i64 myint = 68719476736` is a valid i64 and must not be reported.
        ["idl-corpus/invalid/apache-thrift/test/BrokenConstants.thrift"] = [(21, ["SX1006", "SX2013"], true), (24, ["SX2010"], false)],

        // `service Service` declared again on line 4 (thriftrw: "duplicate reference to Service at 4:9").
        ["idl-corpus/invalid/thriftrw-node/test/duplicate-error.thrift"] = [(4, ["SX2003"], true)],

        // The second `A` of enum MyEnum4 is on line 26. thriftrw reports the enum (24:6); the
        // duplicate value itself is the precise place, as SX2003 points at the second definition.
        // Line 30 `1: MyEnum enum = MyEnum.A`: MyEnum is not defined (SX2004; a binder that also
        // reports the unresolvable default may add SX2012 there). `enum` as a field name is legal.
        ["idl-corpus/invalid/thriftrw-node/test/enum-collision.thrift"] = [(26, ["SX2009"], true), (30, ["SX2004", "SX2012"], true)],

        // ME4_A = 0x7ffffffd, so ME4_B = 0x7ffffffe, ME4_C = 0x7fffffff and the implicit value of
        // ME4_D on line 31 is 2^31, outside i32. thriftrw reports the enum (24:6), Apache Thrift the
        // closing brace (32); the value that overflows is on line 31.
        ["idl-corpus/invalid/thriftrw-node/test/enum-overflow.thrift"] = [(31, ["SX2010"], true)],

        // Line 2 `list<common.Item>`: no include named `common` (thriftrw: "cannot resolve reference to common.Item at 2:22").
        ["idl-corpus/invalid/thriftrw-node/test/include-error-unknown-module.thrift"] = [(2, ["SX2004"], true)],

        // Line 3 `Struct foo(1: Struct bar)`: `Struct` is undefined, twice on that line (thriftrw: 3:19).
        ["idl-corpus/invalid/thriftrw-node/test/reference-error.thrift"] = [(3, ["SX2004"], true)],

        // Line 6 `void bar()` in `Foo extends Baz` redeclares the inherited Baz.bar (line 2).
        ["idl-corpus/invalid/thriftrw-node/test/service-duplicate-function-error.thrift"] = [(6, ["SX2016"], true)],

        // Line 5 `const i32 bar = Foo`: Foo is a service, not a value (thriftrw: "type mismatch for Foo
        // at 5:17, expects value, got service"), which is SX2022; SX2011 (const type mismatch) also fits.
        ["idl-corpus/invalid/thriftrw-node/test/type-mismatch.thrift"] = [(5, ["SX2022", "SX2011"], true)],
    };

    /// <summary>
    /// The streaming mode of every method (in ServiceModel.AllMethods order: inherited first) of
    /// every service in the streaming corpus, as "Method=Mode, ...".
    /// </summary>
    private static readonly (string File, string Service, string Modes)[] StreamingExpectations =
    [
        ("idl-corpus/streaming/cloudwego-kitex-examples/thrift_streaming/api.thrift", "TestService",
            "Echo=Bidirectional, EchoClient=Client, EchoServer=Server, EchoUnary=Unary, EchoPingPong=None"),
        ("idl-corpus/streaming/cloudwego-kitex-tests/codegen/basic_idls/kitex/example.thrift", "greet",
            "HelloA=None, HelloB=None, HelloC=None, HelloD=None, HelloE=None, EchoBidirectional=Bidirectional, EchoClient=Client, EchoServer=Server, EchoUnary=Unary"),
        ("idl-corpus/streaming/cloudwego-kitex-tests/idl/tenant.thrift", "TestCancelService",
            "CancelBidi=Bidirectional, CancelClient=Client, CancelServer=Server"),
        ("idl-corpus/streaming/cloudwego-kitex-tests/idl/tenant.thrift", "TestTimeoutService",
            "RecvTimeoutBidi=Bidirectional, RecvTimeoutClient=Client, RecvTimeoutServer=Server"),
        ("idl-corpus/streaming/cloudwego-kitex-tests/idl/tenant.thrift", "EchoService",
            "Echo=None, EchoOneway=None, EchoBidi=Bidirectional, EchoClient=Client, EchoServer=Server"),
        ("idl-corpus/streaming/cloudwego-kitex-tests/thrift_streaming/idl/api.thrift", "EchoService",
            "EchoBidirectional=Bidirectional, EchoClient=Client, EchoServer=Server, EchoUnary=Unary, EchoPingPong=None, EchoOneway=None, Ping=None"),
        ("idl-corpus/streaming/cloudwego-kitex-tests/thrift_streaming/idl/api.thrift", "PingPongOnlyService",
            "EchoPingPongNew=None"),
        ("idl-corpus/streaming/cloudwego-kitex-tests/thrift_streaming/idl/api.thrift", "PingPongOnlyServiceChild",
            "EchoPingPongNew=None, EchoBidirectionalExtended=Bidirectional"),
        ("idl-corpus/streaming/cloudwego-kitex-tests/thrift_streaming/idl/api.thrift", "PingPongOnlyServiceChildChild",
            "EchoPingPongNew=None, EchoBidirectionalExtended=Bidirectional"),
        ("idl-corpus/streaming/cloudwego-kitex-tests/thrift_streaming/idl/api.thrift", "StreamOnlyService",
            "EchoBidirectionalNew=Bidirectional"),
        ("idl-corpus/streaming/cloudwego-kitex-tests/thrift_streaming/idl/api.thrift", "StreamOnlyServiceChild",
            "EchoBidirectionalNew=Bidirectional"),
        ("idl-corpus/streaming/cloudwego-kitex-tests/thrift_streaming/idl/api.thrift", "StreamOnlyServiceChildChild",
            "EchoBidirectionalNew=Bidirectional"),
        ("idl-corpus/streaming/cloudwego-kitex-tests/thrift_streaming/idl/api.thrift", "ABCService",
            "Echo=None, EchoBidirectional=Bidirectional, EchoServer=Server, EchoClient=Client, EchoUnary=Unary"),
        ("idl-corpus/streaming/cloudwego-kitex-tests/thrift_streaming/idl/api.thrift", "lower_service",
            "echo_bidirectional=Bidirectional, echo_client=Client, echo_server=Server, echo_unary=Unary, echo_pingPong=None"),
        ("idl-corpus/streaming/cloudwego-kitex-tests/thrift_streaming/idl/combine.thrift", "A", "Foo=None"),
        ("idl-corpus/streaming/cloudwego-kitex-tests/thrift_streaming/idl/combine.thrift", "B", "Bar=Bidirectional"),
        // Services that only inherit, across an include.
        ("idl-corpus/streaming/cloudwego-kitex-tests/thrift_streaming/idl/combine_extend.thrift", "A", "EchoPingPongNew=None"),
        ("idl-corpus/streaming/cloudwego-kitex-tests/thrift_streaming/idl/combine_extend.thrift", "B", "EchoBidirectionalNew=Bidirectional"),
    ];

    public static IEnumerable<object[]> ValidFiles => IdlCases.AsData(IdlCases.CorpusValid);

    public static IEnumerable<object[]> InvalidFiles => IdlCases.AsData(IdlCases.CorpusInvalid);

    public static IEnumerable<object[]> StreamingFiles => IdlCases.AsData(IdlCases.CorpusStreaming);

    public static IEnumerable<object[]> StreamingServices =>
        StreamingExpectations.Select(e => new object[] { new IdlCase(e.File), e.Service, e.Modes });

    [Fact]
    public void CorpusHasTheFileCountsOfItsManifest()
    {
        // MANIFEST.md: valid 92, streaming 8, invalid 8. A missing or partial corpus must not make
        // the theories below pass vacuously.
        Assert.Equal(92, IdlCases.CorpusFolder("valid").Count);
        Assert.Equal(8, IdlCases.CorpusFolder("streaming").Count);
        Assert.Equal(8, IdlCases.CorpusFolder("invalid").Count);
    }

    [Fact]
    public void EveryInvalidFileHasAnExpectation()
    {
        Assert.Equal(
            InvalidExpectations.Keys.OrderBy(k => k, StringComparer.Ordinal),
            IdlCases.CorpusInvalid);
    }

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void ValidFileCompilesWithoutErrors(IdlCase @case)
    {
        var file = @case.Id;
        var compilation = TestIdl.MustReturn(TestIdl.CompileFile(Repo.Resolve(file)), file);
        Assert.True(
            !compilation.HasErrors,
            $"{file} is valid IDL (MANIFEST.md) but compiling it reported errors:\n{TestIdl.Format(compilation.Diagnostics)}");
        Assert.NotNull(compilation.Model);
        var root = Assert.Single(compilation.Model!.Roots);
        Assert.Equal(Repo.Resolve(file), root.Path);
    }

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void InvalidFileIsRejectedAtTheRightLine(IdlCase @case)
    {
        var file = @case.Id;
        var path = Repo.Resolve(file);
        var compilation = TestIdl.MustReturn(TestIdl.CompileFile(path), file);
        var all = TestIdl.Format(compilation.Diagnostics);
        Assert.True(compilation.HasErrors, $"{file} must be rejected but compiled without errors:\n{all}");
        Assert.Null(compilation.Model);

        var expected = InvalidExpectations[file];
        var errors = TestIdl.Errors(compilation);
        foreach (var (line, ids, _) in expected.Where(e => e.Required))
        {
            Assert.True(
                errors.Any(d => d.Span.Path == path && d.Span.StartLine == line && ids.Contains(d.Id)),
                $"{file}: expected an error {string.Join(" or ", ids)} at line {line}; got:\n{all}");
        }

        var stray = errors.Where(d => d.Span.Path != path || !expected.Any(e => e.Line == d.Span.StartLine)).ToArray();
        Assert.True(
            stray.Length == 0,
            $"{file}: errors on lines where none is expected (allowed lines: {string.Join(", ", expected.Select(e => e.Line))}):\n{TestIdl.Format(stray)}\nall diagnostics:\n{all}");
    }

    [Theory]
    [MemberData(nameof(StreamingFiles))]
    public void StreamingModesMatchTheAnnotations(IdlCase @case)
    {
        var file = @case.Id;
        var compilation = TestIdl.MustReturn(TestIdl.CompileFile(Repo.Resolve(file)), file);
        var root = TestIdl.Root(compilation);
        foreach (var service in root.Services)
        {
            foreach (var method in service.AllMethods)
            {
                var expected = method.Annotations.Get("streaming.mode") switch
                {
                    null => StreamingMode.None,
                    "unary" => StreamingMode.Unary,
                    "client" => StreamingMode.Client,
                    "server" => StreamingMode.Server,
                    "bidirectional" => StreamingMode.Bidirectional,
                    var other => throw new Xunit.Sdk.XunitException($"{file}: unexpected streaming.mode '{other}' on {method}"),
                };
                Assert.True(expected == method.StreamingMode, $"{file}: {service.Name} exposes {method} with mode {method.StreamingMode}, its annotation says {expected}");
                Assert.Equal(method.StreamingMode is StreamingMode.Client or StreamingMode.Server or StreamingMode.Bidirectional, method.IsStreaming);
            }

            Assert.Equal(service.AllMethods.Any(m => m.IsStreaming), service.HasStreamingMethods);
        }
    }

    [Fact]
    public void EveryStreamingServiceHasAnExpectation()
    {
        foreach (var file in IdlCases.CorpusStreaming)
        {
            var text = File.ReadAllText(Repo.Resolve(file));
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, @"(?m)^\s*service\s+(\w+)"))
            {
                Assert.Contains(StreamingExpectations, e => e.File == file && e.Service == m.Groups[1].Value);
            }
        }
    }

    [Theory]
    [MemberData(nameof(StreamingServices))]
    public void StreamingServiceExposesModesThroughAllMethods(IdlCase @case, string service, string modes)
    {
        var file = @case.Id;
        var compilation = TestIdl.MustReturn(TestIdl.CompileFile(Repo.Resolve(file)), file);
        var model = TestIdl.Service(TestIdl.Root(compilation), service);
        Assert.Equal(modes, TestIdl.DescribeModes(model));
        Assert.Equal(modes.Contains("=Client", StringComparison.Ordinal) || modes.Contains("=Server", StringComparison.Ordinal) || modes.Contains("=Bidirectional", StringComparison.Ordinal), model.HasStreamingMethods);
    }

    [Fact]
    public void ExtendsChainsResolveToTheBaseServices()
    {
        var file = "idl-corpus/streaming/cloudwego-kitex-tests/thrift_streaming/idl/combine_extend.thrift";
        var root = TestIdl.Root(TestIdl.MustReturn(TestIdl.CompileFile(Repo.Resolve(file)), file));
        var b = TestIdl.Service(root, "B");
        var chain = new List<string>();
        for (var s = b.Extends; s is not null; s = s.Extends)
        {
            chain.Add(s.QualifiedName);
        }

        Assert.Equal(new[] { "api.StreamOnlyServiceChildChild", "api.StreamOnlyServiceChild", "api.StreamOnlyService" }, chain);
        Assert.Empty(b.Methods);
        Assert.Equal("api.StreamOnlyService", Assert.Single(b.AllMethods).Service.QualifiedName);
    }
}
