using System.Collections.Immutable;
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Reflection;

namespace StreamX.Cli;

/// <summary>
/// The System.CommandLine grammar of <c>streamx-gen</c> and its translation to <see cref="CliOptions"/>.
/// Only this file knows System.CommandLine's option objects.
/// </summary>
internal sealed class CliCommandLine
{
    /// <summary>The tool's name in help, errors and the version line.</summary>
    public const string ToolName = "streamx-gen";

    private readonly Option<bool> _check = new("--check")
    {
        Description = "Parse and validate the IDL files and everything they include; write nothing.",
    };

    private readonly Option<string[]> _include = new("-I", "--include")
    {
        Description = "Add a directory to search for included files (after the including file's own directory). Repeatable.",
        HelpName = "DIR",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string> _output = new("-o", "--output")
    {
        Description = "Directory for the generated C# files (created if needed). Default: the current directory.",
        HelpName = "DIR",
    };

    private readonly Option<string> _module = new("-module", "--module")
    {
        Description = "Namespace for IDL files that declare none (namespace csharp/netstd/netcore/*), as Kitex's -module.",
        HelpName = "NS",
    };

    private readonly Option<bool> _listOutputs = new("--list-outputs")
    {
        Description = "Print the absolute path of every file generation would write, one a line; write nothing.",
    };

    private readonly Option<string> _depFile = new("--depfile")
    {
        Description = "Write the absolute path of every IDL file read (the inputs and everything they include), one a line; rewritten only when its content changes.",
        HelpName = "PATH",
    };

    private readonly Option<string> _access = new("--access")
    {
        Description = "Accessibility of the generated types: public (default) or internal.",
        HelpName = "public|internal",
    };

    private readonly Option<bool> _noClient = new("--no-client")
    {
        Description = "Do not generate the services' client classes (types and server bases still are).",
    };

    private readonly Option<bool> _noServer = new("--no-server")
    {
        Description = "Do not generate the services' server base classes and BindService (types and clients still are).",
    };

    private readonly Argument<string[]> _files = new("FILE")
    {
        Description = "Thrift IDL files to process.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>Builds the grammar; <paramref name="handler"/> runs when a command line parses without usage errors.</summary>
    public CliCommandLine(Func<CliOptions, int> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Root = new RootCommand(
            "Generates C# for Thrift IDL (Kitex-compatible StreamX streaming RPC), or validates it with --check.\n" +
            "Every file reached through includes gets its own output (<Name>.Types.g.cs); unchanged files are not rewritten.\n\n" +
            "Diagnostics go to stderr in MSBuild canonical form, 'file(line,col): error SXnnnn: message'.\n" +
            "Exit codes: 0 no errors (warnings allowed), 1 the IDL has errors, 2 usage error, 3 internal error.")
        {
            HelpName = ToolName,
        };
        Root.Options.Add(_check);
        Root.Options.Add(_include);
        Root.Options.Add(_output);
        Root.Options.Add(_module);
        Root.Options.Add(_listOutputs);
        Root.Options.Add(_depFile);
        Root.Options.Add(_access);
        Root.Options.Add(_noClient);
        Root.Options.Add(_noServer);
        Root.Arguments.Add(_files);

        foreach (var option in Root.Options)
        {
            switch (option)
            {
                case VersionOption version:
                    // The default reads the entry assembly, which is the test host when we run in-process.
                    version.Action = new PrintVersionAction();
                    break;
                case HelpOption { Action: HelpAction help }:
                    // Console.WindowWidth is meaningless when stdout is redirected; help must not depend on it.
                    help.MaxWidth = 100;
                    break;
            }
        }

        Root.SetAction(parseResult => handler(Bind(parseResult)));
    }

    /// <summary>The root command; parse with <see cref="Command.Parse(IReadOnlyList{string}, ParserConfiguration?)"/>.</summary>
    public RootCommand Root { get; }

    /// <summary>The version printed by <c>--version</c>: the assembly's informational version.</summary>
    public static string Version =>
        typeof(CliCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CliCommandLine).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    /// <summary>
    /// Usage errors in a parse: System.CommandLine's own (bad option value, missing option argument,
    /// unreadable response file) plus unknown options. System.CommandLine lets the <c>FILE</c>
    /// argument swallow an unknown <c>--bogus</c>; a compiler must reject it instead (a file whose
    /// name starts with '-' can still be given after <c>--</c>). Empty when help or version was asked for.
    /// </summary>
    public IReadOnlyList<string> GetUsageErrors(ParseResult parseResult)
    {
        if (parseResult.Action is ParseErrorAction)
        {
            return parseResult.Errors.Select(e => e.Message).ToArray();
        }

        if (!ReferenceEquals(parseResult.Action, Root.Action))
        {
            return [];
        }

        var files = (parseResult.GetValue(_files) ?? []).ToHashSet(StringComparer.Ordinal);
        return parseResult.Tokens
            .TakeWhile(t => t.Type != TokenType.DoubleDash)
            .Where(t => t.Type == TokenType.Argument && t.Value.Length > 1 && t.Value[0] == '-' && files.Contains(t.Value))
            .Select(t => $"unrecognized option '{t.Value}'")
            .ToArray();
    }

    /// <summary>Writes usage errors GNU style, then one pointer to <c>--help</c>.</summary>
    /// <returns><see cref="CliExitCodes.UsageError"/>.</returns>
    public static int ReportUsageErrors(TextWriter stderr, params IEnumerable<string> messages)
    {
        foreach (var message in messages)
        {
            stderr.WriteLine($"{ToolName}: error: {message}");
        }

        stderr.WriteLine($"Try '{ToolName} --help' for more information.");
        return CliExitCodes.UsageError;
    }

    private CliOptions Bind(ParseResult parseResult) => new()
    {
        Files = (parseResult.GetValue(_files) ?? []).ToImmutableArray(),
        IncludePaths = (parseResult.GetValue(_include) ?? []).ToImmutableArray(),
        Check = parseResult.GetValue(_check),
        OutputDirectory = parseResult.GetValue(_output) ?? ".",
        Module = parseResult.GetValue(_module),
        ListOutputs = parseResult.GetValue(_listOutputs),
        DepFile = parseResult.GetValue(_depFile),
        Access = parseResult.GetValue(_access),
        NoClient = parseResult.GetValue(_noClient),
        NoServer = parseResult.GetValue(_noServer),
    };

    private sealed class PrintVersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return CliExitCodes.Success;
        }
    }
}
