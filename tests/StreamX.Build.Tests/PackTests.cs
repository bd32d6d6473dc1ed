namespace StreamX.Build.Tests;

/// <summary>
/// The packages as users get them: `dotnet pack` (no build; the solution build made the outputs) of
/// StreamX.Build, StreamX.Runtime, both transports, StreamX.Hosting and the streamx-gen tool into a folder
/// feed; both copies of the generator roll forward to newer runtimes (RollForward=Major); a project
/// restores StreamX.Build, StreamX.Runtime, the transports and StreamX.Hosting from it and builds and runs; the tool installs with
/// `dotnet tool install --tool-path` and runs. A private NuGet packages folder keeps these packages
/// out of the user's cache; the user's cache is a second source for the rest.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PackTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly string[] Projects =
    [
        "generator/src/StreamX.Build/StreamX.Build.csproj",
        "runtime/src/StreamX.Runtime/StreamX.Runtime.csproj",
        "runtime/src/StreamX.Transport.TTHeader/StreamX.Transport.TTHeader.csproj",
        "runtime/src/StreamX.Transport.Grpc/StreamX.Transport.Grpc.csproj",
        "runtime/src/StreamX.Hosting/StreamX.Hosting.csproj",
        "generator/src/StreamX.Cli/StreamX.Cli.csproj",
    ];

    [Fact]
    public void PackedPackages_RestoreBuildAndRun_AndToolInstalls()
    {
        using var project = new TempProject("Consumer");
        var root = Path.GetDirectoryName(project.Path)!;
        var feed = Path.Combine(root, "feed");
        var packages = Path.Combine(root, "packages");
        var userCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages };

        foreach (var relative in Projects)
        {
            var pack = DotnetProcess.Run(TempProject.RepoRoot, ["pack", relative, "--no-build", "-c", Configuration, "-o", feed, "-nologo", "-tl:off", "-v:m", "-nodeReuse:false"], environment: env);
            Assert.True(pack.ExitCode == 0, pack.ToString());
        }

        var version = TestVersion(feed);
        Assert.True(File.Exists(Path.Combine(feed, $"streamx-gen.{version}.nupkg")));
        Assert.True(File.Exists(Path.Combine(feed, $"StreamX.Transport.TTHeader.{version}.nupkg")));
        Assert.True(File.Exists(Path.Combine(feed, $"StreamX.Transport.Grpc.{version}.nupkg")));
        Assert.True(File.Exists(Path.Combine(feed, $"StreamX.Hosting.{version}.nupkg")));

        // The generator runs on newer runtimes too: both copies (the tool, the one the targets run) roll forward.
        Assert.Equal("Major", RollForward(Path.Combine(feed, $"streamx-gen.{version}.nupkg")));
        Assert.Equal("Major", RollForward(Path.Combine(feed, $"StreamX.Build.{version}.nupkg")));

        // Not cleared: the machine's default registry stays a source for anything else.
        project.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="streamx-local" value="{feed}" />
                <add key="user-cache" value="{userCache}" />
              </packageSources>
            </configuration>
            """);
        project.Write("Consumer.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Exe</OutputType>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="StreamX.Build" Version="{version}" PrivateAssets="all" />
                <PackageReference Include="StreamX.Runtime" Version="{version}" />
                <PackageReference Include="StreamX.Transport.TTHeader" Version="{version}" />
                <PackageReference Include="StreamX.Transport.Grpc" Version="{version}" />
                <PackageReference Include="StreamX.Hosting" Version="{version}" />
              </ItemGroup>
              <ItemGroup>
                <StreamXIdl Include="idl/ping.thrift" Module="PackTest" Access="internal" />
              </ItemGroup>
            </Project>
            """);
        project.Write("idl/ping.thrift", "struct Ping {\n  1: string text\n}\n");
        project.Write("Program.cs", """
            var ping = new PackTest.Ping { Text = "pong" };
            var bytes = StreamX.Thrift.ThriftSerializer.Serialize(ping, StreamX.Thrift.ThriftProtocol.Binary);
            Console.WriteLine(StreamX.Thrift.ThriftSerializer.Deserialize<PackTest.Ping>(bytes, StreamX.Thrift.ThriftProtocol.Binary).Text);
            // Both transports resolve from the feed (constructing a client transport connects nothing).
            await using var tt = new StreamX.Transport.TTHeader.TTHeaderClientTransport(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 1));
            await using var grpc = new StreamX.Transport.Grpc.GrpcClientTransport(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 1));
            // The hosting package resolves too (registering services starts nothing).
            StreamX.Hosting.StreamXServiceCollectionExtensions.AddStreamX(new Microsoft.Extensions.DependencyInjection.ServiceCollection());
            """);

        var build = DotnetProcess.Run(project.Path, ["build", "-nologo", "-tl:off", "-v:n", "-nodeReuse:false"], environment: env);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("StreamX: generating C#", build.Output);
        Assert.Contains(Path.Combine(packages, "streamx.build", version, "tools", "net10.0", "any", "streamx-gen.dll"), build.Output);
        var run = DotnetProcess.Run(project.Path, [Path.Combine("bin", "Debug", "net10.0", "Consumer.dll")], TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("pong", run.Output.Trim());

        var tools = Path.Combine(root, "tools");
        var install = DotnetProcess.Run(root, ["tool", "install", "--tool-path", tools, "--add-source", feed, "streamx-gen", "--version", version], environment: env);
        Assert.True(install.ExitCode == 0, install.ToString());
        var shim = Path.Combine(tools, OperatingSystem.IsWindows() ? "streamx-gen.exe" : "streamx-gen");
        var check = DotnetProcess.RunProgram(shim, project.Path, ["--check", "idl/ping.thrift"]);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("0 errors, 0 warnings", check.Output);
    }

    /// <summary>runtimeOptions.rollForward of the streamx-gen.runtimeconfig.json in a package (null when absent).</summary>
    private static string? RollForward(string nupkg)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(nupkg);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith("/streamx-gen.runtimeconfig.json", StringComparison.Ordinal));
        using var stream = entry.Open();
        using var json = System.Text.Json.JsonDocument.Parse(stream);
        return json.RootElement.GetProperty("runtimeOptions").TryGetProperty("rollForward", out var value) ? value.GetString() : null;
    }

    /// <summary>The version the packages got (the repository's Version), read back from the feed.</summary>
    private static string TestVersion(string feed)
    {
        var file = Path.GetFileNameWithoutExtension(Assert.Single(Directory.GetFiles(feed, "StreamX.Build.*.nupkg")));
        return file["StreamX.Build.".Length..];
    }
}
