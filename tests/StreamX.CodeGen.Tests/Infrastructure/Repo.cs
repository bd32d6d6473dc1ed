namespace StreamX.CodeGen.Tests.Infrastructure;

/// <summary>Locates the repository (the folder with StreamX.sln) and the shared inputs beside it.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>../shared next to the repository (CI clones it there).</summary>
    public static string Shared
    {
        get
        {
            var shared = Path.GetFullPath(Path.Combine(Root, "..", "shared"));
            if (!Directory.Exists(Path.Combine(shared, "idl-corpus")))
            {
                throw new InvalidOperationException($"The shared inputs are missing: expected {shared}/idl-corpus beside the repository.");
            }

            return shared;
        }
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

        throw new InvalidOperationException("StreamX.sln not found above " + AppContext.BaseDirectory);
    }
}
