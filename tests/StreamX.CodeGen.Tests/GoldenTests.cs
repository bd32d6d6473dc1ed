using StreamX.CodeGen.Tests.Infrastructure;

namespace StreamX.CodeGen.Tests;

/// <summary>
/// The golden tier: the exact text generated for our own test IDL (all types, defaults, unions,
/// exceptions, consts, includes, name conflicts, keywords, docs, deprecated) and the echo example,
/// stored as <c>Baselines/&lt;idl path&gt;/&lt;output&gt;.txt</c>. Update with build/update-baselines.sh.
/// </summary>
public class GoldenTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var id in CaseIds())
        {
            data.Add(id);
        }

        return data;
    }

    private static IEnumerable<string> CaseIds()
    {
        var valid = Path.Combine(Repo.Root, "idl", "testdata", "valid");
        var files = Directory.GetFiles(valid, "*.thrift", SearchOption.AllDirectories)
            .Append(Path.Combine(Repo.Root, "idl", "examples", "echo.thrift"));
        return files.Select(f => Path.GetRelativePath(Repo.Root, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
    }

    private static IEnumerable<(string Baseline, GeneratedFile File)> Outputs(string id)
    {
        var files = Generation.Generate(Path.Combine(Repo.Root, id));
        var prefix = id[..^".thrift".Length];

        // Only the file's own output: included files have their own case.
        var own = files.Where(f => Path.GetFullPath(f.SourcePath) == Path.GetFullPath(Path.Combine(Repo.Root, id)));
        return own.Select(f => ($"{prefix}/{f.FileName}", f));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GeneratedCodeMatchesBaseline(string id)
    {
        var outputs = Outputs(id).ToList();
        Assert.NotEmpty(outputs);
        foreach (var (baseline, file) in outputs)
        {
            Baseline.Verify(baseline, file.Content);
        }
    }

    [Fact]
    public void NoStaleBaselines()
    {
        var expected = CaseIds().SelectMany(Outputs).Select(o => o.Baseline).ToList();
        var stale = Baseline.DeleteStale(expected);
        Assert.True(Baseline.Updating || stale.Count == 0, "Stale baselines (no case produces them; run build/update-baselines.sh):\n" + string.Join("\n", stale));
    }

    [Fact]
    public void GenerationIsDeterministic()
    {
        foreach (var id in CaseIds())
        {
            var first = Generation.Generate(Path.Combine(Repo.Root, id)).Select(f => f.Content).ToList();
            var second = Generation.Generate(Path.Combine(Repo.Root, id)).Select(f => f.Content).ToList();
            Assert.Equal(first, second);
            Assert.All(first, c =>
            {
                Assert.DoesNotContain("\r", c, StringComparison.Ordinal);
                Assert.EndsWith("\n", c, StringComparison.Ordinal);
                Assert.DoesNotContain(Repo.Root, c, StringComparison.Ordinal);
            });
        }
    }
}
