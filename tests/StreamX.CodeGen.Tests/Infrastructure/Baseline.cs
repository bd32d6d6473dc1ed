namespace StreamX.CodeGen.Tests.Infrastructure;

/// <summary>
/// Golden files without a snapshot library: compare text with a stored <c>*.g.cs.txt</c> baseline;
/// <c>STREAMX_UPDATE_BASELINES=1</c> rewrites baselines (and <see cref="DeleteStale"/> removes ones
/// no case produces any more).
/// </summary>
internal static class Baseline
{
    public static bool Updating => Environment.GetEnvironmentVariable("STREAMX_UPDATE_BASELINES") == "1";

    public static string Directory => Path.Combine(Repo.Root, "tests", "StreamX.CodeGen.Tests", "Baselines");

    public static void Verify(string name, string actual)
    {
        var path = Path.Combine(Directory, name + ".txt");
        if (Updating)
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path) || File.ReadAllText(path) != actual)
            {
                File.WriteAllText(path, actual);
            }

            return;
        }

        Assert.True(File.Exists(path), $"No baseline {path}. Run with STREAMX_UPDATE_BASELINES=1 (build/update-baselines.sh) and review the new file.");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n");
        if (expected != actual)
        {
            Assert.Fail(FirstDifference(path, expected, actual));
        }
    }

    /// <summary>Deletes baselines that are not in <paramref name="expectedNames"/> (only when updating).</summary>
    public static IReadOnlyList<string> DeleteStale(IEnumerable<string> expectedNames)
    {
        var keep = new HashSet<string>(expectedNames.Select(n => n + ".txt"), StringComparer.Ordinal);
        var stale = System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, "*.txt", SearchOption.AllDirectories)
                .Where(f => !keep.Contains(Path.GetRelativePath(Directory, f).Replace('\\', '/')))
                .ToList()
            : new List<string>();
        if (Updating)
        {
            stale.ForEach(File.Delete);
        }

        return stale;
    }

    internal static string FirstDifference(string path, string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var el = i < e.Length ? e[i] : "<end of file>";
            var al = i < a.Length ? a[i] : "<end of file>";
            if (el != al)
            {
                return $"Generated code differs from {path} at line {i + 1}:\n  expected: {el}\n  actual:   {al}\n" +
                       "If the change is intended, run build/update-baselines.sh (STREAMX_UPDATE_BASELINES=1) and review the diff.";
            }
        }

        return "texts differ only in line endings";
    }
}
