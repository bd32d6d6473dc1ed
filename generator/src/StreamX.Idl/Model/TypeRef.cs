namespace StreamX.Idl.Model;

/// <summary>Thrift base types.</summary>
public enum BaseType
{
    /// <summary><c>bool</c></summary>
    Bool,
    /// <summary><c>byte</c> / <c>i8</c></summary>
    I8,
    /// <summary><c>i16</c></summary>
    I16,
    /// <summary><c>i32</c></summary>
    I32,
    /// <summary><c>i64</c></summary>
    I64,
    /// <summary><c>double</c></summary>
    Double,
    /// <summary><c>string</c> (also legacy <c>slist</c> and <c>senum</c>)</summary>
    String,
    /// <summary><c>binary</c></summary>
    Binary,
    /// <summary><c>uuid</c></summary>
    Uuid,
}

/// <summary>A resolved reference to a type. Typedefs stay visible; <see cref="Resolve"/> strips them.</summary>
public abstract record TypeRef
{
    /// <summary>Follows typedefs to the underlying type.</summary>
    public virtual TypeRef Resolve() => this;

    /// <summary>A readable IDL spelling, for messages.</summary>
    public abstract string DisplayName { get; }

    /// <inheritdoc />
    public sealed override string ToString() => DisplayName;
}

/// <summary>A base type.</summary>
public sealed record BaseTypeRef(BaseType Type, Annotations Annotations) : TypeRef
{
    /// <inheritdoc />
    public override string DisplayName => Type switch
    {
        BaseType.I8 => "i8",
        _ => Type.ToString().ToLowerInvariant(),
    };
}

/// <summary><c>list&lt;T&gt;</c></summary>
public sealed record ListTypeRef(TypeRef Element, Annotations Annotations) : TypeRef
{
    /// <inheritdoc />
    public override string DisplayName => $"list<{Element.DisplayName}>";
}

/// <summary><c>set&lt;T&gt;</c></summary>
public sealed record SetTypeRef(TypeRef Element, Annotations Annotations) : TypeRef
{
    /// <inheritdoc />
    public override string DisplayName => $"set<{Element.DisplayName}>";
}

/// <summary><c>map&lt;K,V&gt;</c></summary>
public sealed record MapTypeRef(TypeRef Key, TypeRef Value, Annotations Annotations) : TypeRef
{
    /// <inheritdoc />
    public override string DisplayName => $"map<{Key.DisplayName},{Value.DisplayName}>";
}

/// <summary>
/// Stands in for a type that could not be bound (an error was reported there), so later checks can
/// skip it instead of reporting follow-on errors. Never part of a returned model: errors mean no model.
/// </summary>
internal sealed record ErrorTypeRef(string Name) : TypeRef
{
    /// <inheritdoc />
    public override string DisplayName => Name;
}

/// <summary>A reference to a named definition (struct, union, exception, enum or typedef).</summary>
public sealed record NamedTypeRef(NamedDefinition Definition) : TypeRef
{
    /// <inheritdoc />
    public override TypeRef Resolve() => Definition is TypedefModel t ? t.Target.Resolve() : this;

    /// <inheritdoc />
    public override string DisplayName => Definition.QualifiedName;

    /// <summary>Reference equality on the definition (records would otherwise compare deep graphs).</summary>
    public bool Equals(NamedTypeRef? other) => other is not null && ReferenceEquals(Definition, other.Definition);

    /// <inheritdoc />
    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Definition);
}
