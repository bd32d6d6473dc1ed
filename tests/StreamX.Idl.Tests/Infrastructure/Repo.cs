namespace StreamX.Idl.Tests.Infrastructure;

/// <summary>
/// Locates the repository and the shared inputs. The repository root is the nearest folder above
/// the test binaries that holds <c>StreamX.sln</c>; the shared folder is <c>&lt;repo&gt;/../shared</c>
/// (CI runs a fresh clone of main with <c>shared/</c> beside it). <c>STREAMX_SHARED</c> overrides it.
/// </summary>
public static class Repo
{
    private static readonly Lazy<string> RootPath = new(FindRoot);
    private static readonly Lazy<string> SharedPath = new(FindShared);

    /// <summary>The repository root (the folder with StreamX.sln).</summary>
    public static string Root => RootPath.Value;

    /// <summary>The shared inputs folder (design docs, IDL corpus, interop captures).</summary>
    public static string Shared => SharedPath.Value;

    /// <summary><c>shared/idl-corpus</c>.</summary>
    public static string Corpus => Path.Combine(Shared, "idl-corpus");

    /// <summary><c>idl/testdata</c> in the repository.</summary>
    public static string TestData => Path.Combine(Root, "idl", "testdata");

    /// <summary><c>idl/examples</c> in the repository.</summary>
    public static string Examples => Path.Combine(Root, "idl", "examples");

    /// <summary>
    /// Turns a case id into an absolute path: ids starting with <c>idl-corpus/</c> are relative to
    /// the shared folder, every other id is relative to the repository root.
    /// </summary>
    public static string Resolve(string id) =>
        id.StartsWith("idl-corpus/", StringComparison.Ordinal)
            ? Path.GetFullPath(Path.Combine(Shared, id))
            : Path.GetFullPath(Path.Combine(Root, id));

    /// <summary>Files under <paramref name="folder"/> with the given extension, as '/'-separated paths relative to <paramref name="relativeTo"/>, sorted ordinally.</summary>
    public static IReadOnlyList<string> Files(string folder, string relativeTo, string extension = ".thrift")
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"test input folder '{folder}' does not exist");
        }

        return Directory.EnumerateFiles(folder, "*" + extension, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(relativeTo, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToArray();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StreamX.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"cannot find the repository root: no folder above '{AppContext.BaseDirectory}' contains StreamX.sln");
    }

    private static string FindShared()
    {
        var overridden = Environment.GetEnvironmentVariable("STREAMX_SHARED");
        var path = string.IsNullOrEmpty(overridden)
            ? Path.GetFullPath(Path.Combine(Root, "..", "shared"))
            : Path.GetFullPath(overridden);
        if (!Directory.Exists(Path.Combine(path, "idl-corpus")))
        {
            throw new InvalidOperationException(
                $"the shared inputs folder '{path}' (with idl-corpus/ inside) is missing. These tests read the real-world " +
                "IDL corpus from shared/ beside the repository clone (<repo>/../shared), as CI lays it out; " +
                "put it there or point STREAMX_SHARED at it. The tests fail rather than pass vacuously without it.");
        }

        return path;
    }
}
