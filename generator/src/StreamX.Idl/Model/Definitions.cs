using System.Collections.Immutable;
using StreamX.Idl.Diagnostics;

namespace StreamX.Idl.Model;

// The model is a graph (structs refer to each other, files to their definitions), so its nodes are
// classes whose state is set once by the binder (internal setters) and read-only to everyone else.

/// <summary>A named top-level definition of an IDL file.</summary>
public abstract class NamedDefinition
{
    private protected NamedDefinition(string name, SourceSpan span, string? doc, Annotations annotations)
    {
        Name = name;
        Span = span;
        Doc = doc;
        Annotations = annotations;
    }

    /// <summary>The name as declared.</summary>
    public string Name { get; }

    /// <summary>Where the name is declared.</summary>
    public SourceSpan Span { get; }

    /// <summary>The doc comment (<c>/** … */</c>) text without comment markers, or null.</summary>
    public string? Doc { get; }

    /// <summary>Annotations written after the definition.</summary>
    public Annotations Annotations { get; }

    /// <summary>The file that declares it.</summary>
    public IdlFile File { get; internal set; } = null!;

    /// <summary><c>program.Name</c>, as other files refer to it.</summary>
    public string QualifiedName => $"{File.ProgramName}.{Name}";

    /// <summary>A short word for messages (<c>struct</c>, <c>service</c> …).</summary>
    public abstract string KindName { get; }

    /// <inheritdoc />
    public override string ToString() => $"{KindName} {QualifiedName}";
}

/// <summary>Kinds of field-bearing types.</summary>
public enum StructKind
{
    /// <summary><c>struct</c></summary>
    Struct,
    /// <summary><c>union</c></summary>
    Union,
    /// <summary><c>exception</c></summary>
    Exception,
}

/// <summary>A struct, union or exception.</summary>
public sealed class StructModel : NamedDefinition
{
    internal StructModel(string name, StructKind kind, SourceSpan span, string? doc, Annotations annotations)
        : base(name, span, doc, annotations) => Kind = kind;

    /// <summary>Struct, union or exception.</summary>
    public StructKind Kind { get; }

    /// <summary>Fields in declaration order.</summary>
    public ImmutableArray<FieldModel> Fields { get; internal set; } = ImmutableArray<FieldModel>.Empty;

    /// <inheritdoc />
    public override string KindName => Kind.ToString().ToLowerInvariant();
}

/// <summary>Requiredness as written.</summary>
public enum Requiredness
{
    /// <summary>Neither <c>required</c> nor <c>optional</c> ("default requiredness").</summary>
    Default,
    /// <summary><c>required</c></summary>
    Required,
    /// <summary><c>optional</c></summary>
    Optional,
}

/// <summary>A field of a struct, an argument of a method, or an entry of a throws clause.</summary>
public sealed class FieldModel
{
    internal FieldModel(int id, bool isImplicitId, string name, Requiredness requiredness, TypeRef type, bool isReference, SourceSpan span, string? doc, Annotations annotations)
    {
        Id = id;
        IsImplicitId = isImplicitId;
        Name = name;
        Requiredness = requiredness;
        Type = type;
        IsReference = isReference;
        Span = span;
        Doc = doc;
        Annotations = annotations;
    }

    /// <summary>The field id (negative for implicit ids).</summary>
    public int Id { get; }

    /// <summary>True when the IDL gave no id and Thrift's implicit negative id was assigned.</summary>
    public bool IsImplicitId { get; }

    /// <summary>The name as declared.</summary>
    public string Name { get; }

    /// <summary>Requiredness as written.</summary>
    public Requiredness Requiredness { get; internal set; }

    /// <summary>The field type.</summary>
    public TypeRef Type { get; }

    /// <summary>Thrift's <c>&amp;</c> (C++ reference) marker.</summary>
    public bool IsReference { get; }

    /// <summary>The default value, checked against <see cref="Type"/>.</summary>
    public ConstValue? Default { get; internal set; }

    /// <summary>Where the field is declared.</summary>
    public SourceSpan Span { get; }

    /// <summary>Doc comment, or null.</summary>
    public string? Doc { get; }

    /// <summary>Annotations on the field.</summary>
    public Annotations Annotations { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Id}: {Type} {Name}";
}

/// <summary>An enum.</summary>
public sealed class EnumModel : NamedDefinition
{
    internal EnumModel(string name, SourceSpan span, string? doc, Annotations annotations)
        : base(name, span, doc, annotations)
    {
    }

    /// <summary>Values in declaration order (values may repeat; names do not).</summary>
    public ImmutableArray<EnumValueModel> Values { get; internal set; } = ImmutableArray<EnumValueModel>.Empty;

    /// <inheritdoc />
    public override string KindName => "enum";
}

/// <summary>One named value of an enum.</summary>
public sealed class EnumValueModel
{
    internal EnumValueModel(EnumModel owner, string name, int value, SourceSpan span, string? doc, Annotations annotations)
    {
        Enum = owner;
        Name = name;
        Value = value;
        Span = span;
        Doc = doc;
        Annotations = annotations;
    }

    /// <summary>The enum that declares it.</summary>
    public EnumModel Enum { get; }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>The value (explicit or implicit).</summary>
    public int Value { get; }

    /// <summary>Where it is declared.</summary>
    public SourceSpan Span { get; }

    /// <summary>Doc comment, or null.</summary>
    public string? Doc { get; }

    /// <summary>Annotations on the value.</summary>
    public Annotations Annotations { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Enum.Name}.{Name} = {Value}";
}

/// <summary>A typedef (including the deprecated <c>senum</c>, a typedef of string).</summary>
public sealed class TypedefModel : NamedDefinition
{
    internal TypedefModel(string name, SourceSpan span, string? doc, Annotations annotations)
        : base(name, span, doc, annotations)
    {
    }

    /// <summary>The aliased type (may itself be a typedef).</summary>
    public TypeRef Target { get; internal set; } = null!;

    /// <inheritdoc />
    public override string KindName => "typedef";
}

/// <summary>A constant.</summary>
public sealed class ConstModel : NamedDefinition
{
    internal ConstModel(string name, SourceSpan span, string? doc, Annotations annotations)
        : base(name, span, doc, annotations)
    {
    }

    /// <summary>The declared type.</summary>
    public TypeRef Type { get; internal set; } = null!;

    /// <summary>The value, checked against and normalised to <see cref="Type"/>.</summary>
    public ConstValue Value { get; internal set; } = null!;

    /// <inheritdoc />
    public override string KindName => "const";
}

/// <summary>A service.</summary>
public sealed class ServiceModel : NamedDefinition
{
    internal ServiceModel(string name, SourceSpan span, string? doc, Annotations annotations)
        : base(name, span, doc, annotations)
    {
    }

    /// <summary>The service this one extends, or null.</summary>
    public ServiceModel? Extends { get; internal set; }

    /// <summary>Methods declared by this service, in order.</summary>
    public ImmutableArray<MethodModel> Methods { get; internal set; } = ImmutableArray<MethodModel>.Empty;

    /// <summary>Inherited methods (base-most first) followed by this service's own.</summary>
    public ImmutableArray<MethodModel> AllMethods
    {
        get
        {
            var chain = new List<ServiceModel>();
            for (var s = this; s is not null && !chain.Contains(s); s = s.Extends)
            {
                chain.Add(s);
            }

            chain.Reverse();
            return chain.SelectMany(s => s.Methods).ToImmutableArray();
        }
    }

    /// <summary>True when this service or one it extends has a client, server or bidirectional method.</summary>
    public bool HasStreamingMethods => AllMethods.Any(m => m.IsStreaming);

    /// <inheritdoc />
    public override string KindName => "service";
}

/// <summary>The Kitex <c>streaming.mode</c> of a method.</summary>
public enum StreamingMode
{
    /// <summary>No annotation: a plain request/response (PingPong) method.</summary>
    None,
    /// <summary><c>streaming.mode="unary"</c>: treated as PingPong, as Kitex does with <c>-streamx</c>.</summary>
    Unary,
    /// <summary><c>streaming.mode="client"</c>: many requests, one response.</summary>
    Client,
    /// <summary><c>streaming.mode="server"</c>: one request, many responses.</summary>
    Server,
    /// <summary><c>streaming.mode="bidirectional"</c>: many of each, independently.</summary>
    Bidirectional,
}

/// <summary>A method of a service.</summary>
public sealed class MethodModel
{
    internal MethodModel(string name, bool oneway, StreamingMode mode, SourceSpan span, string? doc, Annotations annotations)
    {
        Name = name;
        IsOneway = oneway;
        StreamingMode = mode;
        Span = span;
        Doc = doc;
        Annotations = annotations;
    }

    /// <summary>The method name.</summary>
    public string Name { get; }

    /// <summary><c>oneway</c>.</summary>
    public bool IsOneway { get; }

    /// <summary>The streaming mode.</summary>
    public StreamingMode StreamingMode { get; }

    /// <summary>True for client, server and bidirectional streaming.</summary>
    public bool IsStreaming => StreamingMode is StreamingMode.Client or StreamingMode.Server or StreamingMode.Bidirectional;

    /// <summary>The return type, or null for <c>void</c>.</summary>
    public TypeRef? ReturnType { get; internal set; }

    /// <summary>Arguments.</summary>
    public ImmutableArray<FieldModel> Arguments { get; internal set; } = ImmutableArray<FieldModel>.Empty;

    /// <summary>Declared exceptions.</summary>
    public ImmutableArray<FieldModel> Throws { get; internal set; } = ImmutableArray<FieldModel>.Empty;

    /// <summary>The service that declares it.</summary>
    public ServiceModel Service { get; internal set; } = null!;

    /// <summary>
    /// The wire shape of a unary call's request: Kitex/Apache's <c>&lt;Service&gt;_&lt;Method&gt;_args</c>,
    /// a struct of the method's arguments with their ids. Not part of <see cref="IdlFile.Definitions"/>.
    /// </summary>
    public StructModel ArgumentsStruct { get; internal set; } = null!;

    /// <summary>
    /// The wire shape of a unary call's reply: <c>&lt;Service&gt;_&lt;Method&gt;_result</c> with the result
    /// as optional field 0 <c>success</c> (absent for void) and each declared exception as an
    /// optional field with its id.
    /// </summary>
    public StructModel ResultStruct { get; internal set; } = null!;

    /// <summary>Where it is declared.</summary>
    public SourceSpan Span { get; }

    /// <summary>Doc comment, or null.</summary>
    public string? Doc { get; }

    /// <summary>Annotations on the method.</summary>
    public Annotations Annotations { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Service?.Name}.{Name}";
}
