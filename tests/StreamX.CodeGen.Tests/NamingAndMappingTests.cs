using StreamX.CodeGen.Naming;
using StreamX.CodeGen.TypeMapping;
using StreamX.Idl;
using StreamX.Idl.Model;
using StreamX.Idl.Semantics;

namespace StreamX.CodeGen.Tests;

/// <summary>Unit tests of the C# the templates print: names, escaping, type strings, literals, file names.</summary>
public class NamingAndMappingTests
{
    [Theory]
    [InlineData("message", "Message")]
    [InlineData("user_id", "UserId")]
    [InlineData("SECOND_CHANCE", "SecondChance")]
    [InlineData("ClassAndProp", "ClassAndProp")]
    [InlineData("ClassAndProp_", "ClassAndProp_")]
    [InlineData("ClassAndProp__", "ClassAndProp__")]
    [InlineData("_private", "_Private")]
    [InlineData("__", "___")]
    [InlineData("1st", "_1st")]
    [InlineData("x", "X")]
    [InlineData("HTTPStatus", "HTTPStatus")]
    public void ToPascal(string idl, string expected) => Assert.Equal(expected, CSharpNames.ToPascal(idl));

    [Theory]
    [InlineData("class", "@class")]
    [InlineData("string", "@string")]
    [InlineData("Message", "Message")]
    [InlineData("var", "var")]
    public void Escape_OnlyReservedKeywords(string name, string expected) => Assert.Equal(expected, CSharpNames.Escape(name));

    [Theory]
    [InlineData("class", "@class")]
    [InlineData("var", "var_")]
    [InlineData("record", "record_")]
    [InlineData("foo", "@foo")] // CS8981: all-lowercase type names get the verbatim form
    [InlineData("foo_bar2", "@foo_bar2")]
    [InlineData("Foo", "Foo")]
    public void TypeName(string name, string expected) => Assert.Equal(expected, CSharpNames.TypeName(name));

    [Theory]
    [InlineData("await", "@await")]
    [InlineData("async", "@async")]
    [InlineData("int", "@int")]
    [InlineData("request", "request")]
    public void EscapeLocal(string name, string expected) => Assert.Equal(expected, CSharpNames.EscapeLocal(name));

    [Theory]
    [InlineData("Thrift5795.default", "Thrift5795.@default")]
    [InlineData("org.apache.thrift", "org.apache.thrift")]
    [InlineData("a..b", "a.b")]
    public void Namespace(string ns, string expected) => Assert.Equal(expected, CSharpNames.Namespace(ns));

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("q\"b\\", "\"q\\\"b\\\\\"")]
    [InlineData("l1\nl2\r\t", "\"l1\\nl2\\r\\t\"")]
    [InlineData("nul\0", "\"nul\\0\"")]
    [InlineData("bell\a", "\"bell\\u0007\"")]
    [InlineData("é€中", "\"é€中\"")]
    [InlineData("ls\u2028", "\"ls\\u2028\"")]
    public void StringLiteral(string value, string expected) => Assert.Equal(expected, CSharpNames.StringLiteral(value));

    [Fact]
    public void NameAllocator_AppendsUnderscores_ForTakenAndReservedNames()
    {
        var allocator = new NameAllocator(new[] { "Write", "Holder" });
        Assert.Equal("Write_", allocator.Allocate("Write"));
        Assert.Equal("Holder_", allocator.Allocate("Holder"));
        Assert.Equal("Value", allocator.Allocate("Value"));
        Assert.Equal("Value_", allocator.Allocate("Value"));
        Assert.Equal("Value__", allocator.Allocate("Value"));
        Assert.Equal("@class", allocator.Allocate("@class"));
        Assert.Equal("@class_", allocator.Allocate("@class"));
    }

    [Theory]
    [InlineData("echo.thrift", "Echo.Types.g.cs", "Echo.Service.g.cs")]
    [InlineData("dir/a.b.c.thrift", "A.B.C.Types.g.cs", "A.B.C.Service.g.cs")]
    [InlineData("name_conflicts.enum.thrift", "NameConflicts.Enum.Types.g.cs", "NameConflicts.Enum.Service.g.cs")]
    [InlineData(@"C:\idl\hive_metastore.thrift", "HiveMetastore.Types.g.cs", "HiveMetastore.Service.g.cs")]
    public void OutputNames_ArePredictableFromThePath(string path, string types, string service)
    {
        Assert.Equal(types, OutputLayout.TypesFileName(path));
        Assert.Equal(service, OutputLayout.ServiceFileName(path));
    }

    [Fact]
    public void DocComment_EscapesXml_AndSplitsLines()
    {
        var doc = CSharpGenerator.DocComment("a < b & c\n\nsecond", "    ");
        Assert.Equal("    /// <summary>\n    /// a &lt; b &amp; c\n    ///\n    /// second\n    /// </summary>\n", doc);
        Assert.Equal(string.Empty, CSharpGenerator.DocComment(null, "    "));
    }

    private static (IdlModel Model, CSharpTypeMapper Mapper, CSharpGenerator Generator) Bind(string idl)
    {
        var sources = new InMemorySourceProvider().Add("t.thrift", "namespace csharp N\n" + idl);
        var compilation = IdlCompiler.Compile(new IdlCompileRequest(new[] { "t.thrift" }, null, sources));
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Diagnostics));
        var generator = new CSharpGenerator(new CodeGenOptions());
        return (compilation.Model!, new CSharpTypeMapper(generator.FullName), generator);
    }

    private static ConstModel Const(IdlModel model, string name) => model.Roots[0].Consts.Single(c => c.Name == name);

    [Theory]
    [InlineData("bool", "bool")]
    [InlineData("byte", "sbyte")]
    [InlineData("i8", "sbyte")]
    [InlineData("i16", "short")]
    [InlineData("i32", "int")]
    [InlineData("i64", "long")]
    [InlineData("double", "double")]
    [InlineData("string", "string")]
    [InlineData("binary", "byte[]")]
    [InlineData("uuid", "global::System.Guid")]
    [InlineData("list<i32>", "global::System.Collections.Generic.List<int>")]
    [InlineData("set<string>", "global::System.Collections.Generic.HashSet<string>")]
    [InlineData("map<string, list<E>>", "global::System.Collections.Generic.Dictionary<string, global::System.Collections.Generic.List<global::N.E>>")]
    [InlineData("Alias", "global::System.Collections.Generic.List<global::N.S>")]
    [InlineData("S", "global::N.S")]
    public void CsType_IsGlobalQualified_AndTypedefsResolve(string idlType, string expected)
    {
        var (model, mapper, _) = Bind($"enum E {{ A }}\nstruct S {{ 1: i32 x }}\ntypedef list<S> Alias\nstruct T {{ 1: {idlType} f }}");
        var field = model.Roots[0].Structs.Single(s => s.Name == "T").Fields[0];
        Assert.Equal(expected, mapper.CsType(field.Type));
    }

    [Theory]
    [InlineData("const i64 X = 9223372036854775807", "9223372036854775807L")]
    [InlineData("const i64 X = -9223372036854775808", "long.MinValue")]
    [InlineData("const i32 X = -5", "-5")]
    [InlineData("const double X = 1", "1d")]
    [InlineData("const double X = 1.5e300", "1.5E+300d")]
    [InlineData("const bool X = 1", "true")]
    [InlineData("const string X = \"a\\\"b\"", "\"a\\\"b\"")]
    [InlineData("const binary X = \"hi\"", "new byte[] { 0x68, 0x69 }")]
    [InlineData("const binary X = \"\"", "global::System.Array.Empty<byte>()")]
    [InlineData("const uuid X = \"00000000-0000-0000-0000-0000000000ff\"", "new global::System.Guid(\"00000000-0000-0000-0000-0000000000ff\")")]
    [InlineData("const E X = E.B", "global::N.E.B")]
    [InlineData("const E X = 7", "(global::N.E)7")]
    [InlineData("const E X = -7", "(global::N.E)(-7)")]
    [InlineData("const list<i32> X = []", "new global::System.Collections.Generic.List<int>()")]
    [InlineData("const set<string> X = [\"a\"]", "new global::System.Collections.Generic.HashSet<string> { \"a\" }")]
    [InlineData("const map<string, i64> X = {\"k\": 1}", "new global::System.Collections.Generic.Dictionary<string, long> { [\"k\"] = 1L }")]
    [InlineData("const S X = {\"x\": 3}", "new global::N.S { X = 3 }")]
    public void ConstantExpressions(string idl, string expected)
    {
        var (model, mapper, _) = Bind($"enum E {{ A = 0, B = 1 }}\nstruct S {{ 1: i32 x }}\n{idl}");
        var constant = Const(model, "X");
        Assert.Equal(expected, mapper.Expression(constant.Value, constant.Type));
    }

    [Fact]
    public void MemberNames_AvoidTheTypeName_GeneratedMembers_AndExceptionMembers()
    {
        var (model, _, _) = Bind("exception Boom { 1: string message, 2: string Boom, 3: i32 write, 4: i32 data }");
        var names = MemberNames.ForStruct(model.Roots[0].Structs.Single());
        Assert.Equal(new[] { "Message_", "Boom_", "Write_", "Data_" }, names.Values.ToArray());
    }
}
