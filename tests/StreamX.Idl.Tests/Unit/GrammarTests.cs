using StreamX.Idl.Diagnostics;
using StreamX.Idl.Model;
using static StreamX.Idl.Tests.Unit.IdlTestHelper;

namespace StreamX.Idl.Tests.Unit;

/// <summary>The grammar and the syntax-tree builder: what parses, what it means, and where syntax errors point.</summary>
public class GrammarTests
{
    // ------------------------------------------------------------------ inputs that must parse

    public static TheoryData<string> ValidInputs => new()
    {
        // empty and comment-only files
        "",
        "   \n\t\n",
        "# only a comment",
        "// only a comment\n/* and a block */",

        // include / cpp_include
        "include \"inc.thrift\"",
        "include 'inc.thrift';",
        "include \"inc.thrift\",\nstruct S { 1: inc.R r }",
        "include \"dir/other.thrift\"\nstruct S { 1: other.O o }",
        "cpp_include \"foo.h\"",
        "cpp_include '<vector>';\ninclude \"inc.thrift\"\nnamespace * x",

        // namespace in every form
        "namespace * foo",
        "namespace csharp Foo.Bar.Baz",
        "namespace netstd \"Quoted.Name\"",
        "namespace py.twisted foo.bar",
        "namespace go foo (package.prefix = \"github.com/x\", other)",
        "namespace java com.example;",
        "namespace cpp a.b,\nnamespace rb A",
        "namespace * foo ()",

        // legacy namespace statements
        "php_namespace Foo",
        "xsd_namespace \"http://example.com/x\"",
        "smalltalk.category Thrift-Tests",
        "smalltalk.category Thrift\nstruct S {}",
        "smalltalk.prefix Th",
        "cpp_namespace a.b\npy_module a\nperl_package A\nruby_namespace A\njava_package a.b\ncocoa_prefix AB\ncsharp_namespace A.B\ndelphi_namespace A",

        // constants and literals
        "const i32 a = 1",
        "const i32 a = 0x10;",
        "const i64 a = -0x1,",
        "const i32 a = +1",
        "const i64 a = -9223372036854775808",
        "const i64 a = 0x7fffffffffffffff",
        "const double d = 1.5e10",
        "const double d = -1.5E-3",
        "const double d = .5",
        "const double d = 1e5",
        "const double d = +1.0",
        "const double d = 3",
        "const bool t = true\nconst bool f = false",
        "const string s = 'single'",
        "const string s = \"double\"",
        "const string s = \"\\n\\r\\t\\\"\\'\\\\\"",
        "const string s = '\\n\\r\\t\\\"\\'\\\\'",
        "const string s = \"it's\"\nconst string t = 'say \"hi\"'",
        "const list<i32> l = [1, 2; 3 4,]",
        "const list<i32> l = []",
        "const set<string> s = [\"a\", 'b']",
        "const map<string, list<i32>> m = {\"a\": [1, 2], \"b\": [], 'c': [3];}",
        "const map<i32, map<i32, string>> mm = {1: {2: \"x\"}, 3: {}}",
        "const list<list<list<i32>>> deep = [[[1]], [[2, 3], []]]",
        "const i32 x = 1 (anno = \"x\")",
        "const binary b = \"bytes\"",
        "const uuid u = \"00112233-4455-6677-8899-aabbccddeeff\"",

        // typedefs with annotations on base, container and named types
        "typedef i32 MyInt",
        "typedef i32 (a = \"b\") MyInt",
        "typedef list<i32> (a = \"b\") L",
        "typedef list<i32 (elem = \"x\")> L",
        "struct S {}\ntypedef S (a = \"b\") T",
        "typedef i32 MyInt (x = \"y\")",
        "typedef map<string, set<binary>> M;",
        "typedef byte B\ntypedef uuid U\ntypedef i8 I8,",
        "typedef slist SL",
        "typedef list<i32> cpp_type \"std::vector<int>\" L",
        "typedef map cpp_type \"std::map\" <i32, i32> M",
        "typedef set cpp_type \"std::set\" <i32> St",

        // enums and senum
        "enum E { A, B, C }",
        "enum E { A = 1; B = 0x2, C = -3 D }",
        "enum E { A (x = \"y\"), B = 2 (z) } (e = \"f\")",
        "enum E {}",
        "enum E { A = 1, }",
        "senum S { \"a\", \"b\"; 'c' }",

        // structs, unions, exceptions
        "struct S {}",
        "struct S { 1: i32 a, 2: string b; 3: bool c }",
        "struct S { 1: i32 a 2: string b }",
        "struct S { 1: required i32 a 2: optional string b, 3: i32 c }",
        "struct S { i32 a, i32 b }",
        "struct S { 1 : i32 a }",
        "struct S { 1:i32 a }",
        "struct S { 1 :i32 a }",
        "struct S { -1: i32 a }",
        "struct S { 0x10: i32 a }",
        "struct S xsd_all { 1: i32 a }",
        "union U { 1: i32 a; 2: string b }",
        "union U xsd_all { 1: i32 a }",
        "exception E { 1: string message }",
        "struct S { 1: S &next }",
        "struct S { 1: optional S & next }",
        "struct S { 1: i32 a = 1, 2: list<i32> l = [1, 2] (anno = \"x\"), }",
        "struct S {} (x = \"y\", z)",
        "struct S { 1: i32 a (x) }",
        "struct S { 1: i32 a xsd_optional xsd_nillable xsd_attrs { 1: i32 b } }",
        "struct S { 1: map<string, list<set<i32>>> m }",
        "struct A { 1: B b }\nstruct B { 1: A a }",

        // services
        "service S {}",
        "service A {}\nservice B extends A { void f() }",
        "service S { oneway void f(1: i32 a) }",
        "exception E {}\nservice S { i32 f(1: i32 a, 2: string b) throws (1: E e) }",
        "exception E {}\nservice S { void f() throws (1: E e,) }",
        "service S { void f(), void g(); void h() }",
        "service S { void f() (x = \"y\") } (svc = \"1\")",
        "service S { list<i32> f(1: i32 a = 5) }",
        "service S { void f(i32 a, i32 b) }",

        // keywords as names
        "struct S { 1: i8 i8 }",
        "struct S { 2: string namespace }",
        "struct S { 3: bool required }",
        "struct S { 1: required i32 required, 2: optional i32 optional }",
        "struct using {}",
        "struct S { 1: i32 list, 2: i32 map, 3: i32 service, 4: i32 oneway, 5: i32 throws, 6: i32 void, 7: i32 include, 8: i32 exception }",
        "struct S { 1: i32 byte, 2: i32 slist, 3: i32 xsd_all, 4: i32 cpp_type, 5: i32 php_namespace, 6: i32 uuid }",
        "service S { void oneway(1: i32 throws) }",
        "enum E { struct, enum, typedef }",
        "struct required {}\nstruct S { 1: required required r }",

        // comments, BOM, line endings, tabs
        "# hash\n// slashes\n/* block */ struct S {}",
        "#!/usr/bin/env thrift\nstruct S {}",
        "\uFEFFstruct S {}",
        "struct S {\r\n  1: i32 a\r\n}\r\n",
        "struct\tS\t{\t1:\ti32\ta\t}",
        "/**/ struct S {}",
        "/***/ struct S {}",
        "/** doc */ /* not doc */ // line\nstruct S {}",
        "struct S { 1: i32 a /* inline */ = /* here too */ 1 }",
        "/* multi\n * line\n */\nstruct S {}",
    };

    private static IdlCompilation CompileWithIncludes(string text) => Compile(
        (MainPath, text),
        ("inc.thrift", "struct R {}"),
        ("dir/other.thrift", "struct O {}"));

    [Theory]
    [MemberData(nameof(ValidInputs))]
    public void Parses(string text)
    {
        var c = CompileWithIncludes(text);
        AssertNoErrors(c);
        Assert.All(c.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
    }

    [Theory]
    [InlineData("php_namespace Foo", "SX1010", 1, 1)]
    [InlineData("\n  cpp_namespace a.b", "SX1010", 2, 3)]
    [InlineData("senum S { \"a\" }", "SX1011", 1, 1)]
    [InlineData("typedef slist SL", "SX1012", 1, 9)]
    [InlineData("struct S xsd_all { 1: i32 a }", "SX1013", 1, 10)]
    [InlineData("union U xsd_all {}", "SX1013", 1, 9)]
    [InlineData("struct S { 1: i32 a xsd_optional }", "SX1013", 1, 21)]
    [InlineData("struct S { 1: i32 a xsd_nillable }", "SX1013", 1, 21)]
    [InlineData("struct S { 1: i32 a xsd_attrs { 1: i32 b } }", "SX1013", 1, 21)]
    [InlineData("struct S { i32 a }", "SX2008", 1, 16)]
    [InlineData("struct S { 1: i32 a (x = \"1\", x = \"2\") }", "SX2028", 1, 31)]
    public void LegacyFormsParseWithOneWarning(string text, string id, int line, int column) =>
        AssertSingleWarning(Compile(text), id, line, column);

    [Fact]
    public void ConstructsWithoutLegacyFormsHaveNoDiagnostics() => Clean("""
        namespace * x
        const map<string, list<i32>> M = {"a": [1, 0x2, -3]}
        typedef list<i32 (a = "b")> (c = "d") L (e = "f")
        enum E { A = 1, B }
        struct S { 1: required i32 a = 1; 2: optional L l, 3: S &self (ref = "x") }
        union U { 1: i32 a }
        exception X { 1: string message }
        service Base { void ping() }
        service Svc extends Base { oneway void fire(1: i32 a); i32 get(1: S s) throws (1: X x) }
        """);

    // ------------------------------------------------------------------ model facts

    [Theory]
    [InlineData("0x10", 16)]
    [InlineData("-0x1", -1)]
    [InlineData("+0x1f", 31)]
    [InlineData("+1", 1)]
    [InlineData("-1", -1)]
    [InlineData("007", 7)]
    [InlineData("0x7fffffffffffffff", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("-0x8000000000000000", long.MinValue)]
    public void IntegerLiterals(string literal, long expected)
    {
        var value = Assert.IsType<IntConstValue>(Const(Ok($"const i64 v = {literal}"), "v").Value);
        Assert.Equal(expected, value.Value);
    }

    [Fact]
    public void HexPrefixIsLowerCaseOnly() =>
        AssertSingleError(Compile("const i64 v = 0XFF"), "SX1001", 1, 16);

    [Theory]
    [InlineData("1.5e10", 1.5e10)]
    [InlineData("-1.5E-3", -1.5e-3)]
    [InlineData(".5", 0.5)]
    [InlineData("1e5", 1e5)]
    [InlineData("+1.0", 1.0)]
    [InlineData("2E+2", 200.0)]
    [InlineData("3", 3.0)]
    [InlineData("-0x10", -16.0)]
    public void DoubleLiterals(string literal, double expected)
    {
        var value = Assert.IsType<DoubleConstValue>(Const(Ok($"const double v = {literal}"), "v").Value);
        Assert.Equal(expected, value.Value);
    }

    [Theory]
    [InlineData("\"a\\nb\"", "a\nb")]
    [InlineData("\"a\\rb\"", "a\rb")]
    [InlineData("\"a\\tb\"", "a\tb")]
    [InlineData("\"a\\\"b\"", "a\"b")]
    [InlineData("\"a\\'b\"", "a'b")]
    [InlineData("\"a\\\\b\"", "a\\b")]
    [InlineData("'a\\'b'", "a'b")]
    [InlineData("'a\\\"b'", "a\"b")]
    [InlineData("'say \"hi\"'", "say \"hi\"")]
    [InlineData("\"it's\"", "it's")]
    [InlineData("\"\\\\n\"", "\\n")]
    [InlineData("\"\"", "")]
    [InlineData("''", "")]
    [InlineData("\"\\n\\r\\t\\\"\\'\\\\\"", "\n\r\t\"'\\")]
    [InlineData("\"ünïcödé 😀\"", "ünïcödé 😀")]
    public void StringLiteralsDecodeEscapes(string literal, string expected)
    {
        var value = Assert.IsType<StringConstValue>(Const(Ok($"const string v = {literal}"), "v").Value);
        Assert.Equal(expected, value.Value);
    }

    [Fact]
    public void EscapesInAnnotationValuesAreDecoded()
    {
        var file = Ok("struct S {} (a = \"x\\ty\", b = 'q\\'r')");
        var annotations = Struct(file, "S").Annotations;
        Assert.Equal("x\ty", annotations.Get("a"));
        Assert.Equal("q'r", annotations.Get("b"));
    }

    [Fact]
    public void DocCommentsAreAttachedWithMarkersStripped()
    {
        var file = Ok("""
            /**
             * The struct.
             *   indented line
             */
            struct S {
              /** The field. */
              1: i32 a
              /// a line comment, not a doc comment
              2: i32 b
              /*
               * a block comment, not a doc comment
               */
              3: i32 c
            }

            /** One-line enum doc */
            enum E {
              /** first */
              A = 1,
              B
            }

            /**
            No stars
            at all
            */
            service Svc {
              /**
               * Method doc.
               */
              void ping()
              void pong()
            }

            /** c */ const i32 C = 1
            /** t */ typedef i32 T
            /**/ struct NoDoc {}
            """);
        var s = Struct(file, "S");
        Assert.Equal("The struct.\n  indented line", s.Doc);
        Assert.Equal("The field.", Field(s, "a").Doc);
        Assert.Null(Field(s, "b").Doc);
        Assert.Null(Field(s, "c").Doc);
        var e = Enum(file, "E");
        Assert.Equal("One-line enum doc", e.Doc);
        Assert.Equal("first", e.Values[0].Doc);
        Assert.Null(e.Values[1].Doc);
        Assert.Equal("No stars\nat all", Service(file, "Svc").Doc);
        Assert.Equal("Method doc.", Method(file, "Svc", "ping").Doc);
        Assert.Null(Method(file, "Svc", "pong").Doc);
        Assert.Equal("c", Const(file, "C").Doc);
        Assert.Equal("t", Typedef(file, "T").Doc);
        Assert.Null(Struct(file, "NoDoc").Doc);
    }

    [Fact]
    public void DocCommentWithCrLfLineEndings()
    {
        var file = Ok("/**\r\n * Line one\r\n * Line two\r\n */\r\nstruct S {}\r\n");
        Assert.Equal("Line one\nLine two", Struct(file, "S").Doc);
    }

    [Fact]
    public void ImplicitFieldIdsCountDownFromMinusOne()
    {
        var c = Compile("struct S { i32 a, 5: i32 b, i32 c, i32 d }");
        AssertNoErrors(c);
        var s = Struct(c.Model!.Roots[0], "S");
        Assert.Equal(new[] { -1, 5, -2, -3 }, s.Fields.Select(f => f.Id));
        Assert.Equal(new[] { true, false, true, true }, s.Fields.Select(f => f.IsImplicitId));
        Assert.Equal(new[] { "SX2008", "SX2008", "SX2008" }, Ids(c));
        Assert.Equal("field 'c' has no explicit id; it gets the implicit id -2 (declare ids explicitly for compatibility)", c.Diagnostics[1].Message);
    }

    [Fact]
    public void ImplicitArgumentIds()
    {
        var m = Method(Ok("service S { void f(i32 a, i32 b) }"), "S", "f");
        Assert.Equal(new[] { -1, -2 }, m.Arguments.Select(a => a.Id));
    }

    [Fact]
    public void FieldShapes()
    {
        var s = Struct(Ok("struct S { 1: required i32 a = 3, 2: optional S &b, 3: list<S> c }"), "S");
        var a = Field(s, "a");
        Assert.Equal(1, a.Id);
        Assert.Equal(Requiredness.Required, a.Requiredness);
        Assert.Equal(BaseType.I32, Assert.IsType<BaseTypeRef>(a.Type).Type);
        Assert.Equal(new IntConstValue(3), a.Default);
        Assert.False(a.IsReference);
        var b = Field(s, "b");
        Assert.Equal(Requiredness.Optional, b.Requiredness);
        Assert.True(b.IsReference);
        Assert.Same(s, Assert.IsType<NamedTypeRef>(b.Type).Definition);
        Assert.Null(b.Default);
        var c = Field(s, "c");
        Assert.Equal(Requiredness.Default, c.Requiredness);
        Assert.Equal("list<main.S>", c.Type.DisplayName);
    }

    [Fact]
    public void BaseTypeSpellings()
    {
        var s = Struct(Ok("struct S { 1: bool a, 2: byte b, 3: i8 c, 4: i16 d, 5: i32 e, 6: i64 f, 7: double g, 8: string h, 9: binary i, 10: uuid j }"), "S");
        var expected = new[] { BaseType.Bool, BaseType.I8, BaseType.I8, BaseType.I16, BaseType.I32, BaseType.I64, BaseType.Double, BaseType.String, BaseType.Binary, BaseType.Uuid };
        Assert.Equal(expected, s.Fields.Select(f => Assert.IsType<BaseTypeRef>(f.Type).Type));
    }

    [Fact]
    public void SlistAndSenumAreStrings()
    {
        var file = Ok("typedef slist SL\nsenum SE { \"a\" }");
        Assert.Equal(BaseType.String, Assert.IsType<BaseTypeRef>(Typedef(file, "SL").Target).Type);
        Assert.Equal(BaseType.String, Assert.IsType<BaseTypeRef>(Typedef(file, "SE").Target).Type);
    }

    [Fact]
    public void AnnotationsOnEveryTypeForm()
    {
        var file = Ok("""
            struct S {}
            typedef i32 (a = "base") TB
            typedef list<i32 (e = "elem")> (a = "list") TL (t = "typedef")
            typedef S (a = "named") TN
            typedef map<string (k = "key"), S> (a = "map") TM
            """);
        var tb = Assert.IsType<BaseTypeRef>(Typedef(file, "TB").Target);
        Assert.Equal("base", tb.Annotations.Get("a"));

        var tl = Typedef(file, "TL");
        Assert.Equal("typedef", tl.Annotations.Get("t"));
        var list = Assert.IsType<ListTypeRef>(tl.Target);
        Assert.Equal("list", list.Annotations.Get("a"));
        Assert.Equal("elem", Assert.IsType<BaseTypeRef>(list.Element).Annotations.Get("e"));

        var map = Assert.IsType<MapTypeRef>(Typedef(file, "TM").Target);
        Assert.Equal("map", map.Annotations.Get("a"));
        Assert.Equal("key", Assert.IsType<BaseTypeRef>(map.Key).Annotations.Get("k"));

        // Annotations on a named type parse, but NamedTypeRef has nowhere to keep them (they are dropped).
        Assert.Same(Struct(file, "S"), Assert.IsType<NamedTypeRef>(Typedef(file, "TN").Target).Definition);
    }

    [Fact]
    public void ValueLessAnnotations()
    {
        var s = Struct(Ok("struct S { 1: i32 a (flag, k = \"v\") } (marker)"), "S");
        Assert.True(s.Annotations.Contains("marker"));
        Assert.Equal(string.Empty, s.Annotations.Get("marker"));
        Assert.Null(s.Annotations.Items.Single().Value);
        var a = Field(s, "a").Annotations;
        Assert.Equal(new[] { "flag", "k" }, a.Items.Select(i => i.Key));
        Assert.Null(a.Items[0].Value);
        Assert.Equal("v", a.Get("k"));
        Assert.Null(a.Get("missing"));
        Assert.False(a.Contains("missing"));
    }

    [Fact]
    public void DuplicateAnnotationKeepsBothAndLastWins()
    {
        var c = Compile("struct S {} (k = \"1\", k = \"2\")");
        var d = AssertSingleWarning(c, "SX2028", 1, 23);
        Assert.Equal("annotation 'k' is given more than once; the last value is used", d.Message);
        var s = Struct(c.Model!.Roots[0], "S");
        Assert.Equal(2, s.Annotations.Items.Length);
        Assert.Equal("2", s.Annotations.Get("k"));
    }

    [Fact]
    public void Namespaces()
    {
        var file = Ok("""
            namespace * star
            namespace py.twisted tw.pkg
            namespace go "quoted/path" (package.prefix = "github.com/x")
            php_namespace PhpNs
            xsd_namespace "http://x"
            smalltalk.category Thrift-Tests
            smalltalk.prefix Th
            namespace go last
            """);
        Assert.Equal(new[] { "*", "py.twisted", "go", "php", "xsd", "smalltalk.category", "smalltalk.prefix", "go" }, file.Namespaces.Select(n => n.Scope));
        Assert.Equal("star", file.GetNamespace("*"));
        Assert.Equal("tw.pkg", file.GetNamespace("py.twisted"));
        Assert.Equal("quoted/path", file.Namespaces[2].Name);
        Assert.Equal("github.com/x", file.Namespaces[2].Annotations.Get("package.prefix"));
        Assert.Equal("last", file.GetNamespace("go"));
        Assert.Equal("PhpNs", file.GetNamespace("php"));
        Assert.Equal("http://x", file.GetNamespace("xsd"));
        Assert.Equal("Thrift-Tests", file.GetNamespace("smalltalk.category"));
        Assert.Equal("Th", file.GetNamespace("smalltalk.prefix"));
        Assert.Null(file.GetNamespace("java"));
        Assert.Equal((4, 1), (file.Namespaces[3].Span.StartLine, file.Namespaces[3].Span.StartColumn));
    }

    [Theory]
    [InlineData("cpp_namespace", "cpp")]
    [InlineData("php_namespace", "php")]
    [InlineData("py_module", "py")]
    [InlineData("perl_package", "perl")]
    [InlineData("ruby_namespace", "rb")]
    [InlineData("java_package", "java")]
    [InlineData("cocoa_prefix", "cocoa")]
    [InlineData("csharp_namespace", "csharp")]
    [InlineData("delphi_namespace", "delphi")]
    public void LegacyNamespaceStatements(string keyword, string scope)
    {
        var c = Compile($"{keyword} A.B");
        var d = AssertSingleWarning(c, "SX1010", 1, 1);
        Assert.Equal($"'{keyword}' is deprecated; use 'namespace {scope} A.B'", d.Message);
        Assert.Equal("A.B", c.Model!.Roots[0].GetNamespace(scope));
    }

    [Theory]
    [InlineData("namespace * star\nnamespace netcore nc\nnamespace netstd ns\nnamespace csharp cs", "cs")]
    [InlineData("namespace csharp cs\nnamespace netstd ns\nnamespace netcore nc\nnamespace * star", "cs")]
    [InlineData("namespace * star\nnamespace netcore nc\nnamespace netstd ns", "ns")]
    [InlineData("namespace * star\nnamespace netcore nc", "nc")]
    [InlineData("namespace * star\nnamespace java j", "star")]
    [InlineData("namespace java j\nnamespace go g", null)]
    [InlineData("", null)]
    [InlineData("csharp_namespace Legacy.Cs\nnamespace netstd ns", "Legacy.Cs")]
    public void CSharpNamespaceLookupOrder(string text, string? expected)
    {
        Assert.Equal(new[] { "csharp", "netstd", "netcore", "*" }, IdlFile.CSharpNamespaceScopes);
        var c = Compile(text);
        AssertNoErrors(c);
        Assert.Equal(expected, c.Model!.Roots[0].CSharpNamespace);
    }

    [Fact]
    public void KeywordsAsNames()
    {
        var file = Ok("""
            struct using { 1: i8 i8, 2: string namespace, 3: bool required, 4: required i32 optional }
            service service { void oneway(1: i32 throws) }
            enum enum { struct, typedef }
            """);
        var s = Struct(file, "using");
        Assert.Equal(new[] { "i8", "namespace", "required", "optional" }, s.Fields.Select(f => f.Name));
        Assert.Equal(BaseType.I8, Assert.IsType<BaseTypeRef>(Field(s, "i8").Type).Type);
        Assert.Equal(Requiredness.Default, Field(s, "required").Requiredness);
        Assert.Equal(Requiredness.Required, Field(s, "optional").Requiredness);
        Assert.Equal("throws", Method(file, "service", "oneway").Arguments.Single().Name);
        Assert.False(Method(file, "service", "oneway").IsOneway);
        Assert.Equal(new[] { "struct", "typedef" }, Enum(file, "enum").Values.Select(v => v.Name));
    }

    [Fact]
    public void DefinitionsKeepSourceOrderAndKinds()
    {
        var file = Ok("""
            const i32 C = 1
            typedef i32 T
            enum E { A }
            senum SE { "x" }
            struct S {}
            union U {}
            exception X {}
            service Svc {}
            """);
        Assert.Equal(new[] { "C", "T", "E", "SE", "S", "U", "X", "Svc" }, file.Definitions.Select(d => d.Name));
        Assert.Equal(new[] { "const", "typedef", "enum", "typedef", "struct", "union", "exception", "service" }, file.Definitions.Select(d => d.KindName));
        Assert.Equal("main.S", Struct(file, "S").QualifiedName);
        Assert.Equal("main", file.ProgramName);
        Assert.Equal(StructKind.Union, Struct(file, "U").Kind);
        Assert.Equal(StructKind.Exception, Struct(file, "X").Kind);
    }

    [Fact]
    public void DefinitionSpansPointAtTheName()
    {
        var file = Ok("struct   Foo {\n  1: i32 bar\n}\n\tenum E { A = 1 }");
        Assert.Equal((1, 10), (Struct(file, "Foo").Span.StartLine, Struct(file, "Foo").Span.StartColumn));
        var bar = Field(Struct(file, "Foo"), "bar");
        Assert.Equal((2, 10), (bar.Span.StartLine, bar.Span.StartColumn));
        Assert.Equal((2, 13), (bar.Span.EndLine, bar.Span.EndColumn));
        Assert.Equal((4, 7), (Enum(file, "E").Span.StartLine, Enum(file, "E").Span.StartColumn));
        Assert.Equal((4, 11), (Enum(file, "E").Values[0].Span.StartLine, Enum(file, "E").Values[0].Span.StartColumn));
    }

    [Fact]
    public void CrLfLineEndingsCountLinesOnce() =>
        AssertSingleError(Compile("struct S {\r\n  1: i32 a\r\n  2: Missing b\r\n}\r\n"), "SX2004", 3, 6);

    [Fact]
    public void OldMacLineEndingsAreWhitespace() =>
        AssertNoErrors(Compile("struct S {\r  1: i32 a\r}\r"));

    [Fact]
    public void TabsCountAsOneColumn() =>
        AssertSingleError(Compile("\tstruct\tS {\t1:\tMissing m }"), "SX2004", 1, 16);

    [Fact]
    public void ByteOrderMarkDoesNotShiftColumns() =>
        AssertSingleError(Compile("\uFEFFstruct S { 1: Missing m }"), "SX2004", 1, 15);

    [Fact]
    public void ShebangLineIsAComment() =>
        AssertSingleError(Compile("#!/usr/bin/env thrift --gen netstd\nstruct S { 1: Missing m }"), "SX2004", 2, 15);

    [Fact]
    public void ColumnsCountUtf16CodeUnits()
    {
        // "😀" is two UTF-16 code units; SourceSpan documents UTF-16 columns (as editors count them).
        AssertSingleError(Compile("const string s = \"😀\" @"), "SX1002", 1, 23);
        AssertSingleError(Compile("/* 😀 */ struct S { 1: Missing m }"), "SX2004", 1, 24);
    }

    [Fact]
    public void NonBmpCharacterOutsideLiteralsIsOneInvalidCharacter()
    {
        var d = AssertSingleError(Compile("struct S 😀 {}"), "SX1002", 1, 10);
        Assert.Equal("unexpected character U+1F600", d.Message);
    }

    [Fact]
    public void BadEscapeColumnAfterNonBmpCharacter() =>
        AssertSingleError(Compile("const string s = \"😀\\q\""), "SX1005", 1, 21);

    // ------------------------------------------------------------------ inputs that must fail

    [Theory]
    [InlineData("const string s = \"abc", "SX1003", 1, 18)]
    [InlineData("const string s = 'abc", "SX1003", 1, 18)]
    [InlineData("struct S {}\nconst string s = \"abc\\\"", "SX1003", 2, 18)]
    [InlineData("const string s = \"abc\nstruct S {}", "SX1003", 1, 18)]
    [InlineData("struct S {}\n/* abc", "SX1004", 2, 1)]
    [InlineData("struct S {}\n/** doc * / still open", "SX1004", 2, 1)]
    [InlineData("const string s = \"a\\qb\"", "SX1005", 1, 20)]
    [InlineData("const string s = 'a\\0'", "SX1005", 1, 20)]
    [InlineData("const string s = \"\\u0041\"", "SX1005", 1, 19)]
    [InlineData("struct S {} (a = \"\\x\")", "SX1005", 1, 19)]
    [InlineData("struct S @ {}", "SX1002", 1, 10)]
    [InlineData("struct S {\n  1: i32 $a\n}", "SX1002", 2, 10)]
    [InlineData("struct S { 1: i32 a = `1 }", "SX1002", 1, 23)]
    [InlineData("struct S {\n  1: i32 a\n", "SX1001", 3, 1)]
    [InlineData("struct S {\n  1: i32 a", "SX1001", 2, 11)]
    [InlineData("struct S {\n  1: i32 a\n\n\n", "SX1001", 5, 1)]
    [InlineData("struct S {\n  1: i32 a\n/* trailing\ncomment */", "SX1001", 4, 11)]
    [InlineData("const x = 1", "SX1001", 1, 9)]
    [InlineData("struct S { 1: a }", "SX1001", 1, 17)]
    [InlineData("struct S { 1: }", "SX1001", 1, 15)]
    [InlineData("struct { 1: i32 a }", "SX1001", 1, 8)]
    [InlineData("typedef MyInt", "SX1001", 1, 14)]
    [InlineData("service S { void f( }", "SX1001", 1, 21)]
    [InlineData("service S extends { }", "SX1001", 1, 19)]
    [InlineData("enum E { A = B }", "SX1001", 1, 14)]
    [InlineData("enum E { A = 1.5 }", "SX1001", 1, 14)]
    [InlineData("const list<i32> l = [1, 2", "SX1001", 1, 26)]
    [InlineData("const map<i32, i32> m = {1 2}", "SX1001", 1, 28)]
    [InlineData("namespace foo", "SX1001", 1, 14)]
    [InlineData("include inc.thrift", "SX1001", 1, 9)]
    [InlineData("struct S { 1: i32 a } }", "SX1001", 1, 23)]
    [InlineData("const i64 x = 9223372036854775808", "SX1006", 1, 15)]
    [InlineData("const i64 x = -9223372036854775809", "SX1006", 1, 15)]
    [InlineData("const i64 x = 0x10000000000000000", "SX1006", 1, 15)]
    [InlineData("struct S { 99999999999999999999: i32 a }", "SX1006", 1, 12)]
    [InlineData("const double d = 1e999", "SX1007", 1, 18)]
    [InlineData("const double d = -1.5e400", "SX1007", 1, 18)]
    [InlineData("struct S {}\nnamespace * x", "SX1009", 2, 1)]
    [InlineData("const i32 C = 1\ncpp_include \"x.h\"", "SX1009", 2, 1)]
    [InlineData("enum E {}\nphp_namespace X", "SX1009", 2, 1)]
    public void SyntaxErrorAt(string text, string id, int line, int column) =>
        AssertSingleError(Compile(text), id, line, column);

    [Fact]
    public void BlockCommentsDoNotNest()
    {
        // The first */ closes the comment; the stray '*/' is then a '*' token and a bad '/'.
        var c = Compile("/* /* nested */ */");
        AssertHas(c, "SX1002", 1, 18);
        Assert.Null(c.Model);
    }

    [Fact]
    public void IncludeAfterDefinitionIsReportedAndStillResolved()
    {
        var c = Compile((MainPath, "struct S {}\ninclude \"inc.thrift\""), ("inc.thrift", "struct R {}"));
        var d = AssertSingleError(c, "SX1009", 2, 1);
        Assert.Equal("'include' must appear before all definitions", d.Message);
    }

    [Fact]
    public void SyntaxErrorMessages()
    {
        Assert.Equal("unexpected '='; expected a name", AssertSingleError(Compile("const x = 1"), "SX1001").Message);
        Assert.Equal("unexpected '}'; expected a name or '&'", AssertSingleError(Compile("struct S { 1: i32 }"), "SX1001").Message);
        Assert.StartsWith("unexpected end of file; expected ", AssertSingleError(Compile("struct S {"), "SX1001").Message);
        Assert.Equal("unexpected character '@'", AssertSingleError(Compile("@"), "SX1002").Message);
        Assert.Equal("unexpected character U+0007", AssertSingleError(Compile("\a"), "SX1002").Message);
        Assert.Equal("string literal is not terminated before the end of the line", AssertSingleError(Compile("const string s = \"x"), "SX1003").Message);
        Assert.Equal("comment is not terminated (missing */)", AssertSingleError(Compile("/*"), "SX1004").Message);
        Assert.Equal("invalid escape sequence '\\q' in string literal (allowed: \\n \\r \\t \\\" \\' \\\\)", AssertSingleError(Compile("const string s = \"\\q\""), "SX1005").Message);
        Assert.Equal("integer literal 9223372036854775808 does not fit in a 64-bit signed integer", AssertSingleError(Compile("const i64 x = 9223372036854775808"), "SX1006").Message);
        Assert.Equal("invalid double literal 1e999", AssertSingleError(Compile("const double d = 1e999"), "SX1007").Message);
        Assert.Equal("'namespace' must appear before all definitions", AssertSingleError(Compile("struct S {}\nnamespace * x"), "SX1009").Message);
    }

    [Fact]
    public void UnterminatedStringGivesOneErrorAndParsingGoesOn()
    {
        // The literal is closed at the end of its line, so the next line parses normally.
        var c = Compile("const string s = \"abc\nstruct S { 1: i32 a }\nstruct T { 1: i32 $b }");
        Assert.Equal(new[] { "SX1003", "SX1002" }, Ids(c));
        AssertHas(c, "SX1003", 1, 18);
        AssertHas(c, "SX1002", 3, 19);
    }

    [Fact]
    public void SeveralSyntaxErrorsInOneFileAreAllReported()
    {
        var c = Compile("""
            @
            const string s = "abc
            struct A { 1: i32 a
            struct B { 2: }
            $
            struct C { 1: i32 ok }
            """);
        AssertHas(c, "SX1002", 1, 1);
        AssertHas(c, "SX1003", 2, 18);
        AssertHas(c, "SX1001", 4, 10);
        AssertHas(c, "SX1001", 4, 15);
        AssertHas(c, "SX1002", 5, 1);
        Assert.Null(c.Model);
    }

    [Fact]
    public void SyntaxErrorsInSeveralFilesAreAllReported()
    {
        var c = Compile((MainPath, "include \"b.thrift\"\ninclude \"c.thrift\""), ("b.thrift", "struct B @ {}"), ("c.thrift", "struct C { 1: i32 }"));
        Assert.Equal(2, c.Diagnostics.Length);
        AssertHas(c, "SX1002", 1, 10, "b.thrift");
        AssertHas(c, "SX1001", 1, 19, "c.thrift");
    }

    [Fact]
    public void NestingDeeperThanTheLimit()
    {
        var c = Compile(new[] { (MainPath, "const list<list<list<list<i32>>>> x = []") }, r => r with { MaxNestingDepth = 3 });
        var d = AssertSingleError(c, "SX1008", 1, 26);
        Assert.Equal("brackets are nested more than 3 levels deep; the file is not parsed further", d.Message);

        AssertNoErrors(Compile(new[] { (MainPath, "const list<list<list<i32>>> x = []") }, r => r with { MaxNestingDepth = 3 }));
        AssertSingleError(Compile(new[] { (MainPath, "const list<i32> x = [[[[1]]]]") }, r => r with { MaxNestingDepth = 3 }), "SX1008", 1, 24);
        AssertSingleError(Compile(new[] { (MainPath, "struct S {\n 1: i32 a (x = \"y\")\n}") }, r => r with { MaxNestingDepth = 1 }), "SX1008", 2, 11);
    }

    [Fact]
    public void HostileNestingIsStoppedAtTheDefaultLimit()
    {
        const int depth = 100_000;
        var c = Compile("const list<i32> x = " + new string('[', depth) + new string(']', depth));
        var d = AssertSingleError(c, "SX1008", 1, 21 + 200);
        Assert.Contains("200", d.Message, StringComparison.Ordinal);

        // Exactly the limit is fine.
        var ok = "const list<i32> x = [" + new string('[', 199) + new string(']', 199) + "]";
        Assert.DoesNotContain(Compile(ok).Diagnostics, x => x.Id == "SX1008");
    }

    [Theory]
    [InlineData(new byte[] { (byte)'s', 0, (byte)'t' })]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { (byte)'s', (byte)'t', 0xFF, 0xFE })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public void BinaryInputIsRejected(byte[] bytes)
    {
        var c = CompileBytes(bytes);
        var d = AssertSingleError(c, "SX9004", 1, 1);
        Assert.Equal("the file contains NUL bytes or invalid UTF-8; it is not a Thrift IDL text file", d.Message);
    }

    [Fact]
    public void Utf8WithAndWithoutBomIsAccepted()
    {
        AssertNoErrors(CompileBytes(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'s', (byte)'t', (byte)'r', (byte)'u', (byte)'c', (byte)'t', (byte)' ', (byte)'S', (byte)'{', (byte)'}' }));
        AssertNoErrors(CompileBytes(Utf8("const string s = \"日本語\"")));
    }

    [Fact]
    public void FileTooLarge()
    {
        var text = "struct S { 1: i32 a }"; // 21 bytes
        var c = Compile(new[] { (MainPath, text) }, r => r with { MaxFileBytes = 10 });
        var d = AssertSingleError(c, "SX9002", 1, 1);
        Assert.Equal("file is 21 bytes; the limit is 10 bytes", d.Message);

        AssertNoErrors(Compile(new[] { (MainPath, text) }, r => r with { MaxFileBytes = 21 }));
    }

    [Fact]
    public void IncludedFileTooLarge()
    {
        var c = Compile(new[] { (MainPath, "include \"big.thrift\""), ("big.thrift", "struct Big { 1: i32 a, 2: i32 b }") }, r => r with { MaxFileBytes = 25 });
        AssertSingleError(c, "SX9002", 1, 1, "big.thrift");
    }

    [Fact]
    public void TooManyErrorsInOneFile()
    {
        var c = Compile(new[] { (MainPath, "@ @ @ @ @ @ @ @") }, r => r with { MaxErrorsPerFile = 3 });
        Assert.Equal(new[] { "SX1002", "SX1002", "SX1002", "SX9003" }, Ids(c));
        AssertHas(c, "SX9003", 1, 7);
        Assert.Equal("too many errors (3); the rest of this file is not reported", c.Diagnostics[3].Message);
        Assert.Null(c.Model);
    }

    [Fact]
    public void ErrorCapIsPerFile()
    {
        var c = Compile(new[] { (MainPath, "include \"b.thrift\"\ninclude \"c.thrift\""), ("b.thrift", "@ @ @"), ("c.thrift", "$ $ $") }, r => r with { MaxErrorsPerFile = 2 });
        Assert.Equal(3, c.Diagnostics.Count(d => d.Span.Path == "b.thrift"));
        Assert.Equal(3, c.Diagnostics.Count(d => d.Span.Path == "c.thrift"));
        Assert.Equal(2, c.Diagnostics.Count(d => d.Id == "SX9003"));
    }

    [Fact]
    public void TooManySemanticErrors()
    {
        var text = string.Join("\n", Enumerable.Range(0, 10).Select(i => $"struct S{i} {{ 1: Missing m }}"));
        var c = Compile(new[] { (MainPath, text) }, r => r with { MaxErrorsPerFile = 4 });
        Assert.Equal(new[] { "SX2004", "SX2004", "SX2004", "SX2004", "SX9003" }, Ids(c));
        AssertHas(c, "SX9003", 5, 16);
    }

    [Fact]
    public void WarningsDoNotCountTowardsTheErrorCap()
    {
        var text = string.Join("\n", Enumerable.Range(0, 10).Select(i => $"struct S{i} {{ i32 m }}"));
        var c = Compile(new[] { (MainPath, text) }, r => r with { MaxErrorsPerFile = 2 });
        AssertNoErrors(c);
        Assert.Equal(10, c.Diagnostics.Count(d => d.Id == "SX2008"));
    }
}
