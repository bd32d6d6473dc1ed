using StreamX.Idl.Diagnostics;
using StreamX.Idl.Model;
using StreamX.Idl.Tests.Infrastructure;

namespace StreamX.Idl.Tests;

/// <summary>
/// The hand-written IDL in idl/testdata and idl/examples: every valid file compiles without errors,
/// every invalid entry file reports the diagnostic its <c># expect:</c> header names, at that line.
/// </summary>
public sealed class TestDataTests
{
    private const string EchoExample = "idl/examples/echo.thrift";

    /// <summary>Error descriptors no testdata file covers, and why.</summary>
    private static readonly Dictionary<string, string> UncoveredErrors = new(StringComparer.Ordinal)
    {
        ["SX9001"] = "file not found: needs a missing file (MutationTests.MissingFileIsADiagnostic)",
        ["SX9002"] = "file too large: needs a 16 MiB file (MutationTests, in memory)",
        ["SX9003"] = "too many errors: needs over 100 errors (MutationTests.TooManyErrorsAreCapped)",
        ["SX9004"] = "binary file: NUL bytes / invalid UTF-8 (MutationTests, in memory)",
        ["SX9005"] = "too many files: needs over 10,000 files (MutationTests, in memory)",
    };

    public static IEnumerable<object[]> ValidFiles => IdlCases.AsData(IdlCases.TestDataValid);

    public static IEnumerable<object[]> InvalidEntries => IdlCases.AsData(IdlCases.TestDataInvalidEntries);

    [Fact]
    public void TestDataIsPresent()
    {
        Assert.True(IdlCases.TestDataValid.Count >= 10, "idl/testdata/valid has fewer files than expected");
        Assert.True(IdlCases.TestDataInvalidEntries.Count >= 30, "idl/testdata/invalid has fewer entry files than expected");
    }

    [Fact]
    public void InvalidTestDataHeadersAreWellFormed()
    {
        var known = DiagnosticDescriptors.All.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var entries = IdlCases.TestDataInvalidEntries.ToHashSet(StringComparer.Ordinal);
        foreach (var file in IdlCases.TestDataInvalidAll)
        {
            var path = Repo.Resolve(file);
            if (!entries.Contains(file))
            {
                // A helper file (e.g. the other half of an include cycle) must sit in a sub-folder
                // next to its entry.
                var dir = Path.GetDirectoryName(file)!.Replace('\\', '/');
                Assert.True(
                    dir != "idl/testdata/invalid" && entries.Any(e => e.StartsWith(dir + "/", StringComparison.Ordinal)),
                    $"{file} has no '# expect:' first line and no entry file beside it in a sub-folder");
                continue;
            }

            var lineCount = File.ReadAllLines(path).Length;
            foreach (var expectation in Expectation.Read(path))
            {
                foreach (var id in expectation.Ids)
                {
                    Assert.True(known.TryGetValue(id, out var descriptor), $"{file}: '{expectation.Text}' names unknown diagnostic {id}");
                    Assert.True(descriptor!.Severity == DiagnosticSeverity.Error, $"{file}: {id} is not an error");
                }

                foreach (var location in expectation.Locations)
                {
                    var target = location.File is null ? path : Path.Combine(Path.GetDirectoryName(path)!, location.File);
                    Assert.True(File.Exists(target), $"{file}: '{expectation.Text}' names missing file {target}");
                    var targetLines = location.File is null ? lineCount : File.ReadAllLines(target).Length;
                    Assert.InRange(location.Line, 2, targetLines);
                }
            }
        }
    }

    [Fact]
    public void EveryErrorDiagnosticHasAnInvalidTestDataFile()
    {
        var covered = IdlCases.TestDataInvalidEntries
            .SelectMany(f => Expectation.Read(Repo.Resolve(f)))
            .SelectMany(e => e.Ids)
            .ToHashSet(StringComparer.Ordinal);
        var missing = DiagnosticDescriptors.All
            // SX4xxx are code-generation diagnostics: the front end (and so this IDL testdata) never reports them.
            .Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("SX4", StringComparison.Ordinal))
            .Where(d => !covered.Contains(d.Id) && !UncoveredErrors.ContainsKey(d.Id))
            .Select(d => $"{d.Id} {d.Title}")
            .ToArray();
        Assert.True(missing.Length == 0, "error diagnostics without a file in idl/testdata/invalid (add one, or list it in UncoveredErrors with the reason):\n  " + string.Join("\n  ", missing));
    }

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void ValidTestDataCompilesWithoutErrors(IdlCase @case)
    {
        var file = @case.Id;
        var compilation = TestIdl.MustReturn(TestIdl.CompileFile(Repo.Resolve(file)), file);
        Assert.True(!compilation.HasErrors, $"{file} must compile without errors:\n{TestIdl.Format(compilation.Diagnostics)}");
        Assert.NotNull(compilation.Model);
    }

    [Theory]
    [MemberData(nameof(InvalidEntries))]
    public void InvalidTestDataReportsTheExpectedDiagnostic(IdlCase @case)
    {
        var file = @case.Id;
        var path = Repo.Resolve(file);
        var compilation = TestIdl.MustReturn(TestIdl.CompileFile(path), file);
        var all = TestIdl.Format(compilation.Diagnostics);
        Assert.True(compilation.HasErrors, $"{file} must be rejected but compiled without errors:\n{all}");
        Assert.Null(compilation.Model);

        var dir = Path.GetDirectoryName(path)!;
        foreach (var expectation in Expectation.Read(path))
        {
            var found = compilation.Diagnostics.Any(d =>
                d.IsError &&
                expectation.Ids.Contains(d.Id) &&
                expectation.Locations.Any(l =>
                    d.Span.StartLine == l.Line &&
                    d.Span.Path == (l.File is null ? path : Path.GetFullPath(Path.Combine(dir, l.File)))));
            Assert.True(found, $"{file}: '{expectation.Text}' not satisfied; diagnostics:\n{all}");
        }
    }

    [Fact]
    public void EchoExampleCompilesWithoutAnyDiagnostic()
    {
        var compilation = TestIdl.MustReturn(TestIdl.CompileFile(Repo.Resolve(EchoExample)), EchoExample);
        Assert.True(compilation.Diagnostics.IsEmpty, $"{EchoExample} must compile clean:\n{TestIdl.Format(compilation.Diagnostics)}");
        var root = TestIdl.Root(compilation);
        Assert.Equal("StreamX.Examples.Echo", root.CSharpNamespace);
        Assert.Equal("echo", root.GetNamespace("go"));
        var service = TestIdl.Service(root, "TestService");
        Assert.Equal("PingPong=None, Echo=Bidirectional, EchoClient=Client, EchoServer=Server", TestIdl.DescribeModes(service));
        Assert.True(service.HasStreamingMethods);
        Assert.All(service.Methods, m => Assert.False(string.IsNullOrWhiteSpace(m.Doc), $"{m} has no doc comment"));
    }

    [Fact]
    public void EchoExampleIsWireIdenticalToTheKitexCaptureIdl()
    {
        var capture = Path.Combine(Repo.Shared, "interop", "kitex-captures", "echo.thrift");
        var ours = TestIdl.Root(TestIdl.MustReturn(TestIdl.CompileFile(Repo.Resolve(EchoExample)), EchoExample));
        var theirs = TestIdl.Root(TestIdl.MustReturn(TestIdl.CompileFile(capture), capture));
        Assert.Equal(WireShape(theirs), WireShape(ours));
    }

    [Fact]
    public void ServicesTestDataExposesInheritedAndStreamingMethods()
    {
        const string file = "idl/testdata/valid/services.thrift";
        var root = TestIdl.Root(TestIdl.MustReturn(TestIdl.CompileFile(Repo.Resolve(file)), file));
        Assert.Equal(
            "ping=None, notify=None, get=None, PingPong=None, Unary=Unary, ClientStream=Client, ServerStream=Server, Bidi=Bidirectional, More=Server",
            TestIdl.DescribeModes(TestIdl.Service(root, "StreamingChild")));
        Assert.False(TestIdl.Service(root, "Base").HasStreamingMethods);
        Assert.True(TestIdl.Service(root, "Streaming").HasStreamingMethods);
        var remote = TestIdl.Service(root, "Remote");
        Assert.Equal("base.BaseService", remote.Extends?.QualifiedName);
        Assert.Equal("ping=None, remotePing=None", TestIdl.DescribeModes(remote));
        Assert.True(TestIdl.Service(root, "Base").Methods.Single(m => m.Name == "notify").IsOneway);
        Assert.Equal(new[] { "failure", "retry" }, TestIdl.Service(root, "Base").Methods.Single(m => m.Name == "get").Throws.Select(t => t.Name));
    }

    /// <summary>What must match for two IDLs to be wire-compatible: struct fields and service methods, by name, id and type.</summary>
    private static string[] WireShape(IdlFile file) =>
        file.Structs.Select(s => $"{s.KindName} {s.Name} {{ {string.Join("; ", s.Fields.Select(f => $"{f.Id}: {f.Requiredness} {f.Type.DisplayName.Replace(file.ProgramName + ".", string.Empty, StringComparison.Ordinal)} {f.Name}"))} }}")
            .Concat(file.Services.SelectMany(s => s.AllMethods.Select(m =>
                $"service {s.Name}.{m.Name} mode={m.StreamingMode} oneway={m.IsOneway} returns {m.ReturnType?.DisplayName.Replace(file.ProgramName + ".", string.Empty, StringComparison.Ordinal) ?? "void"} " +
                $"({string.Join(", ", m.Arguments.Select(a => $"{a.Id}: {a.Type.DisplayName.Replace(file.ProgramName + ".", string.Empty, StringComparison.Ordinal)}"))}) " +
                $"throws ({string.Join(", ", m.Throws.Select(t => $"{t.Id}: {t.Type.DisplayName}"))})")))
            .ToArray();
}
