using System.Collections.Immutable;
using StreamX.Idl.Diagnostics;
using StreamX.Idl.Model;
using StreamX.Idl.Syntax.Ast;

namespace StreamX.Idl.Semantics;

internal sealed partial class ModelBuilder
{
    private readonly List<(FieldModel Field, FieldSyntax Syntax, FileState File, string Owner)> _pendingDefaults = new();

    /// <summary>Phase 1: create a model object per definition and enter it in its file's scope.</summary>
    private void Declare(FileState file)
    {
        var syntax = file.Syntax!;
        file.Model.Namespaces = syntax.Namespaces
            .Select(n => new NamespaceModel(n.Scope, n.Name, ToAnnotations(n.Annotations), n.Span))
            .ToImmutableArray();

        var definitions = ImmutableArray.CreateBuilder<NamedDefinition>();
        foreach (var def in syntax.Definitions)
        {
            var annotations = ToAnnotations(def.Annotations);
            NamedDefinition model = def switch
            {
                StructSyntax s => new StructModel(s.Name, s.Kind, s.Span, s.Doc, annotations),
                EnumSyntax e => new EnumModel(e.Name, e.Span, e.Doc, annotations),
                TypedefSyntax or SenumSyntax => new TypedefModel(def.Name, def.Span, def.Doc, annotations),
                ConstSyntax => new ConstModel(def.Name, def.Span, def.Doc, annotations),
                ServiceSyntax => new ServiceModel(def.Name, def.Span, def.Doc, annotations),
                _ => throw new InvalidOperationException(def.GetType().Name),
            };
            model.File = file.Model;

            if (model is ConstModel constModel)
            {
                if (file.Consts.TryGetValue(def.Name, out var previous))
                {
                    Report(DiagnosticDescriptors.DuplicateDefinition, def.Span, def.Name, previous.Span.StartLine);
                    continue;
                }

                file.Consts.Add(def.Name, constModel);
            }
            else
            {
                NamedDefinition? previous = file.Types.TryGetValue(def.Name, out var t) ? t : file.Services.GetValueOrDefault(def.Name);
                if (previous is not null)
                {
                    Report(DiagnosticDescriptors.DuplicateDefinition, def.Span, def.Name, previous.Span.StartLine);
                    continue;
                }

                if (model is ServiceModel service)
                {
                    file.Services.Add(def.Name, service);
                }
                else
                {
                    file.Types.Add(def.Name, model);
                }
            }

            file.SyntaxOf[model] = def;
            definitions.Add(model);
        }

        file.Model.Definitions = definitions.ToImmutable();
    }

    /// <summary>Phase 2: resolve every type reference, build fields and enum values.</summary>
    private void BindTypes(FileState file)
    {
        foreach (var model in file.Model.Definitions)
        {
            switch (model, file.SyntaxOf[model])
            {
                case (TypedefModel t, TypedefSyntax s):
                    t.Target = ResolveType(s.Target, file);
                    break;
                case (TypedefModel t, SenumSyntax):
                    t.Target = new BaseTypeRef(BaseType.String, Model.Annotations.Empty);
                    break;
                case (StructModel m, StructSyntax s):
                    m.Fields = BuildFields(s.Fields, $"{m.KindName} {m.Name}", file, m.Kind == StructKind.Union, deferDefaults: true);
                    break;
                case (EnumModel e, EnumSyntax s):
                    e.Values = BuildEnumValues(e, s);
                    break;
                case (ConstModel c, ConstSyntax s):
                    c.Type = ResolveType(s.Type, file);
                    break;
            }
        }

        BreakTypedefCycles(file);
    }

    private ImmutableArray<EnumValueModel> BuildEnumValues(EnumModel owner, EnumSyntax syntax)
    {
        var values = ImmutableArray.CreateBuilder<EnumValueModel>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long next = 0;
        foreach (var v in syntax.Values)
        {
            var value = v.Value ?? next;
            if (value is < int.MinValue or > int.MaxValue)
            {
                Report(DiagnosticDescriptors.EnumValueOutOfRange, v.Span, value, $"{owner.Name}.{v.Name}");
                value = 0;
            }

            next = value + 1;
            if (!names.Add(v.Name))
            {
                Report(DiagnosticDescriptors.DuplicateEnumValue, v.Span, v.Name, owner.Name);
                continue;
            }

            values.Add(new EnumValueModel(owner, v.Name, (int)value, v.Span, v.Doc, ToAnnotations(v.Annotations)));
        }

        return values.ToImmutable();
    }

    /// <summary>Builds fields, arguments or throws entries: ids (explicit or Thrift's implicit negative ones), duplicates, types.</summary>
    private ImmutableArray<FieldModel> BuildFields(ImmutableArray<FieldSyntax> fields, string owner, FileState file, bool isUnion, bool deferDefaults)
    {
        var result = ImmutableArray.CreateBuilder<FieldModel>();
        var byId = new Dictionary<int, string>();
        var byName = new HashSet<string>(StringComparer.Ordinal);
        var implicitId = -1;
        foreach (var f in fields)
        {
            int id;
            var isImplicit = f.Id is null;
            if (f.Id is { } explicitId)
            {
                if (explicitId is < short.MinValue or > short.MaxValue)
                {
                    Report(DiagnosticDescriptors.FieldIdOutOfRange, f.Span, explicitId, owner);
                    id = 0;
                }
                else
                {
                    id = (int)explicitId;
                    if (id < 0)
                    {
                        Report(DiagnosticDescriptors.NegativeFieldId, f.Span, f.Name, id);
                    }
                }
            }
            else
            {
                id = implicitId--;
                Report(DiagnosticDescriptors.ImplicitFieldId, f.Span, f.Name, id);
            }

            var requiredness = f.Requiredness;
            if (isUnion && requiredness == Requiredness.Required)
            {
                Report(DiagnosticDescriptors.RequiredUnionField, f.Span, f.Name);
                requiredness = Requiredness.Optional;
            }

            var field = new FieldModel(id, isImplicit, f.Name, requiredness, ResolveType(f.Type, file), f.IsReference, f.Span, f.Doc, ToAnnotations(f.Annotations));
            if (byId.TryGetValue(id, out var other))
            {
                Report(DiagnosticDescriptors.DuplicateFieldId, f.Span, id, owner, other);
                continue;
            }

            if (!byName.Add(f.Name))
            {
                Report(DiagnosticDescriptors.DuplicateFieldName, f.Span, f.Name, owner);
                continue;
            }

            byId.Add(id, f.Name);
            result.Add(field);
            if (f.Default is not null)
            {
                if (deferDefaults)
                {
                    _pendingDefaults.Add((field, f, file, owner));
                }
                else
                {
                    field.Default = CheckValue(f.Default, field.Type, file, $"default of {owner}.{f.Name}", null);
                }
            }
        }

        return result.ToImmutable();
    }

    /// <summary>Resolves a type as written; unknown names are reported and replaced by an error type so binding goes on.</summary>
    private TypeRef ResolveType(TypeSyntax syntax, FileState file)
    {
        var annotations = ToAnnotations(syntax.Annotations);
        switch (syntax)
        {
            case BaseTypeSyntax b:
                return new BaseTypeRef(b.Type, annotations);
            case ListTypeSyntax l:
                return new ListTypeRef(ResolveType(l.Element, file), annotations);
            case SetTypeSyntax s:
                return new SetTypeRef(ResolveType(s.Element, file), annotations);
            case MapTypeSyntax m:
                return new MapTypeRef(ResolveType(m.Key, file), ResolveType(m.Value, file), annotations);
            case NamedTypeSyntax n:
                var def = FindDefinition(n.Name, file, f => f.Types) ;
                if (def is not null)
                {
                    return new NamedTypeRef(def);
                }

                var service = FindDefinition(n.Name, file, f => f.Services);
                if (service is not null)
                {
                    Report(DiagnosticDescriptors.NotAType, n.Span, n.Name, "service");
                }
                else if (FindDefinition(n.Name, file, f => f.Consts) is not null)
                {
                    Report(DiagnosticDescriptors.NotAType, n.Span, n.Name, "constant");
                }
                else
                {
                    Report(DiagnosticDescriptors.UnknownType, n.Span, n.Name);
                }

                return new ErrorTypeRef(n.Name);
            default:
                throw new InvalidOperationException(syntax.GetType().Name);
        }
    }

    /// <summary>
    /// Looks a name up in a file's scope, or as <c>program.Name</c> in an included file. Program
    /// names may contain dots (<c>a.b.c.thrift</c>), so the longest matching prefix wins.
    /// </summary>
    private static T? FindDefinition<T>(string name, FileState file, Func<FileState, Dictionary<string, T>> scope)
        where T : class
    {
        if (scope(file).TryGetValue(name, out var local))
        {
            return local;
        }

        if (!name.Contains('.'))
        {
            return null;
        }

        T? best = null;
        var bestLength = -1;
        foreach (var candidate in file.Includes.Select(i => i.Target).Append(file))
        {
            var prefix = candidate.ProgramName + ".";
            if (prefix.Length > bestLength && name.StartsWith(prefix, StringComparison.Ordinal) && scope(candidate).TryGetValue(name[prefix.Length..], out var found))
            {
                best = found;
                bestLength = prefix.Length;
            }
        }

        return best;
    }

    /// <summary>
    /// A typedef that reaches itself through typedefs and containers (<c>typedef list&lt;Loop&gt; Loop</c>)
    /// is an infinite type. Recursion through a struct is fine (<c>typedef list&lt;Tree&gt; Forest</c>), so
    /// the search stops at structs. An iterative depth-first search, linear in the typedefs: a hostile
    /// file can chain 100,000 typedefs, and a recursive walk would overflow the stack (uncatchable).
    /// </summary>
    private void BreakTypedefCycles(FileState file)
    {
        var state = new Dictionary<TypedefModel, bool>(ReferenceEqualityComparer.Instance); // false: on the path, true: done
        foreach (var root in file.Model.Typedefs)
        {
            if (state.ContainsKey(root))
            {
                continue;
            }

            var path = new Stack<(TypedefModel Typedef, IEnumerator<TypedefModel> Next)>();
            state[root] = false;
            path.Push((root, AliasedTypedefs(root.Target, file).GetEnumerator()));
            while (path.Count > 0)
            {
                var (current, next) = path.Peek();
                if (!next.MoveNext())
                {
                    state[current] = true;
                    path.Pop();
                    continue;
                }

                var target = next.Current;
                if (!state.TryGetValue(target, out var done))
                {
                    state[target] = false;
                    path.Push((target, AliasedTypedefs(target.Target, file).GetEnumerator()));
                }
                else if (!done)
                {
                    Report(DiagnosticDescriptors.TypedefCycle, target.Span, target.Name);
                    target.Target = new ErrorTypeRef(target.Name);
                }
            }
        }
    }

    /// <summary>The typedefs of this file that a type names directly or as a container element.</summary>
    private static IEnumerable<TypedefModel> AliasedTypedefs(TypeRef? type, FileState file)
    {
        var work = new Stack<TypeRef?>();
        work.Push(type);
        while (work.Count > 0)
        {
            switch (work.Pop())
            {
                case NamedTypeRef { Definition: TypedefModel t } when ReferenceEquals(t.File, file.Model):
                    yield return t;
                    break;
                case ListTypeRef l:
                    work.Push(l.Element);
                    break;
                case SetTypeRef s:
                    work.Push(s.Element);
                    break;
                case MapTypeRef m:
                    work.Push(m.Value);
                    work.Push(m.Key);
                    break;
            }
        }
    }

    private Annotations ToAnnotations(ImmutableArray<AnnotationSyntax> syntax)
    {
        if (syntax.IsDefaultOrEmpty)
        {
            return Model.Annotations.Empty;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in syntax)
        {
            if (!seen.Add(a.Key) && a.Key != StreamingModeKey)
            {
                Report(DiagnosticDescriptors.DuplicateAnnotation, a.Span, a.Key);
            }
        }

        return new Annotations(syntax.Select(a => new AnnotationModel(a.Key, a.Value, a.Span)).ToImmutableArray());
    }
}
