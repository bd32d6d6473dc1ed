using System.Text;
using StreamX.Idl.Diagnostics;
using StreamX.Idl.Model;
using StreamX.Idl.Semantics;

namespace StreamX.Idl.Tests.Unit;

/// <summary>Pure in-memory compilation and diagnostic assertions for the unit tests.</summary>
internal static class IdlTestHelper
{
    /// <summary>The path <see cref="Compile(string)"/> gives its single file.</summary>
    public const string MainPath = "main.thrift";

    /// <summary>Compiles one file named <c>main.thrift</c>.</summary>
    public static IdlCompilation Compile(string text) => Compile((MainPath, text));

    /// <summary>Compiles in-memory files; the first one is the root.</summary>
    public static IdlCompilation Compile(params (string Path, string Text)[] files) =>
        Compile(files, request => request);

    /// <summary>Compiles in-memory files (the first is the root) with a customised request.</summary>
    public static IdlCompilation Compile((string Path, string Text)[] files, Func<IdlCompileRequest, IdlCompileRequest> configure, params string[] includePaths)
    {
        var sources = new InMemorySourceProvider();
        foreach (var (path, text) in files)
        {
            sources.Add(path, text);
        }

        return IdlCompiler.Compile(configure(new IdlCompileRequest(new[] { files[0].Path }, includePaths, sources)));
    }

    /// <summary>Compiles raw bytes as <c>main.thrift</c>.</summary>
    public static IdlCompilation CompileBytes(byte[] bytes, Func<IdlCompileRequest, IdlCompileRequest>? configure = null)
    {
        var sources = new InMemorySourceProvider().Add(MainPath, bytes);
        var request = new IdlCompileRequest(new[] { MainPath }, null, sources);
        return IdlCompiler.Compile(configure is null ? request : configure(request));
    }

    /// <summary>Compiles one file that must have no errors (warnings allowed) and returns it.</summary>
    public static IdlFile Ok(string text) => Ok((MainPath, text));

    /// <summary>Compiles files that must have no errors and returns the root.</summary>
    public static IdlFile Ok(params (string Path, string Text)[] files)
    {
        var c = Compile(files);
        AssertNoErrors(c);
        return c.Model!.Roots[0];
    }

    /// <summary>Compiles one file that must have no diagnostics at all and returns it.</summary>
    public static IdlFile Clean(string text)
    {
        var c = Compile(text);
        AssertNoDiagnostics(c);
        return c.Model!.Roots[0];
    }

    public static void AssertNoErrors(IdlCompilation c)
    {
        Assert.True(!c.HasErrors, "expected no errors, got:\n" + Format(c));
        Assert.NotNull(c.Model);
    }

    public static void AssertNoDiagnostics(IdlCompilation c)
    {
        Assert.True(c.Diagnostics.IsEmpty, "expected no diagnostics, got:\n" + Format(c));
        Assert.NotNull(c.Model);
    }

    /// <summary>Exactly one error (any number of warnings), with this id at this position.</summary>
    public static Diagnostic AssertSingleError(IdlCompilation c, string id, int line, int column, string path = MainPath)
    {
        var errors = c.Diagnostics.Where(d => d.IsError).ToList();
        Assert.True(errors.Count == 1, $"expected exactly one error {id} at ({line},{column}), got:\n" + Format(c));
        AssertAt(errors[0], id, line, column, path, c);
        Assert.Equal(DiagnosticSeverity.Error, errors[0].Severity);
        Assert.Null(c.Model);
        return errors[0];
    }

    /// <summary>Exactly one error with this id (position not checked).</summary>
    public static Diagnostic AssertSingleError(IdlCompilation c, string id)
    {
        var errors = c.Diagnostics.Where(d => d.IsError).ToList();
        Assert.True(errors.Count == 1 && errors[0].Id == id, $"expected exactly one error {id}, got:\n" + Format(c));
        Assert.Null(c.Model);
        return errors[0];
    }

    /// <summary>No errors and exactly one warning, with this id at this position.</summary>
    public static Diagnostic AssertSingleWarning(IdlCompilation c, string id, int line, int column, string path = MainPath)
    {
        Assert.True(c.Diagnostics.Length == 1, $"expected exactly one warning {id} at ({line},{column}), got:\n" + Format(c));
        var d = c.Diagnostics[0];
        AssertAt(d, id, line, column, path, c);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.NotNull(c.Model);
        return d;
    }

    /// <summary>At least one diagnostic with this id at this position; returns it.</summary>
    public static Diagnostic AssertHas(IdlCompilation c, string id, int line, int column, string path = MainPath)
    {
        var d = c.Diagnostics.FirstOrDefault(x => x.Id == id && x.Span.StartLine == line && x.Span.StartColumn == column && x.Span.Path == path);
        Assert.True(d is not null, $"expected {id} at {path}({line},{column}), got:\n" + Format(c));
        return d!;
    }

    /// <summary>At least one diagnostic with this id; returns the first.</summary>
    public static Diagnostic AssertHas(IdlCompilation c, string id)
    {
        var d = c.Diagnostics.FirstOrDefault(x => x.Id == id);
        Assert.True(d is not null, $"expected {id}, got:\n" + Format(c));
        return d!;
    }

    public static void AssertLacks(IdlCompilation c, string id) =>
        Assert.True(c.Diagnostics.All(d => d.Id != id), $"did not expect {id}, got:\n" + Format(c));

    /// <summary>The ids of all diagnostics, in reported (sorted) order.</summary>
    public static string[] Ids(IdlCompilation c) => c.Diagnostics.Select(d => d.Id).ToArray();

    public static string Format(IdlCompilation c) =>
        c.Diagnostics.IsEmpty ? "  (none)" : string.Join("\n", c.Diagnostics.Select(d => "  " + d));

    public static T Def<T>(IdlFile file, string name)
        where T : NamedDefinition =>
        Assert.IsType<T>(file.Definitions.Single(d => d.Name == name));

    public static StructModel Struct(IdlFile file, string name) => Def<StructModel>(file, name);

    public static EnumModel Enum(IdlFile file, string name) => Def<EnumModel>(file, name);

    public static ConstModel Const(IdlFile file, string name) => Def<ConstModel>(file, name);

    public static ServiceModel Service(IdlFile file, string name) => Def<ServiceModel>(file, name);

    public static TypedefModel Typedef(IdlFile file, string name) => Def<TypedefModel>(file, name);

    public static MethodModel Method(IdlFile file, string service, string method) =>
        Service(file, service).Methods.Single(m => m.Name == method);

    public static FieldModel Field(StructModel s, string name) => s.Fields.Single(f => f.Name == name);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static void AssertAt(Diagnostic d, string id, int line, int column, string path, IdlCompilation c)
    {
        var ok = d.Id == id && d.Span.StartLine == line && d.Span.StartColumn == column && d.Span.Path == path;
        Assert.True(ok, $"expected {id} at {path}({line},{column}), got:\n" + Format(c));
    }
}
