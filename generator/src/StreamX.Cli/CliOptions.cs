using System.Collections.Immutable;

namespace StreamX.Cli;

/// <summary>
/// A parsed command line, independent of System.CommandLine: what the handlers see. Each verb's
/// options are plain properties here, so a new verb adds properties and a handler, not parsing code.
/// </summary>
internal sealed record CliOptions
{
    /// <summary>The IDL files named on the command line, as given (relative to the working directory).</summary>
    public required ImmutableArray<string> Files { get; init; }

    /// <summary>Include directories (<c>-I</c>), in command-line order.</summary>
    public ImmutableArray<string> IncludePaths { get; init; } = ImmutableArray<string>.Empty;

    /// <summary><c>--check</c>: parse and validate only; write nothing.</summary>
    public bool Check { get; init; }

    /// <summary><c>-o DIR</c>: where generated files go (default: the current directory).</summary>
    public string OutputDirectory { get; init; } = ".";

    /// <summary><c>-module NS</c>: the namespace for IDL files that declare no C# namespace.</summary>
    public string? Module { get; init; }

    /// <summary><c>--list-outputs</c>: print the files generation would write, one absolute path a line; write nothing.</summary>
    public bool ListOutputs { get; init; }

    /// <summary><c>--depfile PATH</c>: where to write the absolute path of every IDL file read, one a line (null: none).</summary>
    public string? DepFile { get; init; }

    /// <summary><c>--access public|internal</c>: accessibility of the generated types (null: the generator's default, public).</summary>
    public string? Access { get; init; }

    /// <summary><c>--no-client</c>: do not generate the services' client classes.</summary>
    public bool NoClient { get; init; }

    /// <summary><c>--no-server</c>: do not generate the services' server base classes (and their <c>BindService</c>).</summary>
    public bool NoServer { get; init; }
}
