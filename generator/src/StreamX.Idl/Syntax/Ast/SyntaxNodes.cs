using System.Collections.Immutable;
using StreamX.Idl.Diagnostics;
using StreamX.Idl.Model;

namespace StreamX.Idl.Syntax.Ast;

// The immutable syntax tree: what the file says, with spans, before any name is resolved.
// Internal: the rest of the generator sees the semantic model only.

internal sealed record DocumentSyntax(
    string Path,
    ImmutableArray<IncludeSyntax> Includes,
    ImmutableArray<NamespaceSyntax> Namespaces,
    ImmutableArray<DefinitionSyntax> Definitions);

internal sealed record IncludeSyntax(string Literal, SourceSpan Span);

internal sealed record NamespaceSyntax(string Scope, string Name, ImmutableArray<AnnotationSyntax> Annotations, SourceSpan Span);

internal sealed record AnnotationSyntax(string Key, string? Value, SourceSpan Span);

internal abstract record TypeSyntax(ImmutableArray<AnnotationSyntax> Annotations, SourceSpan Span);

internal sealed record BaseTypeSyntax(BaseType Type, ImmutableArray<AnnotationSyntax> Annotations, SourceSpan Span) : TypeSyntax(Annotations, Span);

internal sealed record NamedTypeSyntax(string Name, ImmutableArray<AnnotationSyntax> Annotations, SourceSpan Span) : TypeSyntax(Annotations, Span);

internal sealed record ListTypeSyntax(TypeSyntax Element, ImmutableArray<AnnotationSyntax> Annotations, SourceSpan Span) : TypeSyntax(Annotations, Span);

internal sealed record SetTypeSyntax(TypeSyntax Element, ImmutableArray<AnnotationSyntax> Annotations, SourceSpan Span) : TypeSyntax(Annotations, Span);

internal sealed record MapTypeSyntax(TypeSyntax Key, TypeSyntax Value, ImmutableArray<AnnotationSyntax> Annotations, SourceSpan Span) : TypeSyntax(Annotations, Span);

internal abstract record ConstValueSyntax(SourceSpan Span);

internal sealed record IntValueSyntax(long Value, SourceSpan Span) : ConstValueSyntax(Span);

internal sealed record DoubleValueSyntax(double Value, SourceSpan Span) : ConstValueSyntax(Span);

internal sealed record StringValueSyntax(string Value, SourceSpan Span) : ConstValueSyntax(Span);

internal sealed record BoolValueSyntax(bool Value, SourceSpan Span) : ConstValueSyntax(Span);

internal sealed record RefValueSyntax(string Name, SourceSpan Span) : ConstValueSyntax(Span);

internal sealed record ListValueSyntax(ImmutableArray<ConstValueSyntax> Elements, SourceSpan Span) : ConstValueSyntax(Span);

internal sealed record MapEntrySyntax(ConstValueSyntax Key, ConstValueSyntax Value);

internal sealed record MapValueSyntax(ImmutableArray<MapEntrySyntax> Entries, SourceSpan Span) : ConstValueSyntax(Span);

internal sealed record FieldSyntax(
    long? Id,
    Requiredness Requiredness,
    TypeSyntax Type,
    bool IsReference,
    string Name,
    ConstValueSyntax? Default,
    ImmutableArray<AnnotationSyntax> Annotations,
    string? Doc,
    SourceSpan Span);

internal abstract record DefinitionSyntax(string Name, SourceSpan Span, string? Doc, ImmutableArray<AnnotationSyntax> Annotations);

internal sealed record ConstSyntax(string Name, TypeSyntax Type, ConstValueSyntax Value, SourceSpan Span, string? Doc, ImmutableArray<AnnotationSyntax> Annotations)
    : DefinitionSyntax(Name, Span, Doc, Annotations);

internal sealed record TypedefSyntax(string Name, TypeSyntax Target, SourceSpan Span, string? Doc, ImmutableArray<AnnotationSyntax> Annotations)
    : DefinitionSyntax(Name, Span, Doc, Annotations);

internal sealed record EnumValueSyntax(string Name, long? Value, SourceSpan Span, string? Doc, ImmutableArray<AnnotationSyntax> Annotations);

internal sealed record EnumSyntax(string Name, ImmutableArray<EnumValueSyntax> Values, SourceSpan Span, string? Doc, ImmutableArray<AnnotationSyntax> Annotations)
    : DefinitionSyntax(Name, Span, Doc, Annotations);

internal sealed record SenumSyntax(string Name, ImmutableArray<string> Values, SourceSpan Span, string? Doc, ImmutableArray<AnnotationSyntax> Annotations)
    : DefinitionSyntax(Name, Span, Doc, Annotations);

internal sealed record StructSyntax(string Name, StructKind Kind, ImmutableArray<FieldSyntax> Fields, SourceSpan Span, string? Doc, ImmutableArray<AnnotationSyntax> Annotations)
    : DefinitionSyntax(Name, Span, Doc, Annotations);

internal sealed record FunctionSyntax(
    string Name,
    bool IsOneway,
    TypeSyntax? ReturnType,
    ImmutableArray<FieldSyntax> Arguments,
    ImmutableArray<FieldSyntax> Throws,
    SourceSpan Span,
    string? Doc,
    ImmutableArray<AnnotationSyntax> Annotations);

internal sealed record ServiceSyntax(string Name, string? Extends, SourceSpan? ExtendsSpan, ImmutableArray<FunctionSyntax> Functions, SourceSpan Span, string? Doc, ImmutableArray<AnnotationSyntax> Annotations)
    : DefinitionSyntax(Name, Span, Doc, Annotations);
