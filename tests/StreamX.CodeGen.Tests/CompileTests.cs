using StreamX.CodeGen.Tests.Infrastructure;

namespace StreamX.CodeGen.Tests;

/// <summary>
/// The compile tier: the output for every valid IDL we know (the real-world corpus, our own test
/// data, the examples) compiles against the runtime with nullable on and zero warnings.
/// </summary>
public class CompileTests
{
    public static TheoryData<string> IdlFiles()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { "idl-corpus/valid", "idl-corpus/streaming" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(Repo.Shared, dir), "*.thrift", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add("shared:" + Path.GetRelativePath(Repo.Shared, file).Replace('\\', '/'));
            }
        }

        foreach (var dir in new[] { "idl/testdata/valid", "idl/examples" })
        {
            var full = Path.Combine(Repo.Root, dir);
            if (!Directory.Exists(full))
            {
                continue;
            }

            foreach (var file in Directory.GetFiles(full, "*.thrift", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add("repo:" + Path.GetRelativePath(Repo.Root, file).Replace('\\', '/'));
            }
        }

        return data;
    }

    internal static string Resolve(string id) => id.StartsWith("shared:", StringComparison.Ordinal)
        ? Path.Combine(Repo.Shared, id["shared:".Length..])
        : Path.Combine(Repo.Root, id["repo:".Length..]);

    [Theory]
    [MemberData(nameof(IdlFiles))]
    public void GeneratedCodeCompilesWithoutWarnings(string id)
    {
        var files = Generation.Generate(Resolve(id));
        var compilation = RoslynCompiler.Create(files.Select(f => (f.FileName, f.Content)));
        var problems = RoslynCompiler.Problems(compilation);
        Assert.True(problems.Count == 0, $"{id}: {problems.Count} problems:\n{string.Join("\n", problems.Take(30))}");
    }

    [Fact]
    public void CorpusIsPresentAndComplete()
    {
        // A missing corpus must not make the theory above pass vacuously.
        var count = IdlFiles().Count;
        Assert.True(count >= 101, $"expected at least 101 IDL files (92 valid + 8 streaming + echo), found {count}");
    }
}
