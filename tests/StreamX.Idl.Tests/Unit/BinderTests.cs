using StreamX.Idl.Diagnostics;
using StreamX.Idl.Model;
using StreamX.Idl.Semantics;
using static StreamX.Idl.Tests.Unit.IdlTestHelper;

namespace StreamX.Idl.Tests.Unit;

/// <summary>The binder: includes, name resolution, typedefs, fields, enums, constants and services.</summary>
public class BinderTests
{
    private static IdlCompilation CompileWithIncludePaths((string Path, string Text)[] files, params string[] includePaths) =>
        Compile(files, r => r, includePaths);

    private static IdlFile FileAt(IdlCompilation c, string path) => c.Model!.Files.Single(f => f.Path == path);

    // ------------------------------------------------------------------ includes

    [Fact]
    public void IncludeIsRelativeToTheIncludingFile()
    {
        var c = Compile(
            ("a/main.thrift", "include \"sub/x.thrift\"\nstruct M { 1: x.X x }"),
            ("a/sub/x.thrift", "include \"y.thrift\"\nstruct X { 1: y.Y y }"),
            ("a/sub/y.thrift", "struct Y {}"),
            ("a/y.thrift", "this file must not be read"));
        AssertNoDiagnostics(c);
        Assert.Equal(new[] { "a/sub/y.thrift", "a/sub/x.thrift", "a/main.thrift" }, c.Model!.Files.Select(f => f.Path));
        Assert.Equal("x", c.Model.Roots[0].Includes.Single().File.ProgramName);
        Assert.Equal("sub/x.thrift", c.Model.Roots[0].Includes.Single().Literal);
    }

    [Fact]
    public void IncludeWithParentDirectory()
    {
        var c = Compile(("src/main.thrift", "include \"../shared/s.thrift\"\nstruct M { 1: s.S s }"), ("shared/s.thrift", "struct S {}"));
        AssertNoDiagnostics(c);
        Assert.Contains(c.Model!.Files, f => f.Path == "shared/s.thrift");
    }

    [Fact]
    public void IncludePathsAreSearchedInOrderAndTheFirstMatchWins()
    {
        var files = new[]
        {
            ("src/main.thrift", "include \"common.thrift\"\nstruct M { 1: common.C c }"),
            ("inc1/common.thrift", "struct C { 1: i32 one }"),
            ("inc2/common.thrift", "struct C { 1: i32 two }"),
        };
        var c = CompileWithIncludePaths(files, "inc1", "inc2");
        AssertNoDiagnostics(c);
        Assert.Equal("inc1/common.thrift", c.Model!.Roots[0].Includes.Single().File.Path);

        c = CompileWithIncludePaths(files, "inc2", "inc1");
        AssertNoDiagnostics(c);
        Assert.Equal("inc2/common.thrift", c.Model!.Roots[0].Includes.Single().File.Path);

        c = CompileWithIncludePaths(files, "nothing-here", "inc2");
        Assert.Equal("inc2/common.thrift", c.Model!.Roots[0].Includes.Single().File.Path);
    }

    [Fact]
    public void TheIncludingFilesDirectoryWinsOverIncludePaths()
    {
        var c = CompileWithIncludePaths(
            new[]
            {
                ("src/main.thrift", "include \"common.thrift\""),
                ("src/common.thrift", "struct Local {}"),
                ("inc1/common.thrift", "struct FromPath {}"),
            },
            "inc1");
        AssertNoDiagnostics(c);
        Assert.Equal("src/common.thrift", c.Model!.Roots[0].Includes.Single().File.Path);
    }

    [Fact]
    public void IncludePathsAlsoServeNestedIncludes()
    {
        var c = CompileWithIncludePaths(
            new[]
            {
                ("src/main.thrift", "include \"a.thrift\"\nstruct M { 1: a.A a }"),
                ("lib/a.thrift", "include \"b.thrift\"\nstruct A { 1: b.B b }"),
                ("other/b.thrift", "struct B {}"),
            },
            "lib",
            "other");
        AssertNoDiagnostics(c);
    }

    [Fact]
    public void DottedProgramNames()
    {
        var c = Compile(
            (MainPath, "include \"a.b.c.thrift\"\ninclude \"a.thrift\"\ninclude \"a.b.thrift\"\nstruct M { 1: a.b.c.Request r, 2: a.X ax, 3: a.b.X abx }\nconst a.b.c.E e = a.b.c.E.V"),
            ("a.b.c.thrift", "struct Request {}\nenum E { V = 7 }"),
            ("a.thrift", "struct X { 1: i32 fromA }"),
            ("a.b.thrift", "struct X { 1: i32 fromAB }"));
        AssertNoDiagnostics(c);
        var main = c.Model!.Roots[0];
        var m = Struct(main, "M");
        Assert.Equal("a.b.c", Assert.IsType<NamedTypeRef>(Field(m, "r").Type).Definition.File.ProgramName);
        Assert.Equal("a.b.c.Request", Field(m, "r").Type.DisplayName);
        Assert.Equal("fromA", Struct(Assert.IsType<NamedTypeRef>(Field(m, "ax").Type).Definition.File, "X").Fields[0].Name);
        Assert.Same(FileAt(c, "a.b.thrift"), Assert.IsType<NamedTypeRef>(Field(m, "abx").Type).Definition.File);
        Assert.Equal(7, Assert.IsType<EnumConstValue>(Const(main, "e").Value).Value);
    }

    [Fact]
    public void IncludeNotFoundNamesTheDirectoriesLookedIn()
    {
        var c = CompileWithIncludePaths(new[] { ("src/main.thrift", "include \"nope.thrift\"") }, "inc1", "inc2");
        var d = AssertSingleError(c, "SX2001", 1, 9, "src/main.thrift");
        Assert.Equal("cannot find included file 'nope.thrift' (looked in src, inc1, inc2)", d.Message);

        d = AssertSingleError(Compile("\ninclude 'dir/nope.thrift'"), "SX2001", 2, 9);
        Assert.Equal("cannot find included file 'dir/nope.thrift' (looked in dir)", d.Message);

        d = AssertSingleError(Compile("include \"nope.thrift\""), "SX2001", 1, 9);
        Assert.Equal("cannot find included file 'nope.thrift' (looked in .)", d.Message);
    }

    [Fact]
    public void IncludeNotFoundInAnIncludedFileIsReportedThere()
    {
        var c = Compile((MainPath, "include \"b.thrift\""), ("b.thrift", "\n\ninclude \"gone.thrift\""));
        AssertSingleError(c, "SX2001", 3, 9, "b.thrift");
    }

    [Fact]
    public void IncludeCycleShowsTheChain()
    {
        var c = Compile(("a.thrift", "include \"b.thrift\""), ("b.thrift", "include \"c.thrift\""), ("c.thrift", "include \"a.thrift\"\nstruct C {}"));
        var d = AssertSingleError(c, "SX2002", 1, 9, "c.thrift");
        Assert.Equal("include cycle: a.thrift -> b.thrift -> c.thrift -> a.thrift", d.Message);

        c = Compile(("a.thrift", "include \"b.thrift\""), ("b.thrift", "include \"a.thrift\""));
        d = AssertSingleError(c, "SX2002", 1, 9, "b.thrift");
        Assert.Equal("include cycle: a.thrift -> b.thrift -> a.thrift", d.Message);
    }

    [Fact]
    public void SelfInclude()
    {
        var d = AssertSingleError(Compile("include \"main.thrift\""), "SX2002", 1, 9);
        Assert.Equal("include cycle: main.thrift -> main.thrift", d.Message);
        AssertSingleError(Compile(("dir/x.thrift", "include \"./x.thrift\"")), "SX2002", 1, 9, "dir/x.thrift");
    }

    [Fact]
    public void DiamondIncludesAreLoadedOnce()
    {
        var c = Compile(
            (MainPath, "include \"b.thrift\"\ninclude \"c.thrift\"\nstruct M { 1: b.B b, 2: c.C c }"),
            ("b.thrift", "include \"d.thrift\"\nstruct B { 1: d.D d }"),
            ("c.thrift", "include \"d.thrift\"\nstruct C { 1: d.D d }"),
            ("d.thrift", "struct D {}"));
        AssertNoDiagnostics(c);
        var files = c.Model!.Files.Select(f => f.Path).ToList();
        Assert.Equal(4, files.Count);
        Assert.Single(files, p => p == "d.thrift");
        Assert.True(files.IndexOf("d.thrift") < files.IndexOf("b.thrift"));
        Assert.True(files.IndexOf("d.thrift") < files.IndexOf("c.thrift"));
        Assert.Equal(MainPath, files[^1]);
        var viaB = Assert.IsType<NamedTypeRef>(Struct(FileAt(c, "b.thrift"), "B").Fields[0].Type).Definition;
        var viaC = Assert.IsType<NamedTypeRef>(Struct(FileAt(c, "c.thrift"), "C").Fields[0].Type).Definition;
        Assert.Same(viaB, viaC);
    }

    [Fact]
    public void DuplicateInclude()
    {
        var c = Compile((MainPath, "include \"b.thrift\"\ninclude \"b.thrift\"\ninclude \"./b.thrift\""), ("b.thrift", "struct B {}"));
        AssertNoErrors(c);
        Assert.Equal(new[] { "SX2027", "SX2027" }, Ids(c));
        AssertHas(c, "SX2027", 2, 9);
        AssertHas(c, "SX2027", 3, 9);
        Assert.Equal("'b.thrift' is included more than once", c.Diagnostics[0].Message);
        Assert.Equal(DiagnosticSeverity.Warning, c.Diagnostics[0].Severity);
        Assert.Single(c.Model!.Roots[0].Includes);
    }

    [Fact]
    public void MissingRootFile()
    {
        var sources = new InMemorySourceProvider().Add("other.thrift", "struct S {}");
        var c = IdlCompiler.Compile(new IdlCompileRequest(new[] { "missing.thrift" }, null, sources));
        var d = AssertSingleError(c, "SX9001", 1, 1, "missing.thrift");
        Assert.Equal("cannot read 'missing.thrift': no such file", d.Message);
        Assert.Equal("missing.thrift(1,1): error SX9001: cannot read 'missing.thrift': no such file", d.ToString());
    }

    [Fact]
    public void UnreadableIncludedFileIsReportedAtTheInclude()
    {
        var sources = new ThrowingSourceProvider(new InMemorySourceProvider()
            .Add(MainPath, "include \"locked.thrift\"")
            .Add("locked.thrift", "struct L {}"));
        var c = IdlCompiler.Compile(new IdlCompileRequest(new[] { MainPath }, null, sources));
        var d = AssertSingleError(c, "SX9001", 1, 9);
        Assert.Equal("cannot read 'locked.thrift': access denied", d.Message);
    }

    /// <summary>A provider whose files exist but cannot be opened (permissions, locks).</summary>
    private sealed class ThrowingSourceProvider : IIdlSourceProvider
    {
        private readonly InMemorySourceProvider _inner;

        public ThrowingSourceProvider(InMemorySourceProvider inner) => _inner = inner;

        public string Normalize(string path) => _inner.Normalize(path);

        public string Combine(string directory, string relativePath) => _inner.Combine(directory, relativePath);

        public string GetDirectory(string path) => _inner.GetDirectory(path);

        public bool Exists(string path) => _inner.Exists(path);

        public Stream OpenRead(string path) =>
            path == "locked.thrift" ? throw new UnauthorizedAccessException("access denied") : _inner.OpenRead(path);
    }

    [Fact]
    public void TooManyFiles()
    {
        var c = Compile(
            new[] { (MainPath, "include \"b.thrift\"\ninclude \"c.thrift\""), ("b.thrift", "struct B {}"), ("c.thrift", "struct C {}") },
            r => r with { MaxFiles = 2 });
        var d = AssertSingleError(c, "SX9005", 2, 9);
        Assert.Equal("more than 2 files are reached through includes", d.Message);
    }

    [Fact]
    public void SeveralRootsShareIncludedFiles()
    {
        var sources = new InMemorySourceProvider()
            .Add("a.thrift", "include \"common.thrift\"\nstruct A { 1: common.C c }")
            .Add("b.thrift", "include \"common.thrift\"\nstruct B { 1: common.C c }")
            .Add("common.thrift", "struct C {}");
        var c = IdlCompiler.Compile(new IdlCompileRequest(new[] { "a.thrift", "b.thrift", "a.thrift", "common.thrift" }, null, sources));
        AssertNoDiagnostics(c);
        Assert.Equal(new[] { "a.thrift", "b.thrift", "common.thrift" }, c.Model!.Roots.Select(r => r.Path));
        Assert.Equal(3, c.Model.Files.Length);
        Assert.Equal("common.thrift", c.Model.Files[0].Path);
    }

    // ------------------------------------------------------------------ names across includes

    [Fact]
    public void QualifiedNamesAcrossIncludes()
    {
        var c = Compile(
            (MainPath, "include \"types.thrift\"\nstruct M { 1: types.T t, 2: list<types.T> ts, 3: map<types.E, types.Alias> m }\nservice S extends types.Base { types.T get(1: types.T t) throws (1: types.X x) }"),
            ("types.thrift", "struct T {}\nenum E { A }\ntypedef T Alias\nexception X {}\nservice Base {}"));
        AssertNoDiagnostics(c);
        var m = Struct(c.Model!.Roots[0], "M");
        Assert.Equal("types.T", Field(m, "t").Type.DisplayName);
        Assert.Equal("list<types.T>", Field(m, "ts").Type.DisplayName);
        Assert.Equal("map<types.E,types.Alias>", Field(m, "m").Type.DisplayName);
        Assert.Equal("types", Service(c.Model.Roots[0], "S").Extends!.File.ProgramName);
    }

    [Fact]
    public void OwnProgramNameMayQualifyLocalNames()
    {
        var s = Struct(Ok("struct T {}\nstruct S { 1: main.T t }"), "S");
        Assert.Equal("main.T", Field(s, "t").Type.DisplayName);
    }

    [Fact]
    public void IncludedNamesNeedTheirProgramPrefix()
    {
        var c = Compile((MainPath, "include \"types.thrift\"\nstruct M { 1: T t }"), ("types.thrift", "struct T {}"));
        var d = AssertSingleError(c, "SX2004", 2, 15);
        Assert.Equal("cannot resolve type 'T'", d.Message);
    }

    [Fact]
    public void TransitiveIncludesAreNotVisible()
    {
        var c = Compile(
            (MainPath, "include \"b.thrift\"\nstruct M { 1: c.C c }"),
            ("b.thrift", "include \"c.thrift\""),
            ("c.thrift", "struct C {}"));
        AssertSingleError(c, "SX2004", 2, 15);
    }

    [Fact]
    public void UnknownProgramOrName()
    {
        AssertSingleError(Compile((MainPath, "include \"b.thrift\"\nstruct M { 1: b.Nope n }"), ("b.thrift", "struct B {}")), "SX2004", 2, 15);
        AssertSingleError(Compile("struct M { 1: nope.B n }"), "SX2004", 1, 15);
    }

    // ------------------------------------------------------------------ typedefs

    [Fact]
    public void TypedefChainsResolve()
    {
        var file = Ok("typedef C D\ntypedef i32 A\ntypedef A B\ntypedef B C\nstruct S { 1: D d, 2: list<B> l }\ntypedef S TS\ntypedef TS TTS");
        var d = Typedef(file, "D");
        Assert.Same(Typedef(file, "C"), Assert.IsType<NamedTypeRef>(d.Target).Definition);
        Assert.Equal(BaseType.I32, Assert.IsType<BaseTypeRef>(d.Target.Resolve()).Type);
        var s = Struct(file, "S");
        Assert.Equal("main.D", Field(s, "d").Type.DisplayName);
        Assert.Equal(BaseType.I32, Assert.IsType<BaseTypeRef>(Field(s, "d").Type.Resolve()).Type);
        Assert.Same(s, Assert.IsType<NamedTypeRef>(Typedef(file, "TTS").Target.Resolve()).Definition);

        // Resolve() strips typedefs at the top only.
        Assert.IsType<ListTypeRef>(Field(s, "l").Type.Resolve());
        Assert.IsType<NamedTypeRef>(Assert.IsType<ListTypeRef>(Field(s, "l").Type.Resolve()).Element);
    }

    [Fact]
    public void RecursionThroughAStructIsNotATypedefCycle()
    {
        var file = Clean("typedef list<Tree> Forest\nstruct Tree { 1: Forest children, 2: map<string, Forest> named }\ntypedef Forest Wood");
        Assert.IsType<ListTypeRef>(Typedef(file, "Wood").Target.Resolve());
    }

    [Fact]
    public void LongTypedefChainsDoNotOverflowTheStack()
    {
        // About 1 MB of IDL, far below the 16 MiB limit. A recursive cycle check overflows the stack here
        // (the test host dies: .NET cannot catch it), and a per-typedef walk of the chain is quadratic.
        const int n = 40_000;
        var chain = "typedef i32 T0\n" + string.Join("\n", Enumerable.Range(1, n).Select(i => $"typedef T{i - 1} T{i}"));
        var file = Clean(chain);
        Assert.Equal(BaseType.I32, Assert.IsType<BaseTypeRef>(Typedef(file, $"T{n}").Target.Resolve()).Type);

        const int m = 3_000;
        var first = $"typedef T{m} T0";
        var cycle = first + "\n" + string.Join("\n", Enumerable.Range(1, m).Select(i => $"typedef T{i - 1} T{i}"));
        AssertSingleError(Compile(cycle), "SX2005", 1, first.Length - 1);
    }

    [Fact]
    public void TypedefAcrossIncludes()
    {
        var c = Compile((MainPath, "include \"t.thrift\"\ntypedef t.Id MyId\nstruct S { 1: MyId id }"), ("t.thrift", "typedef i64 Id"));
        AssertNoDiagnostics(c);
        Assert.Equal(BaseType.I64, Assert.IsType<BaseTypeRef>(Typedef(c.Model!.Roots[0], "MyId").Target.Resolve()).Type);
    }

    [Theory]
    [InlineData("typedef X X", 1, 11, "X")]
    [InlineData("typedef B A\ntypedef A B", 1, 11, "A")]
    [InlineData("typedef C A\ntypedef A B\ntypedef B C", 1, 11, "A")]
    [InlineData("typedef i32 Ok\ntypedef B A\ntypedef A B\nstruct S { 1: A a, 2: B b, 3: Ok ok }", 2, 11, "A")]
    [InlineData("typedef B A\ntypedef A B\nstruct S { 1: A a = 1, 2: B b = [\"x\"] }", 1, 11, "A")]
    [InlineData("typedef list<Loop> Loop", 1, 20, "Loop")]
    [InlineData("typedef map<string, set<Loop>> Loop\nstruct S { 1: Loop loop }", 1, 32, "Loop")]
    [InlineData("typedef map<Loop, Loop> Loop", 1, 25, "Loop")]
    [InlineData("typedef list<B> A\ntypedef A B", 1, 17, "A")]
    public void TypedefCycle(string text, int line, int column, string name)
    {
        var d = AssertSingleError(Compile(text), "SX2005", line, column);
        Assert.Equal($"typedef '{name}' refers to itself", d.Message);
    }

    // ------------------------------------------------------------------ definitions and scopes

    [Theory]
    [InlineData("struct A {}\nenum A {}", 2, 6)]
    [InlineData("struct A {}\nunion A {}", 2, 7)]
    [InlineData("exception A {}\nstruct A {}", 2, 8)]
    [InlineData("typedef i32 A\nstruct A {}", 2, 8)]
    [InlineData("senum A { \"x\" }\ntypedef i32 A", 2, 13)]
    [InlineData("struct A {}\nservice A {}", 2, 9)]
    [InlineData("service A {}\nstruct A {}", 2, 8)]
    [InlineData("service A {}\nservice A {}", 2, 9)]
    [InlineData("const i32 A = 1\nconst string A = \"x\"", 2, 14)]
    public void DuplicateDefinition(string text, int line, int column)
    {
        var d = AssertSingleError(Compile(text), "SX2003", line, column);
        Assert.Equal("'A' is already defined at line 1", d.Message);
    }

    [Fact]
    public void ConstantsHaveTheirOwnScope()
    {
        var file = Ok("struct A { 1: i32 x }\nconst i32 A = 1\nservice S { A get() }\nconst A a = {\"x\": A}");
        Assert.IsType<ConstModel>(file.Definitions[1]);
        Assert.Equal(new IntConstValue(1), Assert.IsType<StructConstValue>(Const(file, "a").Value).Fields.Single().Value);
    }

    [Fact]
    public void SameNameInDifferentFilesIsFine()
    {
        var c = Compile((MainPath, "include \"b.thrift\"\nstruct S { 1: b.S other }"), ("b.thrift", "struct S {}"));
        AssertNoDiagnostics(c);
    }

    [Theory]
    [InlineData("struct S { 1: Missing m }", 1, 15)]
    [InlineData("struct S { 1: list<Missing> m }", 1, 20)]
    [InlineData("struct S { 1: set<Missing> m }", 1, 19)]
    [InlineData("struct S { 1: map<Missing, i32> m }", 1, 19)]
    [InlineData("struct S { 1: map<i32, list<Missing>> m }", 1, 29)]
    [InlineData("typedef Missing T", 1, 9)]
    [InlineData("const Missing C = 1", 1, 7)]
    [InlineData("service S { Missing f() }", 1, 13)]
    [InlineData("service S { void f(1: Missing m) }", 1, 23)]
    [InlineData("service S { void f() throws (1: Missing m) }", 1, 33)]
    [InlineData("union U {\n  1: i32 a\n  2: Missing b\n}", 3, 6)]
    [InlineData("exception X { 1: Missing m }", 1, 18)]
    [InlineData("struct S { 1: missing m }", 1, 15, "missing")]
    [InlineData("struct S { 1: list<a.b.C> m }", 1, 20, "a.b.C")]
    public void UnknownType(string text, int line, int column, string name = "Missing")
    {
        var d = AssertSingleError(Compile(text), "SX2004", line, column);
        Assert.Equal($"cannot resolve type '{name}'", d.Message);
    }

    [Theory]
    [InlineData("const Missing C = 1", 1, 7)]
    [InlineData("const list<Missing> C = [1, \"x\"]", 1, 12)]
    [InlineData("struct S { 1: Missing m = 5 }", 1, 15)]
    [InlineData("typedef Missing T\nstruct S { 1: T t = [1] }", 1, 9)]
    [InlineData("service S { void f() throws (1: Missing e) }", 1, 33)]
    [InlineData("service S { void f(1: Missing a = 1) }", 1, 23)]
    [InlineData("const Missing C = Other", 1, 7)]
    public void UnknownTypeDoesNotCascade(string text, int line, int column) =>
        AssertSingleError(Compile(text), "SX2004", line, column);

    [Fact]
    public void TypeNamesAreCaseSensitive() =>
        AssertSingleError(Compile("struct Foo {}\nstruct S { 1: foo f }"), "SX2004", 2, 15);

    [Theory]
    [InlineData("service Svc {}\nstruct S { 1: Svc s }", 2, 15, "'Svc' is a service, not a type")]
    [InlineData("service Svc {}\ntypedef Svc T", 2, 9, "'Svc' is a service, not a type")]
    [InlineData("service Svc {}\nservice S { Svc f() }", 2, 13, "'Svc' is a service, not a type")]
    [InlineData("const i32 C = 1\nstruct S { 1: C c }", 2, 15, "'C' is a constant, not a type")]
    [InlineData("const i32 C = 1\nstruct S { 1: list<C> c }", 2, 20, "'C' is a constant, not a type")]
    public void NotAType(string text, int line, int column, string message)
    {
        var d = AssertSingleError(Compile(text), "SX2021", line, column);
        Assert.Equal(message, d.Message);
    }

    [Fact]
    public void IncludedServiceUsedAsAType()
    {
        var c = Compile((MainPath, "include \"b.thrift\"\nstruct S { 1: b.Svc s }"), ("b.thrift", "service Svc {}"));
        Assert.Equal("'b.Svc' is a service, not a type", AssertSingleError(c, "SX2021", 2, 15).Message);
    }

    // ------------------------------------------------------------------ fields

    [Theory]
    [InlineData("struct S { 1: i32 a, 1: i32 b }", 1, 29, "field id 1 of 'struct S' is already used by 'a'")]
    [InlineData("union U { 1: i32 a, 1: i32 b }", 1, 28, "field id 1 of 'union U' is already used by 'a'")]
    [InlineData("exception X { 1: i32 a, 1: i32 b }", 1, 32, "field id 1 of 'exception X' is already used by 'a'")]
    [InlineData("service Svc { void f(1: i32 a, 1: i32 b) }", 1, 39, "field id 1 of 'Svc.f' is already used by 'a'")]
    [InlineData("exception E {}\nservice Svc { void f() throws (1: E a, 1: E b) }", 2, 45, "field id 1 of 'throws of Svc.f' is already used by 'a'")]
    [InlineData("struct S { 0x1: i32 a, 1: i32 b }", 1, 31, "field id 1 of 'struct S' is already used by 'a'")]
    public void DuplicateFieldId(string text, int line, int column, string message) =>
        Assert.Equal(message, AssertSingleError(Compile(text), "SX2006", line, column).Message);

    [Theory]
    [InlineData("struct S { 1: i32 a, 2: string a }", 1, 32, "'struct S' already has a field named 'a'")]
    [InlineData("service Svc { void f(1: i32 a, 2: i32 a) }", 1, 39, "'Svc.f' already has a field named 'a'")]
    [InlineData("struct S { i32 a, i32 a }", 1, 23, "'struct S' already has a field named 'a'")]
    public void DuplicateFieldName(string text, int line, int column, string message) =>
        Assert.Equal(message, AssertSingleError(Compile(text), "SX2007", line, column).Message);

    [Fact]
    public void FieldNamesAreCaseSensitive() => Clean("struct S { 1: i32 a, 2: i32 A }");

    [Theory]
    [InlineData("struct S { 32768: i32 a }", 1, 23, "field id 32768 of 'struct S' is outside -32768..32767")]
    [InlineData("struct S { -32769: i32 a }", 1, 24, "field id -32769 of 'struct S' is outside -32768..32767")]
    [InlineData("struct S { 0x10000: i32 a }", 1, 25, "field id 65536 of 'struct S' is outside -32768..32767")]
    [InlineData("service Svc { void f(40000: i32 a) }", 1, 33, "field id 40000 of 'Svc.f' is outside -32768..32767")]
    public void FieldIdOutOfRange(string text, int line, int column, string message) =>
        Assert.Equal(message, AssertSingleError(Compile(text), "SX2025", line, column).Message);

    [Fact]
    public void FieldIdLimits()
    {
        var c = Compile("struct S { 32767: i32 max, 0: i32 zero, -32768: i32 min }");
        AssertNoErrors(c);
        Assert.Equal(new[] { 32767, 0, -32768 }, Struct(c.Model!.Roots[0], "S").Fields.Select(f => f.Id));
        Assert.Equal(new[] { "SX2026" }, Ids(c));
    }

    [Fact]
    public void NegativeFieldIdIsAWarning()
    {
        var c = Compile("struct S { -1: i32 a }");
        var d = AssertSingleWarning(c, "SX2026", 1, 20);
        Assert.Equal("field 'a' has the negative id -1; Apache Thrift accepts it only with --allow-neg-keys", d.Message);
        var a = Struct(c.Model!.Roots[0], "S").Fields.Single();
        Assert.Equal(-1, a.Id);
        Assert.False(a.IsImplicitId);
    }

    [Fact]
    public void RequiredUnionFieldBecomesOptional()
    {
        var c = Compile("union U { 1: required i32 a, 2: optional i32 b, 3: i32 c }");
        var d = AssertSingleWarning(c, "SX2020", 1, 27);
        Assert.Equal("union field 'a' cannot be required; it is treated as optional", d.Message);
        var u = Struct(c.Model!.Roots[0], "U");
        Assert.Equal(new[] { Requiredness.Optional, Requiredness.Optional, Requiredness.Default }, u.Fields.Select(f => f.Requiredness));
    }

    [Fact]
    public void RequiredFieldsOutsideUnionsStayRequired()
    {
        var file = Clean("struct S { 1: required i32 a }\nexception X { 1: required i32 a }");
        Assert.Equal(Requiredness.Required, Struct(file, "S").Fields[0].Requiredness);
        Assert.Equal(Requiredness.Required, Struct(file, "X").Fields[0].Requiredness);
    }

    // ------------------------------------------------------------------ enums

    [Fact]
    public void EnumImplicitValues()
    {
        var e = Enum(Clean("enum E { A, B, C = 10, D, E = -5, F, G, H = 0x7fffffff }"), "E");
        Assert.Equal(new[] { 0, 1, 10, 11, -5, -4, -3, int.MaxValue }, e.Values.Select(v => v.Value));
        Assert.Equal(new[] { "A", "B", "C", "D", "E", "F", "G", "H" }, e.Values.Select(v => v.Name));
        Assert.All(e.Values, v => Assert.Same(e, v.Enum));
    }

    [Fact]
    public void EnumValuesAfterALowerExplicitValue()
    {
        var e = Enum(Clean("enum E { A = 5, B = 1, C }"), "E");
        Assert.Equal(new[] { 5, 1, 2 }, e.Values.Select(v => v.Value));
    }

    [Fact]
    public void DuplicateEnumValuesAreAllowed()
    {
        var e = Enum(Clean("enum E { A = 1, B = 1, C = 0, D }"), "E");
        Assert.Equal(new[] { 1, 1, 0, 1 }, e.Values.Select(v => v.Value));
    }

    [Fact]
    public void DuplicateEnumValueName()
    {
        var d = AssertSingleError(Compile("enum E { A, A }"), "SX2009", 1, 13);
        Assert.Equal("enum 'E' already has a value named 'A'", d.Message);
        AssertSingleError(Compile("enum E { A = 1,\n  B = 2,\n  A = 3 }"), "SX2009", 3, 3);
    }

    [Theory]
    [InlineData("enum E { A = 2147483648 }", 1, 10, "value 2147483648 of 'E.A' does not fit in a 32-bit signed integer")]
    [InlineData("enum E { A = -2147483649 }", 1, 10, "value -2147483649 of 'E.A' does not fit in a 32-bit signed integer")]
    [InlineData("enum E { A = 0x80000000 }", 1, 10, "value 2147483648 of 'E.A' does not fit in a 32-bit signed integer")]
    [InlineData("enum E { A = 2147483647, B }", 1, 26, "value 2147483648 of 'E.B' does not fit in a 32-bit signed integer")]
    public void EnumValueOutOfRange(string text, int line, int column, string message) =>
        Assert.Equal(message, AssertSingleError(Compile(text), "SX2010", line, column).Message);

    [Fact]
    public void EnumValueLimits()
    {
        var e = Enum(Clean("enum E { Min = -2147483648, Max = 2147483647 }"), "E");
        Assert.Equal(new[] { int.MinValue, int.MaxValue }, e.Values.Select(v => v.Value));
    }

    // ------------------------------------------------------------------ constants: base types

    [Theory]
    [InlineData("bool", "true")]
    [InlineData("bool", "false")]
    [InlineData("bool", "0")]
    [InlineData("bool", "1")]
    [InlineData("byte", "-128")]
    [InlineData("i8", "127")]
    [InlineData("i8", "0x7f")]
    [InlineData("i16", "32767")]
    [InlineData("i16", "-32768")]
    [InlineData("i32", "2147483647")]
    [InlineData("i32", "-2147483648")]
    [InlineData("i32", "true")]
    [InlineData("i64", "9223372036854775807")]
    [InlineData("i64", "-9223372036854775808")]
    [InlineData("double", "1")]
    [InlineData("double", "-0x10")]
    [InlineData("double", "1.5")]
    [InlineData("double", "-2e3")]
    [InlineData("string", "\"x\"")]
    [InlineData("string", "'x'")]
    [InlineData("string", "\"\"")]
    [InlineData("binary", "\"bytes\"")]
    [InlineData("uuid", "\"00112233-4455-6677-8899-aabbccddeeff\"")]
    [InlineData("uuid", "\"00112233-4455-6677-8899-AABBCCDDEEFF\"")]
    [InlineData("list<i32>", "[]")]
    [InlineData("list<i32>", "{}")]
    [InlineData("set<i32>", "{}")]
    [InlineData("map<i32, i32>", "[]")]
    [InlineData("map<i32, i32>", "{}")]
    [InlineData("list<list<i8>>", "[[1], [], {}]")]
    [InlineData("map<string, map<i32, bool>>", "{\"a\": {1: true, 2: 0}, \"b\": []}")]
    public void ConstOfBaseTypeAccepted(string type, string value) => Clean($"const {type} c = {value}");

    [Theory]
    [InlineData("bool", "2", "the integer 2")]
    [InlineData("bool", "\"true\"", "the string \"true\"")]
    [InlineData("bool", "1.0", "the double 1")]
    [InlineData("i8", "\"x\"", "the string \"x\"")]
    [InlineData("i16", "1.5", "the double 1.5")]
    [InlineData("i32", "1.5", "the double 1.5")]
    [InlineData("i32", "\"1\"", "the string \"1\"")]
    [InlineData("i32", "[1]", "a list")]
    [InlineData("i64", "{}", "a map")]
    [InlineData("double", "\"1.0\"", "the string \"1.0\"")]
    [InlineData("string", "1", "the integer 1")]
    [InlineData("string", "true", "true")]
    [InlineData("string", "[]", "a list")]
    [InlineData("binary", "1", "the integer 1")]
    [InlineData("uuid", "\"not-a-uuid\"", "the string \"not-a-uuid\"")]
    [InlineData("uuid", "1", "the integer 1")]
    [InlineData("list<i32>", "1", "the integer 1")]
    [InlineData("list<i32>", "{1: 2}", "a map")]
    [InlineData("set<i32>", "\"x\"", "the string \"x\"")]
    [InlineData("map<i32, i32>", "[1]", "a list")]
    [InlineData("map<i32, i32>", "false", "false")]
    public void ConstOfBaseTypeMismatch(string type, string value, string described)
    {
        var c = Compile($"const {type} c = {value}");
        var column = "const ".Length + type.Length + " c = ".Length + 1;
        var d = AssertSingleError(c, "SX2011", 1, column);
        var typeName = type.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("byte", "i8", StringComparison.Ordinal);
        Assert.Equal($"type mismatch: constant c is declared {typeName} but the value is {described}", d.Message);
    }

    [Theory]
    [InlineData("i8", "128")]
    [InlineData("byte", "-129")]
    [InlineData("i8", "0xff")]
    [InlineData("i16", "32768")]
    [InlineData("i16", "-32769")]
    [InlineData("i32", "2147483648")]
    [InlineData("i32", "-2147483649")]
    public void ConstOutOfRange(string type, string value)
    {
        var c = Compile($"const {type} c = {value}");
        var d = AssertSingleError(c, "SX2013", 1, "const ".Length + type.Length + " c = ".Length + 1);
        var expected = value.StartsWith("0x", StringComparison.Ordinal) ? "255" : value;
        Assert.Equal($"value {expected} is out of range for {(type == "byte" ? "i8" : type)}", d.Message);
    }

    [Fact]
    public void ConstValuesAreNormalisedToTheirType()
    {
        var file = Ok("""
            const bool b0 = 0
            const bool b1 = 1
            const bool bt = true
            const i32 fromBool = true
            const double fromInt = 3
            const double fromHex = 0x10
            const uuid u = "00112233-4455-6677-8899-aabbccddeeff"
            const binary bin = "raw"
            const set<string> st = ["a", "b", "a"]
            const map<string, i32> m = {"one": 1, "two": 2}
            """);
        Assert.Equal(new BoolConstValue(false), Const(file, "b0").Value);
        Assert.Equal(new BoolConstValue(true), Const(file, "b1").Value);
        Assert.Equal(new BoolConstValue(true), Const(file, "bt").Value);
        Assert.Equal(new IntConstValue(1), Const(file, "fromBool").Value);
        Assert.Equal(new DoubleConstValue(3), Const(file, "fromInt").Value);
        Assert.Equal(new DoubleConstValue(16), Const(file, "fromHex").Value);
        Assert.Equal(new UuidConstValue(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff")), Const(file, "u").Value);
        Assert.Equal(new StringConstValue("raw"), Const(file, "bin").Value);
        var st = Assert.IsType<ListConstValue>(Const(file, "st").Value);
        Assert.Equal(new ConstValue[] { new StringConstValue("a"), new StringConstValue("b"), new StringConstValue("a") }, st.Elements);
        var m = Assert.IsType<MapConstValue>(Const(file, "m").Value);
        Assert.Equal(new[] { "one", "two" }, m.Entries.Select(e => ((StringConstValue)e.Key).Value));
        Assert.Equal(new[] { 1L, 2L }, m.Entries.Select(e => ((IntConstValue)e.Value).Value));
    }

    [Fact]
    public void ConstTypeMayBeATypedef()
    {
        var file = Ok("typedef i8 Small\ntypedef list<Small> Smalls\nconst Smalls s = [1, 2]");
        Assert.Equal(2, Assert.IsType<ListConstValue>(Const(file, "s").Value).Elements.Length);
        var d = AssertSingleError(Compile("typedef i8 Small\nconst Small s = 300"), "SX2013", 2, 17);
        Assert.Equal("value 300 is out of range for i8", d.Message);
    }

    [Fact]
    public void ContainerElementsAreChecked()
    {
        AssertSingleError(Compile("const list<i8> l = [1, 200]"), "SX2013", 1, 24);
        AssertSingleError(Compile("const set<string> s = [\"a\", 2]"), "SX2011", 1, 29);
        AssertSingleError(Compile("const map<string, i32> m = {\"a\": \"b\"}"), "SX2011", 1, 34);
        AssertSingleError(Compile("const map<i16, i32> m = {\n  1: 2,\n  99999: 3 }"), "SX2013", 3, 3);
        AssertSingleError(Compile("const list<list<bool>> l = [[true], [2]]"), "SX2011", 1, 38);
        var c = Compile("const list<i32> l = [\"a\", \"b\", 3.5]");
        Assert.Equal(new[] { "SX2011", "SX2011", "SX2011" }, Ids(c));
    }

    // ------------------------------------------------------------------ constants: enums

    private const string EnumE = "enum E { A = 1, B = 2 }\n";

    [Theory]
    [InlineData("E.B")]
    [InlineData("main.E.B")]
    [InlineData("2")]
    public void EnumConstants(string value)
    {
        var file = Clean(EnumE + $"const E x = {value}");
        var v = Assert.IsType<EnumConstValue>(Const(file, "x").Value);
        Assert.Same(Enum(file, "E"), v.Enum);
        Assert.Equal(2, v.Value);
        Assert.Equal("B", v.Named!.Name);
    }

    [Fact]
    public void EnumConstantFromAnIncludedFile()
    {
        var c = Compile((MainPath, "include \"types.thrift\"\nconst types.E x = types.E.B\nconst types.E y = E.A\nstruct S { 1: types.E e = types.E.A }"), ("types.thrift", EnumE));
        AssertNoDiagnostics(c);
        Assert.Equal(2, Assert.IsType<EnumConstValue>(Const(c.Model!.Roots[0], "x").Value).Value);
        Assert.Equal(1, Assert.IsType<EnumConstValue>(Const(c.Model.Roots[0], "y").Value).Value);
    }

    [Fact]
    public void EnumConstantFromAnUndeclaredInteger()
    {
        var c = Compile(EnumE + "const E x = 7");
        var d = AssertSingleWarning(c, "SX2024", 2, 13);
        Assert.Equal("7 is not a declared value of enum 'E'", d.Message);
        var v = Assert.IsType<EnumConstValue>(Const(c.Model!.Roots[0], "x").Value);
        Assert.Equal(7, v.Value);
        Assert.Null(v.Named);
    }

    [Fact]
    public void EnumConstantOutOfInt32Range() =>
        Assert.Equal("value 2147483648 is out of range for E", AssertSingleError(Compile(EnumE + "const E x = 2147483648"), "SX2013", 2, 13).Message);

    [Fact]
    public void BareEnumValueIsResolvedWithAWarning()
    {
        var c = Compile(EnumE + "const E x = B");
        var d = AssertSingleWarning(c, "SX2019", 2, 13);
        Assert.Equal("'B' is resolved as 'E.B' from the expected type, as Apache Thrift does; write 'E.B'", d.Message);
        Assert.Equal(2, Assert.IsType<EnumConstValue>(Const(c.Model!.Roots[0], "x").Value).Value);
    }

    [Fact]
    public void EnumValueQualifiedByAnotherNameIsResolvedWithAWarning()
    {
        var c = Compile(EnumE + "const E x = Other.B");
        var d = AssertSingleWarning(c, "SX2019", 2, 13);
        Assert.Equal("'Other.B' is resolved as 'E.B' from the expected type, as Apache Thrift does; write 'E.B'", d.Message);
        Assert.Equal(2, Assert.IsType<EnumConstValue>(Const(c.Model!.Roots[0], "x").Value).Value);

        // Apache Thrift's EnumTest: MyEnum1.ME2_2 where the field is a MyEnum2.
        c = Compile("enum MyEnum1 { ME1_1 = 1 }\nenum MyEnum2 { ME2_2 = 2 }\nconst MyEnum2 x = MyEnum1.ME2_2");
        AssertSingleWarning(c, "SX2019", 3, 19);
    }

    [Fact]
    public void ValueOfAnotherEnum_UsesItsNumber_WithAWarning()
    {
        var c = Compile("enum Other { THREE = 3 }\nenum Mine { ONE = 1, TWO = 2, DREI = 3 }\nconst Mine x = Other.THREE");
        var d = AssertSingleWarning(c, "SX2029", 3, 16);
        Assert.Equal("'Other.THREE' is a value of enum 'Other', not 'Mine'; its number 3 is used", d.Message);
        var value = Assert.IsType<EnumConstValue>(Const(c.Model!.Roots[0], "x").Value);
        Assert.Equal(3, value.Value);
        Assert.Equal("DREI", value.Named!.Name);
    }

    [Fact]
    public void EnumValueUsedAsAnInteger()
    {
        var file = Clean(EnumE + "const i32 i = E.B\nconst double d = E.A\nconst list<i64> l = [E.A, E.B]");
        Assert.Equal(new IntConstValue(2), Const(file, "i").Value);
        Assert.Equal(new DoubleConstValue(1), Const(file, "d").Value);
        AssertSingleError(Compile(EnumE + "const string s = E.A"), "SX2011", 2, 18);
        AssertSingleError(Compile("enum E { Big = 300 }\nconst i8 x = E.Big"), "SX2013", 2, 14);
    }

    [Fact]
    public void EnumConstantMismatches()
    {
        AssertSingleError(Compile(EnumE + "const E x = \"A\""), "SX2011", 2, 13);
        AssertSingleError(Compile(EnumE + "const E x = 1.0"), "SX2011", 2, 13);
        var d = AssertSingleError(Compile(EnumE + "const E x = E.Z"), "SX2012", 2, 13);
        Assert.Equal("cannot resolve constant or enum value 'E.Z'", d.Message);
    }

    [Fact]
    public void EnumElementsOfContainers()
    {
        var c = Compile(EnumE + "const set<E> s = [E.A, 9]\nconst map<E, string> m = {E.B: \"b\", 1: \"a\"}");
        AssertNoErrors(c);
        AssertSingleWarning(c, "SX2024", 2, 24);
        var m = Assert.IsType<MapConstValue>(Const(c.Model!.Roots[0], "m").Value);
        Assert.Equal(new[] { "B", "A" }, m.Entries.Select(e => ((EnumConstValue)e.Key).Named!.Name));
    }

    // ------------------------------------------------------------------ constants: structs

    private const string Point = "struct P { 1: i32 x, 2: string name, 3: list<i32> l, 4: optional P next }\n";

    [Fact]
    public void StructConstant()
    {
        var file = Clean(Point + "const P p = {\"x\": 1, \"name\": \"n\", 'l': [1, 2], \"next\": {\"x\": 2}}");
        var v = Assert.IsType<StructConstValue>(Const(file, "p").Value);
        Assert.Same(Struct(file, "P"), v.Struct);
        Assert.Equal(new[] { "x", "name", "l", "next" }, v.Fields.Select(f => f.Key.Name));
        Assert.Equal(new IntConstValue(1), v.Fields[0].Value);
        var next = Assert.IsType<StructConstValue>(v.Fields[3].Value);
        Assert.Equal(new IntConstValue(2), next.Fields.Single().Value);
    }

    [Fact]
    public void StructConstantErrors()
    {
        var d = AssertSingleError(Compile(Point + "const P p = {\"x\": 1, \"zz\": 2}"), "SX2011", 2, 22);
        Assert.Equal("type mismatch: constant p: struct P has no field 'zz'", d.Message);

        d = AssertSingleError(Compile(Point + "const P p = {1: 1}"), "SX2011", 2, 14);
        Assert.Equal("type mismatch: constant p: keys of a struct value must be field names in quotes", d.Message);

        AssertSingleError(Compile(Point + "const P p = {\"x\": \"one\"}"), "SX2011", 2, 19);
        AssertSingleError(Compile(Point + "const P p = [1]"), "SX2011", 2, 13);
        AssertSingleError(Compile(Point + "const P p = {\"next\": {\"zz\": 1}}"), "SX2011", 2, 23);
        AssertSingleError(Compile("union U { 1: i32 a }\nconst U u = {\"b\": 1}"), "SX2011", 2, 14);
    }

    // ------------------------------------------------------------------ constants: references

    [Fact]
    public void ConstReferences()
    {
        var file = Clean("""
            const i32 Later = Early
            const i32 Early = 5
            const list<i32> L = [1, 2]
            const set<i8> S = L
            const map<string, list<i32>> M = {"l": L}
            const double D = Early
            struct T { 1: set<i16> s = L, 2: i32 e = Later }
            """);
        Assert.Equal(new IntConstValue(5), Const(file, "Later").Value);
        Assert.Equal(new ConstValue[] { new IntConstValue(1), new IntConstValue(2) }, Assert.IsType<ListConstValue>(Const(file, "S").Value).Elements);
        Assert.Equal(new DoubleConstValue(5), Const(file, "D").Value);
        Assert.IsType<ListConstValue>(Assert.IsType<MapConstValue>(Const(file, "M").Value).Entries.Single().Value);
        Assert.Equal(new IntConstValue(5), Field(Struct(file, "T"), "e").Default);
        Assert.IsType<ListConstValue>(Field(Struct(file, "T"), "s").Default);
    }

    [Fact]
    public void ConstReferencesAcrossIncludes()
    {
        var c = Compile(
            (MainPath, "include \"c.thrift\"\nconst i64 Y = c.X\nconst list<i8> L = c.List\nstruct S { 1: i32 a = c.X }"),
            ("c.thrift", "const i32 X = 5\nconst list<i32> List = [X, 2]"));
        AssertNoDiagnostics(c);
        Assert.Equal(new IntConstValue(5), Const(c.Model!.Roots[0], "Y").Value);
        Assert.Equal(new ConstValue[] { new IntConstValue(5), new IntConstValue(2) }, Assert.IsType<ListConstValue>(Const(c.Model.Roots[0], "L").Value).Elements);
    }

    [Fact]
    public void ReTypedConstIsCheckedAtTheReference()
    {
        var d = AssertSingleError(Compile("const list<i32> L = [1, 200]\nconst set<i8> S = L"), "SX2013", 2, 19);
        Assert.Equal("value 200 is out of range for i8", d.Message);
        AssertSingleError(Compile("const string s = \"x\"\nconst i32 i = s"), "SX2011", 2, 15);
        AssertSingleError(Compile("const i32 big = 1000\nstruct S { 1: i8 small = big }"), "SX2013", 2, 26);
    }

    [Fact]
    public void EveryReferenceThatReTypesAConstIsChecked()
    {
        // Each reference re-checks L as list<i8>; each is an error of its own, at its own site.
        var c = Compile("const list<i32> L = [1000]\nconst list<i8> A = L\nconst list<i8> B = L");
        Assert.Equal(new[] { ("SX2013", 2, 20), ("SX2013", 3, 20) }, c.Diagnostics.Select(d => (d.Id, d.Span.StartLine, d.Span.StartColumn)));
    }

    [Theory]
    [InlineData("const i32 A = A", 1, 15, "A")]
    [InlineData("const i32 A = B\nconst i32 B = A", 1, 15, "A")]
    [InlineData("const i32 A = B\nconst i32 B = C\nconst i32 C = A", 1, 15, "A")]
    [InlineData("const list<i32> A = [1, A]", 1, 25, "A")]
    [InlineData("const i32 Ok = 1\nconst map<i32, i32> A = {Ok: B}\nconst i32 B = A", 2, 30, "A")]
    public void ConstCycle(string text, int line, int column, string name)
    {
        var c = Compile(text);
        Assert.Equal($"constant '{name}' refers to itself", AssertSingleError(c, "SX2023", line, column).Message);
    }

    [Fact]
    public void StructDefaultOfItsOwnTypeIsNotACycle()
    {
        var file = Clean("const S Default = {\"a\": 1}\nstruct S { 1: i32 a = 0, 2: optional S s = Default }");
        Assert.IsType<StructConstValue>(Field(Struct(file, "S"), "s").Default);
    }

    [Theory]
    [InlineData("service Svc {}\nconst i32 x = Svc", 2, 15, "type mismatch for Svc: expects value, got service")]
    [InlineData("struct T {}\nconst i32 x = T", 2, 15, "type mismatch for T: expects value, got struct")]
    [InlineData("enum E { A }\nconst i32 x = E", 2, 15, "type mismatch for E: expects value, got enum")]
    [InlineData("typedef i32 T\nconst i32 x = T", 2, 15, "type mismatch for T: expects value, got typedef")]
    [InlineData("service Svc {}\nstruct S { 1: i32 a = Svc }", 2, 23, "type mismatch for Svc: expects value, got service")]
    public void ConstReferencingANonValue(string text, int line, int column, string message) =>
        Assert.Equal(message, AssertSingleError(Compile(text), "SX2022", line, column).Message);

    [Fact]
    public void ConstReferencingAnIncludedService()
    {
        var c = Compile((MainPath, "include \"b.thrift\"\nconst i32 x = b.Svc"), ("b.thrift", "service Svc {}"));
        Assert.Equal("type mismatch for b.Svc: expects value, got service", AssertSingleError(c, "SX2022", 2, 15).Message);
    }

    [Theory]
    [InlineData("const i32 x = Nope", 1, 15, "Nope")]
    [InlineData("const i32 x = nope.X", 1, 15, "nope.X")]
    [InlineData("const list<i32> x = [1, Nope]", 1, 25, "Nope")]
    [InlineData("struct S { 1: i32 a = Nope }", 1, 23, "Nope")]
    [InlineData("const i32 x = 1\nconst i32 y = X", 2, 15, "X")]
    public void UnknownConstant(string text, int line, int column, string name) =>
        Assert.Equal($"cannot resolve constant or enum value '{name}'", AssertSingleError(Compile(text), "SX2012", line, column).Message);

    [Fact]
    public void IncludedConstNeedsItsPrefix()
    {
        var c = Compile((MainPath, "include \"c.thrift\"\nconst i32 Y = X"), ("c.thrift", "const i32 X = 5"));
        AssertSingleError(c, "SX2012", 2, 15);
    }

    // ------------------------------------------------------------------ field defaults

    [Fact]
    public void FieldDefaultsAreCheckedLikeConstants()
    {
        var d = AssertSingleError(Compile("struct S { 1: string s = 1 }"), "SX2011", 1, 26);
        Assert.Equal("type mismatch: default of struct S.s is declared string but the value is the integer 1", d.Message);
        AssertSingleError(Compile("struct S { 1: i8 a = 200 }"), "SX2013", 1, 22);
        AssertSingleError(Compile("struct S { 1: list<i8> a = [1, 2, 300] }"), "SX2013", 1, 35);
        AssertSingleError(Compile("union U { 1: bool b = 2 }"), "SX2011", 1, 23);
        AssertSingleError(Compile("exception X { 1: double d = \"x\" }"), "SX2011", 1, 29);
        d = AssertSingleError(Compile("service Svc { void f(1: i32 a = \"x\") }"), "SX2011", 1, 33);
        Assert.Equal("type mismatch: default of Svc.f.a is declared i32 but the value is the string \"x\"", d.Message);
    }

    [Fact]
    public void FieldDefaultValues()
    {
        var file = Ok(EnumE + Point + """
            struct S {
              1: i32 a = C
              2: E e = E.A
              3: E bare = B
              4: P p = {"x": 3}
              5: map<string, E> m = {"k": E.B}
              6: double d = 1
            }
            const i32 C = 42
            """);
        var s = Struct(file, "S");
        Assert.Equal(new IntConstValue(42), Field(s, "a").Default);
        Assert.Equal(1, Assert.IsType<EnumConstValue>(Field(s, "e").Default).Value);
        Assert.Equal(2, Assert.IsType<EnumConstValue>(Field(s, "bare").Default).Value);
        Assert.IsType<StructConstValue>(Field(s, "p").Default);
        Assert.IsType<MapConstValue>(Field(s, "m").Default);
        Assert.Equal(new DoubleConstValue(1), Field(s, "d").Default);
    }

    [Fact]
    public void FieldDefaultWithBareEnumValueWarns() =>
        AssertSingleWarning(Compile(EnumE + "struct S { 1: E e = A }"), "SX2019", 2, 21);

    // ------------------------------------------------------------------ services

    [Fact]
    public void ServiceExtends()
    {
        var file = Clean("service B extends A { void b() }\nservice A { void a() }\nservice C extends main.B { void c() }");
        Assert.Same(Service(file, "A"), Service(file, "B").Extends);
        Assert.Same(Service(file, "B"), Service(file, "C").Extends);
        Assert.Null(Service(file, "A").Extends);
    }

    [Fact]
    public void ServiceExtendsAnIncludedService()
    {
        var c = Compile((MainPath, "include \"base.thrift\"\nservice S extends base.Base { void own() }"), ("base.thrift", "service Base { void inherited() }"));
        AssertNoDiagnostics(c);
        var s = Service(c.Model!.Roots[0], "S");
        Assert.Equal("base.Base", s.Extends!.QualifiedName);
        Assert.Equal(new[] { "inherited", "own" }, s.AllMethods.Select(m => m.Name));
        Assert.Equal("Base", s.AllMethods[0].Service.Name);
    }

    [Fact]
    public void AllMethodsPutsBaseMethodsFirst()
    {
        var file = Clean("service A { void a1(), void a2() }\nservice B extends A { void b1() }\nservice C extends B { void c1(), void c2() }");
        Assert.Equal(new[] { "a1", "a2", "b1", "c1", "c2" }, Service(file, "C").AllMethods.Select(m => m.Name));
        Assert.Equal(new[] { "c1", "c2" }, Service(file, "C").Methods.Select(m => m.Name));
        Assert.Equal(new[] { "A", "A", "B", "C", "C" }, Service(file, "C").AllMethods.Select(m => m.Service.Name));
    }

    [Theory]
    [InlineData("struct T {}\nservice S extends T {}", 2, 19, "'S' cannot extend 'main.T': it is not a service")]
    [InlineData("enum T { A }\nservice S extends T {}", 2, 19, "'S' cannot extend 'main.T': it is not a service")]
    [InlineData("exception T {}\nservice S extends T {}", 2, 19, "'S' cannot extend 'main.T': it is not a service")]
    [InlineData("typedef i32 T\nservice S extends T {}", 2, 19, "'S' cannot extend 'main.T': it is not a service")]
    public void ExtendsNonService(string text, int line, int column, string message) =>
        Assert.Equal(message, AssertSingleError(Compile(text), "SX2014", line, column).Message);

    [Fact]
    public void ExtendsUnknown()
    {
        Assert.Equal("cannot resolve type 'Nope'", AssertSingleError(Compile("service S extends Nope {}"), "SX2004", 1, 19).Message);
        AssertSingleError(Compile((MainPath, "include \"b.thrift\"\nservice S extends Base {}"), ("b.thrift", "service Base {}")), "SX2004", 2, 19);
    }

    [Theory]
    [InlineData("service A extends A {}", 1, 9, "service 'A' extends itself through A")]
    [InlineData("service A extends B {}\nservice B extends A {}", 1, 9, "service 'A' extends itself through B -> A")]
    [InlineData("service A extends B {}\nservice B extends C {}\nservice C extends A {}", 1, 9, "service 'A' extends itself through B -> C -> A")]
    public void ServiceCycle(string text, int line, int column, string message) =>
        Assert.Equal(message, AssertSingleError(Compile(text), "SX2015", line, column).Message);

    [Fact]
    public void ServiceCycleDoesNotHangAllMethods()
    {
        var c = Compile("service Ok extends A { void ok() }\nservice A extends B { void a() }\nservice B extends A { void b() }");
        AssertHas(c, "SX2015");
        Assert.Null(c.Model);
    }

    [Fact]
    public void DuplicateMethodInOneService()
    {
        var d = AssertSingleError(Compile("service S {\n  void f()\n  i32 f(1: i32 a)\n}"), "SX2016", 3, 7);
        Assert.Equal("service 'S' already has a method named 'f'", d.Message);
    }

    [Fact]
    public void RedeclaredInheritedMethod()
    {
        var d = AssertSingleError(Compile("service Baz { void bar() }\nservice Foo extends Baz { void bar() }"), "SX2016", 2, 32);
        Assert.Equal("Foo.bar already inherited from Baz", d.Message);

        d = AssertSingleError(Compile("service A { void m() }\nservice B extends A {}\nservice C extends B { void m() }"), "SX2016", 3, 28);
        Assert.Equal("C.m already inherited from A", d.Message);

        var c = Compile((MainPath, "include \"base.thrift\"\nservice Foo extends base.Baz { void bar() }"), ("base.thrift", "service Baz { void bar() }"));
        Assert.Equal("Foo.bar already inherited from Baz", AssertSingleError(c, "SX2016", 2, 37).Message);
    }

    [Fact]
    public void MethodNamesAreCaseSensitive() => Clean("service A { void m() }\nservice B extends A { void M() }");

    [Fact]
    public void MethodShapes()
    {
        var file = Clean("exception X {}\nstruct R {}\nservice S { R get(1: i32 id, 2: string name) throws (1: X x), oneway void fire(), void none() }");
        var get = Method(file, "S", "get");
        Assert.Same(Service(file, "S"), get.Service);
        Assert.Same(Struct(file, "R"), Assert.IsType<NamedTypeRef>(get.ReturnType).Definition);
        Assert.Equal(new[] { "id", "name" }, get.Arguments.Select(a => a.Name));
        Assert.Equal("x", get.Throws.Single().Name);
        Assert.False(get.IsOneway);
        Assert.True(Method(file, "S", "fire").IsOneway);
        Assert.Null(Method(file, "S", "none").ReturnType);
        Assert.Empty(Method(file, "S", "none").Throws);
        Assert.Equal("S.get", get.ToString());
    }

    [Theory]
    [InlineData("struct NotEx {}\nservice S { void f() throws (1: NotEx e) }", 2, 39, "'main.NotEx' in the throws clause of 'f' is not an exception type")]
    [InlineData("service S { void f() throws (1: i32 e) }", 1, 37, "'i32' in the throws clause of 'f' is not an exception type")]
    [InlineData("union U {}\nservice S { void f() throws (1: U e) }", 2, 35, "'main.U' in the throws clause of 'f' is not an exception type")]
    [InlineData("enum E { A }\nservice S { void f() throws (1: E e) }", 2, 35, "'main.E' in the throws clause of 'f' is not an exception type")]
    [InlineData("service S { void f() throws (1: list<i32> e) }", 1, 43, "'list<i32>' in the throws clause of 'f' is not an exception type")]
    public void ThrowsNonException(string text, int line, int column, string message) =>
        Assert.Equal(message, AssertSingleError(Compile(text), "SX2017", line, column).Message);

    [Fact]
    public void ThrowsTypedefOfException() =>
        Clean("exception X {}\ntypedef X AliasX\nservice S { void f() throws (1: AliasX x, 2: X y) }");

    [Theory]
    [InlineData("service S { oneway i32 f() }", 1, 24, "oneway method 'f' must return void")]
    [InlineData("struct R {}\nservice S { oneway R f(1: i32 a) }", 2, 22, "oneway method 'f' must return void")]
    [InlineData("exception E {}\nservice S { oneway void f() throws (1: E e) }", 2, 25, "oneway method 'f' cannot declare exceptions")]
    public void OnewayInvalid(string text, int line, int column, string message) =>
        Assert.Equal(message, AssertSingleError(Compile(text), "SX2018", line, column).Message);

    [Fact]
    public void OnewayReturningAValueAndThrowingReportsBoth()
    {
        var c = Compile("exception E {}\nservice S { oneway i32 f() throws (1: E e) }");
        Assert.Equal(new[] { "SX2018", "SX2018" }, Ids(c));
        Assert.Equal(new[] { "oneway method 'f' cannot declare exceptions", "oneway method 'f' must return void" }, c.Diagnostics.Select(d => d.Message).Order(StringComparer.Ordinal));
    }

    // ------------------------------------------------------------------ whole-run behaviour

    [Fact]
    public void SemanticErrorsInEveryFileAreReportedInOneRun()
    {
        var c = Compile(
            (MainPath, "include \"b.thrift\"\nstruct M { 1: Nope n, 1: i32 dup }\nconst i8 big = 1000\nservice S extends M {}"),
            ("b.thrift", "enum E { A, A }\nconst string s = 1"));
        Assert.Equal(
            new[] { "b.thrift:SX2009", "b.thrift:SX2011", "main.thrift:SX2004", "main.thrift:SX2006", "main.thrift:SX2013", "main.thrift:SX2014" },
            c.Diagnostics.Select(d => $"{d.Span.Path}:{d.Id}"));
        Assert.Null(c.Model);
    }

    [Fact]
    public void SyntaxErrorsStopBindingButNotOtherFilesParsing()
    {
        // Binding half-parsed input would only add noise: no SX2xxx once a file has a syntax error.
        var c = Compile((MainPath, "include \"b.thrift\"\nstruct M { 1: Nope n }"), ("b.thrift", "struct B {"));
        Assert.Equal(new[] { "SX1001" }, Ids(c));
        Assert.Equal("b.thrift", c.Diagnostics[0].Span.Path);
    }

    [Fact]
    public void WarningsStillProduceAModel()
    {
        var c = Compile("php_namespace X\nstruct S { i32 a }\nunion U { 1: required i32 a }\nstruct N { -2: i32 n }");
        AssertNoErrors(c);
        Assert.Equal(new[] { "SX1010", "SX2008", "SX2020", "SX2026" }, Ids(c));
        Assert.False(c.HasErrors);
    }

    [Fact]
    public void CompileIsRepeatableAndIndependent()
    {
        var files = new[] { (MainPath, "include \"b.thrift\"\nstruct M { 1: b.B b }"), ("b.thrift", "struct B {}") };
        var first = Compile(files);
        var second = Compile(files);
        AssertNoDiagnostics(first);
        AssertNoDiagnostics(second);
        Assert.NotSame(first.Model!.Files[0], second.Model!.Files[0]);
    }
}
