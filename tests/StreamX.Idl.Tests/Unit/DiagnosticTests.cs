using System.Text.RegularExpressions;
using StreamX.Idl.Diagnostics;
using static StreamX.Idl.Tests.Unit.IdlTestHelper;

namespace StreamX.Idl.Tests.Unit;

/// <summary>The diagnostic catalogue, the canonical text form, ordering, and a check that every id is tested.</summary>
public partial class DiagnosticTests
{
    /// <summary>
    /// Ids that no test in this project needs to produce, each with the reason. Keep it short: an id
    /// belongs here only when the public API cannot produce it.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> NotProducibleHere = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Every SX1xxx/SX2xxx/SX3xxx/SX9xxx id can be produced through IdlCompiler.Compile, so none is
        // listed: SX9001 by a missing root file or a provider that throws, SX1013 by xsd_all/xsd_optional/
        // xsd_nillable/xsd_attrs, SX1007 by a double literal that overflows (1e999), SX9005 by MaxFiles.
        ["SX4001"] = "C# type name collision: reported by StreamX.CodeGen's CSharpGenerator, not by the IDL front end; belongs in tests/StreamX.CodeGen.Tests",
        ["SX4002"] = "output file name collision: reported by StreamX.CodeGen's CSharpGenerator, not by the IDL front end; belongs in tests/StreamX.CodeGen.Tests",
    };

    [Fact]
    public void DescriptorIdsAreUniqueAndWellFormed()
    {
        var all = DiagnosticDescriptors.All;
        Assert.NotEmpty(all);
        Assert.All(all, d => Assert.Matches(IdPattern(), d.Id));
        Assert.Equal(all.Count, all.Select(d => d.Id).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void DescriptorsHaveTitlesAndMessageFormats()
    {
        Assert.All(DiagnosticDescriptors.All, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Title), d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.MessageFormat), d.Id);
            Assert.NotEqual(DiagnosticSeverity.Info, d.Severity);
        });
    }

    [Fact]
    public void MessageFormatsAreValidCompositeFormats()
    {
        // Formatting with as many arguments as the highest placeholder must not throw.
        Assert.All(DiagnosticDescriptors.All, d =>
        {
            var highest = Regex.Matches(d.MessageFormat, @"(?<!\{)\{(\d+)").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max();
            var args = Enumerable.Range(0, highest + 1).Select(i => (object?)$"arg{i}").ToArray();
            var diagnostic = Diagnostic.Create(d, new SourceSpan("x.thrift", 1, 1, 1, 2), args);
            Assert.DoesNotMatch(@"\{\d+\}", diagnostic.Message);
            Assert.All(args, a => Assert.Contains((string)a!, diagnostic.Message, StringComparison.Ordinal));
        });
    }

    [Fact]
    public void IdRangesMatchTheirKind()
    {
        foreach (var d in DiagnosticDescriptors.All)
        {
            Assert.True("12349".Contains(d.Id[2], StringComparison.Ordinal), $"{d.Id} is outside the documented ranges SX1xxx, SX2xxx, SX3xxx, SX4xxx, SX9xxx");
        }

        Assert.Equal(DiagnosticSeverity.Error, DiagnosticDescriptors.SyntaxError.Severity);
        Assert.Equal(DiagnosticSeverity.Warning, DiagnosticDescriptors.LegacyNamespace.Severity);
        Assert.Equal(DiagnosticSeverity.Warning, DiagnosticDescriptors.StreamingThrowsIgnored.Severity);
    }

    [Fact]
    public void AllListsEveryPublicDescriptorField()
    {
        var fields = typeof(DiagnosticDescriptors).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .ToList();
        Assert.Equal(fields.Count, DiagnosticDescriptors.All.Count);
        Assert.Contains(DiagnosticDescriptors.DuplicateDefinition, DiagnosticDescriptors.All);
    }

    [Fact]
    public void CanonicalErrorForm()
    {
        var d = AssertSingleError(Compile("struct A {}\nstruct A {}"), "SX2003", 2, 8);
        Assert.Equal("main.thrift(2,8): error SX2003: 'A' is already defined at line 1", d.ToString());
        Assert.Equal("SX2003", d.Id);
        Assert.Same(DiagnosticDescriptors.DuplicateDefinition, d.Descriptor);
        Assert.True(d.IsError);
        Assert.Equal(new SourceSpan(MainPath, 2, 8, 2, 9), d.Span);
    }

    [Fact]
    public void CanonicalWarningForm()
    {
        var d = AssertSingleWarning(Compile("struct S {\n  i32 a\n}"), "SX2008", 2, 7);
        Assert.Equal("main.thrift(2,7): warning SX2008: field 'a' has no explicit id; it gets the implicit id -1 (declare ids explicitly for compatibility)", d.ToString());
        Assert.False(d.IsError);
    }

    [Fact]
    public void CanonicalFormKeepsThePathAsGiven()
    {
        var c = Compile(("dir/sub/x.thrift", "struct S { 1: Missing m }"));
        Assert.Equal("dir/sub/x.thrift(1,15): error SX2004: cannot resolve type 'Missing'", c.Diagnostics.Single().ToString());
    }

    [Fact]
    public void CanonicalFormWithoutAPath()
    {
        var d = Diagnostic.Create(DiagnosticDescriptors.TooManyFiles, default, 3);
        Assert.Equal("streamx-gen: error SX9005: more than 3 files are reached through includes", d.ToString());
        var info = d with { Severity = DiagnosticSeverity.Info };
        Assert.Equal("streamx-gen: info SX9005: more than 3 files are reached through includes", info.ToString());
    }

    [Fact]
    public void MessagesAreFormattedWithTheInvariantCulture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            var c = Compile("const i32 c = 1.5");
            Assert.Equal("type mismatch: constant c is declared i32 but the value is the double 1.5", c.Diagnostics.Single().Message);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void SpanToString() => Assert.Equal("a.thrift(3,4)", new SourceSpan("a.thrift", 3, 4, 3, 9).ToString());

    [Fact]
    public void DiagnosticsAreSortedByPathLineAndColumn()
    {
        // Reported in binder phase order (types, then values, then services) and file order, returned sorted.
        var c = Compile(
            ("z.thrift", "include \"a.thrift\"\nconst string s = 1\nstruct S { 1: Missing m }\nservice Svc extends S {}\nstruct T { 2: Nope a, 1: Gone b }"),
            ("a.thrift", "\n\nstruct A { 1: Nope n }\nconst i8 big = 300"));
        var keys = c.Diagnostics.Select(d => (d.Span.Path, d.Span.StartLine, d.Span.StartColumn)).ToList();
        Assert.Equal(
            new[] { ("a.thrift", 3, 15), ("a.thrift", 4, 16), ("z.thrift", 2, 18), ("z.thrift", 3, 15), ("z.thrift", 4, 21), ("z.thrift", 5, 15), ("z.thrift", 5, 26) },
            keys);
        var sorted = c.Diagnostics
            .OrderBy(d => d.Span.Path, StringComparer.Ordinal)
            .ThenBy(d => d.Span.StartLine)
            .ThenBy(d => d.Span.StartColumn)
            .ToList();
        Assert.Equal(sorted, c.Diagnostics);
    }

    [Fact]
    public void DiagnosticsAtOnePositionAreSortedById()
    {
        // The binder reports SX3005 (oneway) before SX3004 (void result), both at the method name; they come back sorted by id.
        var c = Compile("exception E {}\nservice S { oneway void f(1: E r) (streaming.mode=\"server\") }");
        Assert.Equal(new[] { ("SX3004", 25), ("SX3005", 25), ("SX3004", 32) }, c.Diagnostics.Select(d => (d.Id, d.Span.StartColumn)));
    }

    [Fact]
    public void HasErrorsAndModel()
    {
        var ok = Compile("struct S { i32 a }");
        Assert.False(ok.HasErrors);
        Assert.NotNull(ok.Model);
        var bad = Compile("struct S { 1: Missing a }");
        Assert.True(bad.HasErrors);
        Assert.Null(bad.Model);
    }

    [Fact]
    public void CompileRejectsANullRequestOnly() =>
        Assert.Throws<ArgumentNullException>(() => IdlCompiler.Compile(null!));

    /// <summary>Every descriptor id appears in at least one test of this project (or is explicitly allowed not to).</summary>
    [Fact]
    public void EveryDiagnosticIdIsCoveredByATest()
    {
        var testDir = Path.Combine(FindRepoRoot(), "tests", "StreamX.Idl.Tests");
        var sources = Directory.EnumerateFiles(testDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(testDir, f))
            .Where(f => !string.Equals(Path.GetFileName(f), "DiagnosticTests.cs", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();
        Assert.NotEmpty(sources);

        var untested = DiagnosticDescriptors.All
            .Select(d => d.Id)
            .Where(id => !NotProducibleHere.ContainsKey(id))
            .Where(id => !sources.Any(s => s.Contains($"\"{id}\"", StringComparison.Ordinal)))
            .ToList();
        Assert.True(untested.Count == 0, "diagnostic ids without a test: " + string.Join(", ", untested));

        var stale = NotProducibleHere.Keys.Where(id => DiagnosticDescriptors.All.All(d => d.Id != id)).ToList();
        Assert.True(stale.Count == 0, "allow-listed ids that no longer exist: " + string.Join(", ", stale));
    }

    private static bool IsBuildOutput(string root, string file)
    {
        var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
        return relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StreamX.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"StreamX.sln not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^SX[1-9]\d{3}$")]
    private static partial Regex IdPattern();
}
