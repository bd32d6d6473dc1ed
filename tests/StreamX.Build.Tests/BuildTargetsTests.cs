namespace StreamX.Build.Tests;

/// <summary>
/// The StreamX.Build targets driven by real `dotnet build`: generation, compile and run,
/// incrementality (second build, included file touched, metadata changed: Access, GenerateServer),
/// design-time builds, clean, and canonical IDL errors. Each test shares one temporary project across its steps.
/// </summary>
[Trait("Category", "Slow")]
public sealed class BuildTargetsTests
{
    private const string Generating = "StreamX: generating C#";

    private const string BaseIdl = """
        namespace csharp BuildTest.Shared

        struct Point {
          1: i32 x
          2: i32 y
        }
        """;

    private const string SharedIdl = """
        include "base.thrift"
        namespace csharp BuildTest.Shared

        struct Label {
          1: string text
          2: base.Point at
        }
        """;

    // No C# namespace: the item's Namespace metadata (alias of Module) supplies it. shared.thrift is found through IncludePaths.
    private const string MainIdl = """
        include "shared.thrift"

        struct Shape {
          1: string name
          2: shared.Label label
        }

        service Shapes {
          Shape Get(1: Shape probe)
          Shape Watch(1: Shape probe) (streaming.mode = "server")
        }
        """;

    private const string Program = """
        using StreamX.Thrift;

        var shape = new BuildTest.Shape
        {
            Name = "square",
            Label = new BuildTest.Shared.Label { Text = "origin", At = new BuildTest.Shared.Point { X = 3, Y = 4 } },
        };
        var copy = ThriftSerializer.Deserialize<BuildTest.Shape>(ThriftSerializer.Serialize(shape, ThriftProtocol.Compact), ThriftProtocol.Compact);
        Console.WriteLine($"{copy.Name} {copy.Label!.Text} {copy.Label.At!.X},{copy.Label.At.Y} {copy.Equals(shape)}");
        """;

    [Fact]
    public void Build_GeneratesCompilesRuns_IsIncremental_AndCleanRemovesOutputs()
    {
        using var project = new TempProject("App");
        project.Write("idl/common/base.thrift", BaseIdl);
        project.Write("idl/common/shared.thrift", SharedIdl);
        project.Write("idl/main.thrift", MainIdl);
        project.Write("Program.cs", Program);
        project.WriteProject(
            // AppServer is unset at first: an empty GenerateServer means the default (true).
            """<StreamXIdl Include="idl/main.thrift;idl/common/shared.thrift" Namespace="BuildTest" IncludePaths="idl/common" Access="$(AppAccess)" GenerateServer="$(AppServer)" />""",
            """<AppAccess Condition="'$(AppAccess)' == ''">public</AppAccess>""");

        // 1. First build: generates every file reached (two roots, one include-only file), compiles, runs.
        var first = DotnetProcess.Build(project.Path);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains(Generating, first.Output);
        foreach (var name in new[] { "Main", "Shared", "Base" })
        {
            Assert.True(File.Exists(Path.Combine(project.GeneratedDir, $"{name}.Types.g.cs")), name);
        }

        var service = File.ReadAllText(Path.Combine(project.GeneratedDir, "Main.Service.g.cs"));
        Assert.Contains("public sealed partial class ShapesClient", service);
        Assert.Contains("public abstract partial class ShapesBase", service);

        var run = DotnetProcess.Run(project.Path, [Path.Combine("bin", "Debug", "net10.0", "App.dll")], TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("square origin 3,4 True", run.Output.Trim());

        // 2. Nothing changed: the generator does not run.
        var second = DotnetProcess.Build(project.Path, "--no-restore");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.DoesNotContain(Generating, second.Output);
        Assert.Contains("Skipping target \"StreamXGenerate\"", second.Output);

        // 3. A file reached only through includes (known from the depfile) changed: regenerates.
        project.Touch("idl/common/base.thrift");
        var third = DotnetProcess.Build(project.Path, "--no-restore");
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Contains(Generating, third.Output);

        // 4. Design-time build with outputs present: adds Compile items, never runs the generator.
        project.Touch("idl/common/base.thrift");
        var designTime = DotnetProcess.Run(project.Path, ["msbuild", "-nologo", "-tl:off", "-v:n", "-nodeReuse:false", "-t:StreamXAddGenerated", "-p:DesignTimeBuild=true"]);
        Assert.True(designTime.ExitCode == 0, designTime.ToString());
        Assert.DoesNotContain(Generating, designTime.Output);

        // 5. Changed metadata (Access): the metadata stamp changes, so it regenerates with the new value.
        var internalBuild = DotnetProcess.Build(project.Path, "--no-restore", "-p:AppAccess=internal");
        Assert.True(internalBuild.ExitCode == 0, internalBuild.ToString());
        Assert.Contains(Generating, internalBuild.Output);
        Assert.Contains("internal sealed partial class Shape", File.ReadAllText(Path.Combine(project.GeneratedDir, "Main.Types.g.cs")));

        // 6. Changed metadata (GenerateServer=false): regenerates; the service file keeps the client only.
        var clientOnly = DotnetProcess.Build(project.Path, "--no-restore", "-p:AppAccess=internal", "-p:AppServer=false");
        Assert.True(clientOnly.ExitCode == 0, clientOnly.ToString());
        Assert.Contains(Generating, clientOnly.Output);
        service = File.ReadAllText(Path.Combine(project.GeneratedDir, "Main.Service.g.cs"));
        Assert.Contains("internal static partial class Shapes", service);
        Assert.Contains("public sealed partial class ShapesClient", service);
        Assert.DoesNotContain("ShapesBase", service);

        // 7. Clean removes the generated files and the bookkeeping files.
        var clean = DotnetProcess.Run(project.Path, ["clean", "-nologo", "-tl:off", "-v:m", "-nodeReuse:false", "-p:AppAccess=internal", "-p:AppServer=false"]);
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Empty(Directory.Exists(project.GeneratedDir) ? Directory.GetFiles(project.GeneratedDir, "*", SearchOption.AllDirectories) : []);
        Assert.Empty(Directory.GetFiles(project.ObjDir, "streamx.*"));
    }

    [Fact]
    public void BrokenIdl_FailsTheBuild_WithCanonicalFileLineColumnError_FixingItRecovers_StaleOutputsAreDeleted_InvalidMetadataFails()
    {
        using var project = new TempProject("Broken");
        var idl = project.Write("broken.thrift", "struct Dup { 1: string a }\nstruct Dup { 1: string b }\n");
        project.Write("Program.cs", "System.Console.WriteLine(new global::Broken.Dup().A);\n");
        project.WriteProject("""<StreamXIdl Include="broken.thrift" />""");

        var failed = DotnetProcess.Build(project.Path);

        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains($"{idl}(2,8): error SX2003: ", failed.Output);
        Assert.False(File.Exists(Path.Combine(project.ObjDir, "streamx.stamp")), "no stamp after a failed generation");

        // The stamp was not written, so the fixed file is generated and compiled on the next build.
        project.Write("broken.thrift", "struct Dup { 1: string a }\n");
        var fixedBuild = DotnetProcess.Build(project.Path, "--no-restore");
        Assert.True(fixedBuild.ExitCode == 0, fixedBuild.ToString());
        Assert.Contains(Generating, fixedBuild.Output);

        // The item is replaced by another file declaring the same type: the old output is stale and must
        // be deleted, or the two Dup classes would not compile together (CS0101).
        project.Write("renamed.thrift", "namespace csharp Broken\nstruct Dup { 1: string a }\n");
        project.WriteProject("""<StreamXIdl Include="renamed.thrift" />""");
        var renamed = DotnetProcess.Build(project.Path, "--no-restore");
        Assert.True(renamed.ExitCode == 0, renamed.ToString());
        Assert.False(File.Exists(Path.Combine(project.GeneratedDir, "Broken.Types.g.cs")), "stale output deleted");
        Assert.True(File.Exists(Path.Combine(project.GeneratedDir, "Renamed.Types.g.cs")));

        // Invalid metadata is an MSBuild error before the generator runs.
        project.WriteProject("""<StreamXIdl Include="renamed.thrift" GenerateClient="maybe" />""");
        var invalid = DotnetProcess.Build(project.Path, "--no-restore");
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("error SXB004: StreamX: GenerateClient='maybe'", invalid.Output);
        Assert.DoesNotContain(Generating, invalid.Output);
    }
}
