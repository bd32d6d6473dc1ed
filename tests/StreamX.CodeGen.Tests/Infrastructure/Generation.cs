using StreamX.Idl;

namespace StreamX.CodeGen.Tests.Infrastructure;

/// <summary>IDL file → generated C# files, failing the test on any front-end or generator error.</summary>
internal static class Generation
{
    public static IReadOnlyList<GeneratedFile> Generate(string idlPath, CodeGenOptions? options = null, IEnumerable<string>? includePaths = null)
    {
        var compilation = IdlCompiler.Compile(new IdlCompileRequest(new[] { idlPath }, includePaths));
        var errors = compilation.Diagnostics.Where(d => d.IsError).ToList();
        Assert.True(errors.Count == 0, $"front end errors for {idlPath}:\n{string.Join("\n", errors)}");
        var result = new CSharpGenerator(options ?? new CodeGenOptions()).Generate(compilation.Model!);
        Assert.True(!result.HasErrors, $"generator errors for {idlPath}:\n{string.Join("\n", result.Diagnostics)}");
        return result.Files;
    }
}
