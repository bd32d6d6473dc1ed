namespace StreamX.Build.Tests;

/// <summary>
/// A temporary project directory that imports the in-repo StreamX.Build props/targets and runs the
/// streamx-gen built from this repository. Isolated from the repository's Directory.Build.* files.
/// </summary>
internal sealed class TempProject : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    public TempProject(string name)
    {
        Name = name;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "streamx-build-tests", Guid.NewGuid().ToString("N"), name);
        Directory.CreateDirectory(Path);
        Write("../Directory.Build.props", "<Project />\n");
        Write("../Directory.Build.targets", "<Project />\n");
        Write("../Directory.Packages.props", "<Project />\n");
    }

    public string Name { get; }

    public string Path { get; }

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ToolPath =>
        System.IO.Path.Combine(RepoRoot, "generator", "src", "StreamX.Cli", "bin", Configuration, "net10.0", "streamx-gen.dll");

    public string ObjDir => System.IO.Path.Combine(Path, "obj", "Debug", "net10.0");

    public string GeneratedDir => System.IO.Path.Combine(ObjDir, "streamx");

    /// <summary>Writes the project file: the given items inside the StreamX imports, plus a reference to the runtime copied next to the tests.</summary>
    public void WriteProject(string items, string properties = "")
    {
        var build = System.IO.Path.Combine(RepoRoot, "generator", "src", "StreamX.Build", "build");
        var runtime = System.IO.Path.Combine(AppContext.BaseDirectory, "StreamX.Runtime.dll");
        Write($"{Name}.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Exe</OutputType>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <StreamXToolPath>{ToolPath}</StreamXToolPath>
                {properties}
              </PropertyGroup>
              <Import Project="{System.IO.Path.Combine(build, "StreamX.Build.props")}" />
              <ItemGroup>
                <Reference Include="StreamX.Runtime" HintPath="{runtime}" />
              </ItemGroup>
              <ItemGroup>
                {items}
              </ItemGroup>
              <Import Project="{System.IO.Path.Combine(build, "StreamX.Build.targets")}" />
            </Project>
            """);
    }

    public string Write(string relativePath, string text)
    {
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relativePath));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text.ReplaceLineEndings("\n"));
        return full;
    }

    /// <summary>Moves a file's timestamp forward, as an editor save would.</summary>
    public void Touch(string relativePath)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        File.SetLastWriteTimeUtc(full, DateTime.UtcNow.AddSeconds(2));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "StreamX.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"StreamX.sln not found above {AppContext.BaseDirectory}");
    }
}
