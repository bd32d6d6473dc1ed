namespace StreamX.Cli.Tests;

/// <summary>The translation from argv to <see cref="CliOptions"/>, without running a verb.</summary>
public sealed class CommandLineBindingTests
{
    private static CliOptions Bind(params string[] args)
    {
        CliOptions? bound = null;
        var commandLine = new CliCommandLine(options =>
        {
            bound = options;
            return 0;
        });
        var parseResult = commandLine.Root.Parse(args);
        Assert.Empty(commandLine.GetUsageErrors(parseResult));
        Assert.Equal(0, parseResult.Invoke(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = null }));
        return Assert.IsType<CliOptions>(bound);
    }

    [Fact]
    public void IncludeDirectories_KeepCommandLineOrder()
    {
        var options = Bind("--check", "-I", "first", "a.thrift", "--include", "second", "-Ithird", "b.thrift");

        Assert.True(options.Check);
        Assert.Equal(["first", "second", "third"], options.IncludePaths.ToArray());
        Assert.Equal(["a.thrift", "b.thrift"], options.Files.ToArray());
    }

    [Fact]
    public void Defaults()
    {
        var options = Bind("a.thrift");

        Assert.False(options.Check);
        Assert.Empty(options.IncludePaths);
        Assert.Equal(["a.thrift"], options.Files.ToArray());
    }

    [Fact]
    public void OptionsMayFollowFiles()
    {
        var options = Bind("a.thrift", "--check", "-I", "inc");

        Assert.True(options.Check);
        Assert.Equal(["inc"], options.IncludePaths.ToArray());
        Assert.Equal(["a.thrift"], options.Files.ToArray());
    }

    [Fact]
    public void DoubleDash_EndsOptions()
    {
        var options = Bind("--check", "--", "-weird.thrift");

        Assert.Equal(["-weird.thrift"], options.Files.ToArray());
    }
}
