namespace StreamX.Transport.TTHeader.Tests.Support;

/// <summary>
/// Locates the shared inputs: the repository root is the nearest folder above the test binaries holding
/// <c>StreamX.sln</c>; the shared folder is <c>&lt;repo&gt;/../shared</c> (<c>STREAMX_SHARED</c> overrides it).
/// </summary>
public static class Repo
{
    private static readonly Lazy<string> SharedPath = new(FindShared);

    /// <summary>The shared inputs folder.</summary>
    public static string Shared => SharedPath.Value;

    /// <summary><c>shared/interop/kitex-captures</c>.</summary>
    public static string Captures => Path.Combine(Shared, "interop", "kitex-captures");

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
            ? Path.GetFullPath(Path.Combine(FindRoot(), "..", "shared"))
            : Path.GetFullPath(overridden);
        if (!Directory.Exists(Path.Combine(path, "interop", "kitex-captures")))
        {
            throw new InvalidOperationException(
                $"the shared inputs folder '{path}' (with interop/kitex-captures/ inside) is missing. These tests replay real " +
                "Kitex v0.16.3 traffic from shared/ beside the repository clone (<repo>/../shared), as CI lays it out; " +
                "put it there or point STREAMX_SHARED at it. The tests fail rather than pass vacuously without it.");
        }

        return path;
    }
}
