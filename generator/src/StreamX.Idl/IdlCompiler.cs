using System.Collections.Immutable;
using StreamX.Idl.Diagnostics;
using StreamX.Idl.Model;
using StreamX.Idl.Semantics;

namespace StreamX.Idl;

/// <summary>What to compile and with which limits.</summary>
public sealed record IdlCompileRequest
{
    /// <summary>Creates a request for files read from disk.</summary>
    public IdlCompileRequest(IEnumerable<string> files, IEnumerable<string>? includePaths = null, IIdlSourceProvider? sources = null)
    {
        Files = files.ToImmutableArray();
        IncludePaths = (includePaths ?? Array.Empty<string>()).ToImmutableArray();
        Sources = sources ?? FileSystemSourceProvider.Instance;
    }

    /// <summary>The files to compile (each is a root of the model).</summary>
    public ImmutableArray<string> Files { get; init; }

    /// <summary>Extra include directories (<c>-I</c>), searched in order after the including file's directory.</summary>
    public ImmutableArray<string> IncludePaths { get; init; }

    /// <summary>Where file contents come from.</summary>
    public IIdlSourceProvider Sources { get; init; }

    /// <summary>Largest file accepted, in bytes (default 16 MiB, about 100 times the largest real IDL we know).</summary>
    public long MaxFileBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Deepest bracket nesting accepted (default 200).</summary>
    public int MaxNestingDepth { get; init; } = 200;

    /// <summary>Errors reported per file before the rest are suppressed (default 100).</summary>
    public int MaxErrorsPerFile { get; init; } = 100;

    /// <summary>Most files reached through includes (default 10,000).</summary>
    public int MaxFiles { get; init; } = 10_000;
}

/// <summary>The outcome of a compilation: a model when there were no errors, and every diagnostic.</summary>
public sealed class IdlCompilation
{
    internal IdlCompilation(IdlModel? model, ImmutableArray<Diagnostic> diagnostics)
    {
        Model = model;
        Diagnostics = diagnostics;
    }

    /// <summary>The bound model, or null when any error was reported.</summary>
    public IdlModel? Model { get; }

    /// <summary>Every diagnostic, ordered by file, line and column.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>True when at least one diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>The front end's façade: parse, bind and validate Thrift IDL.</summary>
public static class IdlCompiler
{
    /// <summary>
    /// Compiles the requested files and everything they include. Never throws for bad input: every
    /// problem is a diagnostic. Thread-safe (no shared state).
    /// </summary>
    public static IdlCompilation Compile(IdlCompileRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var binder = new ModelBuilder(request);
        return binder.Build();
    }
}
