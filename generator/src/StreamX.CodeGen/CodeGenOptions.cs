namespace StreamX.CodeGen;

/// <summary>Options for C# generation. Immutable; validated by <see cref="Validate"/>.</summary>
public sealed record CodeGenOptions
{
    /// <summary>
    /// The namespace for IDL files that declare no C# namespace (<c>csharp</c>, <c>netstd</c>,
    /// <c>netcore</c> or <c>*</c>); the CLI's <c>-module</c>. When null, such files use their
    /// PascalCase file name (<c>echo.thrift</c> → <c>Echo</c>).
    /// </summary>
    public string? RootNamespace { get; init; }

    /// <summary>Accessibility of generated types: <c>public</c> (default) or <c>internal</c>.</summary>
    public string Access { get; init; } = "public";

    /// <summary>
    /// Generate each service's client class (default true; the CLI's <c>--no-client</c> turns it off).
    /// Types are always generated; with neither client nor server, an IDL file's services produce no file.
    /// </summary>
    public bool GenerateClient { get; init; } = true;

    /// <summary>
    /// Generate each service's server base class and its <c>BindService</c> (default true; the CLI's
    /// <c>--no-server</c> turns it off).
    /// </summary>
    public bool GenerateServer { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> for invalid values.</summary>
    public void Validate()
    {
        if (Access is not ("public" or "internal"))
        {
            throw new ArgumentException($"Access must be 'public' or 'internal', not '{Access}'.", nameof(Access));
        }

        if (RootNamespace is not null && !IsValidNamespaceName(RootNamespace))
        {
            throw new ArgumentException($"'{RootNamespace}' is not a valid C# namespace.", nameof(RootNamespace));
        }
    }

    /// <summary>True for a dotted C# namespace name (letters, digits, underscores; no empty segment).</summary>
    public static bool IsValidNamespaceName(string ns) =>
        ns.Split('.').All(p => p.Length > 0 && (char.IsLetter(p[0]) || p[0] == '_') && p.All(c => char.IsLetterOrDigit(c) || c == '_'));
}
