using Microsoft.CodeAnalysis;
using StreamX.CodeGen.Tests.Infrastructure;
using StreamX.Idl;

namespace StreamX.CodeGen.Tests;

/// <summary>
/// <see cref="CodeGenOptions.GenerateClient"/> / <see cref="CodeGenOptions.GenerateServer"/> (the CLI's
/// <c>--no-client</c> / <c>--no-server</c>, MSBuild's <c>GenerateClient</c> / <c>GenerateServer</c>):
/// one side alone compiles without warnings for every IDL with services we know, the other side is
/// absent, types are the same whatever the selection, and neither side means no service file.
/// </summary>
public class ClientServerSelectionTests
{
    /// <summary>
    /// The IDL of <see cref="CompileTests.IdlFiles"/> that declares a service (in itself or an include),
    /// client-only and server-only: the repository's IDL and the Kitex streaming corpus (the rest of the
    /// corpus is unary services only, covered by the default compile tier; one side is a subset of it).
    /// </summary>
    public static TheoryData<string, bool> IdlFilesWithServices()
    {
        var data = new TheoryData<string, bool>();
        foreach (var id in ((IEnumerable<object[]>)CompileTests.IdlFiles()).Select(row => (string)row[0]))
        {
            if (id.StartsWith("shared:idl-corpus/valid/", StringComparison.Ordinal))
            {
                continue;
            }

            var model = IdlCompiler.Compile(new IdlCompileRequest(new[] { CompileTests.Resolve(id) })).Model;
            if (model is not null && model.Files.Any(f => f.Services.Any()))
            {
                data.Add(id, true);
                data.Add(id, false);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IdlFilesWithServices))]
    public void OneSideOnly_CompilesWithoutWarnings_AndTheOtherSideIsAbsent(string id, bool clientOnly)
    {
        var path = CompileTests.Resolve(id);
        var model = IdlCompiler.Compile(new IdlCompileRequest(new[] { path })).Model!;
        var services = model.Files.Sum(f => f.Services.Count());
        var files = Generation.Generate(path, new CodeGenOptions { GenerateClient = clientOnly, GenerateServer = !clientOnly });

        var compilation = RoslynCompiler.Create(files.Select(f => (f.FileName, f.Content)));
        var problems = RoslynCompiler.Problems(compilation);
        Assert.True(problems.Count == 0, $"{id}: {problems.Count} problems:\n{string.Join("\n", problems.Take(30))}");

        var (clients, bases) = ServiceClasses(compilation);
        Assert.Equal(clientOnly ? services : 0, clients.Count);
        Assert.Equal(clientOnly ? 0 : services, bases.Count);
    }

    [Fact]
    public void CorpusHasServices()
    {
        // The theory above must not pass vacuously: the echo example, services.thrift and the Kitex streaming corpus.
        Assert.True(IdlFilesWithServices().Count >= 2 * 10, $"expected at least 10 IDL files with services, found {IdlFilesWithServices().Count / 2}");
    }

    [Fact]
    public void Echo_ClientOnly_HasTheClientAndWireStructs_NoBase()
    {
        var service = EchoServiceFile(new CodeGenOptions { GenerateServer = false });

        Assert.Contains("public const string ServiceName = \"TestService\";", service, StringComparison.Ordinal);
        Assert.Contains("public sealed partial class TestServiceClient : global::StreamX.StreamXClientBase", service, StringComparison.Ordinal);
        Assert.Contains("public sealed partial class PingPongArgs", service, StringComparison.Ordinal);
        Assert.DoesNotContain("TestServiceBase", service, StringComparison.Ordinal);
        Assert.DoesNotContain("BindService", service, StringComparison.Ordinal);
    }

    [Fact]
    public void Echo_ServerOnly_HasTheBaseAndWireStructs_NoClient()
    {
        var service = EchoServiceFile(new CodeGenOptions { GenerateClient = false });

        Assert.Contains("public const string ServiceName = \"TestService\";", service, StringComparison.Ordinal);
        Assert.Contains("public abstract partial class TestServiceBase", service, StringComparison.Ordinal);
        Assert.Contains("public static global::StreamX.ServiceDefinition BindService(TestServiceBase implementation)", service, StringComparison.Ordinal);
        Assert.Contains("public sealed partial class PingPongResult", service, StringComparison.Ordinal);
        Assert.DoesNotContain("TestServiceClient", service, StringComparison.Ordinal);
        Assert.DoesNotContain("StreamXClientBase", service, StringComparison.Ordinal);
    }

    [Fact]
    public void OneSide_IsTheDefaultOutputMinusTheOtherSide()
    {
        // Names do not depend on the selection: switching a side off removes lines, it never renames or rewrites.
        var full = EchoServiceFile(new CodeGenOptions()).Split('\n');
        foreach (var options in new[] { new CodeGenOptions { GenerateClient = false }, new CodeGenOptions { GenerateServer = false } })
        {
            var partial = EchoServiceFile(options).Split('\n');
            var next = 0;
            foreach (var line in partial)
            {
                while (next < full.Length && full[next] != line)
                {
                    next++;
                }

                Assert.True(next < full.Length, $"line not in the default output, in order: {line}");
                next++;
            }
        }
    }

    [Theory]
    [InlineData("idl/examples/echo.thrift")]
    [InlineData("idl/testdata/valid/services.thrift")]
    public void NeitherSide_WritesNoServiceFile_AndTypesAreUnchanged(string relative)
    {
        var path = Path.Combine(Repo.Root, relative);
        var all = Generation.Generate(path);
        var none = Generation.Generate(path, new CodeGenOptions { GenerateClient = false, GenerateServer = false });

        Assert.Contains(all, f => f.FileName.EndsWith(".Service.g.cs", StringComparison.Ordinal));
        Assert.Equal(
            all.Where(f => f.FileName.EndsWith(".Types.g.cs", StringComparison.Ordinal)).Select(f => (f.FileName, f.Content)),
            none.Select(f => (f.FileName, f.Content)));
        Assert.Empty(RoslynCompiler.Problems(RoslynCompiler.Create(none.Select(f => (f.FileName, f.Content)))));
    }

    [Fact]
    public void TypesFiles_DoNotDependOnTheSelection()
    {
        var path = Path.Combine(Repo.Root, "idl", "testdata", "valid", "services.thrift");
        string[] Types(CodeGenOptions options) => Generation.Generate(path, options)
            .Where(f => f.FileName.EndsWith(".Types.g.cs", StringComparison.Ordinal))
            .Select(f => f.Content)
            .ToArray();

        var expected = Types(new CodeGenOptions());
        Assert.Equal(expected, Types(new CodeGenOptions { GenerateClient = false }));
        Assert.Equal(expected, Types(new CodeGenOptions { GenerateServer = false }));
    }

    private static string EchoServiceFile(CodeGenOptions options) =>
        Generation.Generate(Path.Combine(Repo.Root, "idl", "examples", "echo.thrift"), options)
            .Single(f => f.FileName == "Echo.Service.g.cs").Content;

    /// <summary>Client classes (deriving from StreamXClientBase) and server bases (declaring a static BindService) in a compilation's own types.</summary>
    private static (List<INamedTypeSymbol> Clients, List<INamedTypeSymbol> Bases) ServiceClasses(Compilation compilation)
    {
        var clientBase = compilation.GetTypeByMetadataName("StreamX.StreamXClientBase");
        Assert.NotNull(clientBase);
        var clients = new List<INamedTypeSymbol>();
        var bases = new List<INamedTypeSymbol>();
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.TryPop(out var container))
        {
            foreach (var member in container.GetMembers().OfType<INamespaceOrTypeSymbol>())
            {
                pending.Push(member);
                if (member is not INamedTypeSymbol type)
                {
                    continue;
                }

                if (SymbolEqualityComparer.Default.Equals(type.BaseType, clientBase))
                {
                    clients.Add(type);
                }

                if (type.GetMembers("BindService").Any(m => m.IsStatic))
                {
                    bases.Add(type);
                }
            }
        }

        return (clients, bases);
    }
}
