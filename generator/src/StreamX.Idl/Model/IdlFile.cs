using System.Collections.Immutable;
using StreamX.Idl.Diagnostics;

namespace StreamX.Idl.Model;

/// <summary>A <c>namespace scope name</c> statement.</summary>
public sealed record NamespaceModel(string Scope, string Name, Annotations Annotations, SourceSpan Span);

/// <summary>An <c>include</c> and the file it resolved to.</summary>
public sealed record IncludeModel(string Literal, IdlFile File, SourceSpan Span);

/// <summary>One bound IDL file.</summary>
public sealed class IdlFile
{
    /// <summary>The C# lookup order for namespaces: the first scope present wins.</summary>
    public static readonly ImmutableArray<string> CSharpNamespaceScopes = ImmutableArray.Create("csharp", "netstd", "netcore", "*");

    internal IdlFile(string path, string programName)
    {
        Path = path;
        ProgramName = programName;
    }

    /// <summary>The normalised path the source provider gave.</summary>
    public string Path { get; }

    /// <summary>The program name other files use as prefix: file name without <c>.thrift</c> (may contain dots).</summary>
    public string ProgramName { get; }

    /// <summary>Resolved includes, in source order.</summary>
    public ImmutableArray<IncludeModel> Includes { get; internal set; } = ImmutableArray<IncludeModel>.Empty;

    /// <summary>Namespace statements, in source order.</summary>
    public ImmutableArray<NamespaceModel> Namespaces { get; internal set; } = ImmutableArray<NamespaceModel>.Empty;

    /// <summary>All definitions in source order.</summary>
    public ImmutableArray<NamedDefinition> Definitions { get; internal set; } = ImmutableArray<NamedDefinition>.Empty;

    /// <summary>Structs, unions and exceptions.</summary>
    public IEnumerable<StructModel> Structs => Definitions.OfType<StructModel>();

    /// <summary>Enums.</summary>
    public IEnumerable<EnumModel> Enums => Definitions.OfType<EnumModel>();

    /// <summary>Typedefs.</summary>
    public IEnumerable<TypedefModel> Typedefs => Definitions.OfType<TypedefModel>();

    /// <summary>Constants.</summary>
    public IEnumerable<ConstModel> Consts => Definitions.OfType<ConstModel>();

    /// <summary>Services.</summary>
    public IEnumerable<ServiceModel> Services => Definitions.OfType<ServiceModel>();

    /// <summary>The namespace declared for a scope (the last one wins, as in Thrift), or null.</summary>
    public string? GetNamespace(string scope) => Namespaces.LastOrDefault(n => n.Scope == scope)?.Name;

    /// <summary>The namespace for C#: <c>csharp</c>, then <c>netstd</c>, <c>netcore</c>, <c>*</c>; or null.</summary>
    public string? CSharpNamespace => CSharpNamespaceScopes.Select(GetNamespace).FirstOrDefault(n => n is not null);

    /// <inheritdoc />
    public override string ToString() => Path;
}

/// <summary>The result of binding: every file reached from the requested ones.</summary>
public sealed class IdlModel
{
    internal IdlModel(ImmutableArray<IdlFile> roots, ImmutableArray<IdlFile> files)
    {
        Roots = roots;
        Files = files;
    }

    /// <summary>The files the request named, in request order.</summary>
    public ImmutableArray<IdlFile> Roots { get; }

    /// <summary>Every file, included ones first (a topological order).</summary>
    public ImmutableArray<IdlFile> Files { get; }
}
