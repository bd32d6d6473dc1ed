using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace StreamX.CodeGen.Tests.Infrastructure;

/// <summary>
/// Compiles generated code in memory against the StreamX runtime with the settings a demanding
/// user has: nullable enabled, warning level 9999, every warning reported.
/// </summary>
internal static class RoslynCompiler
{
    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(() =>
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var refs = tpa.Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        refs.Add(MetadataReference.CreateFromFile(typeof(StreamX.Thrift.IThriftStruct<>).Assembly.Location));
        return refs;
    });

    public static CSharpCompilation Create(IEnumerable<(string Name, string Code)> sources, string assemblyName = "Generated")
    {
        // Documentation mode on, as in projects with GenerateDocumentationFile: XML doc mistakes are warnings too.
        var parse = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Code, parse, s.Name)).ToList();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithWarningLevel(9999)
            .WithGeneralDiagnosticOption(ReportDiagnostic.Default)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
            {
                ["CS1701"] = ReportDiagnostic.Suppress, // assembly unification noise from TPA references
                ["CS1702"] = ReportDiagnostic.Suppress,
            });
        return CSharpCompilation.Create(assemblyName, trees, References.Value, options);
    }

    /// <summary>Every warning and error, formatted with file and line.</summary>
    public static IReadOnlyList<string> Problems(CSharpCompilation compilation) => compilation.GetDiagnostics()
        .Where(d => d.Severity >= DiagnosticSeverity.Warning)
        .Select(d => d.ToString())
        .ToList();

    /// <summary>Compiles and loads into a collectible context.</summary>
    public static Assembly Load(CSharpCompilation compilation)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        stream.Position = 0;
        var context = new AssemblyLoadContext("generated-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return context.LoadFromStream(stream);
    }
}
