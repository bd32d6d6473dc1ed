using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using StreamX.Idl.Diagnostics;
using StreamX.Idl.Model;
using StreamX.Idl.Syntax.Ast;

namespace StreamX.Idl.Semantics;

internal sealed partial class ModelBuilder
{
    private readonly HashSet<ConstModel> _evaluating = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(ConstModel, TypeRef), (ConstValue Value, List<Diagnostic> Errors, SourceSpan? At)> _constMemo = new();
    private readonly Dictionary<ConstModel, FileState> _constFile = new(ReferenceEqualityComparer.Instance);

    /// <summary>Phase 3: constant values and field defaults, checked against their types.</summary>
    private void BindValues(FileState file)
    {
        foreach (var c in file.Model.Consts)
        {
            _constFile[c] = file;
        }

        foreach (var c in file.Model.Consts)
        {
            c.Value = EvaluateConst(c, c.Type, null);
        }

        foreach (var (field, syntax, owner, ownerName) in _pendingDefaults.Where(p => p.File == file).ToList())
        {
            field.Default = CheckValue(syntax.Default!, field.Type, owner, $"default of {ownerName}.{field.Name}", null);
        }
    }

    /// <summary>The value of a constant as the given type (references may re-type it: a list const used as a set).</summary>
    private ConstValue EvaluateConst(ConstModel c, TypeRef asType, SourceSpan? at)
    {
        if (_constMemo.TryGetValue((c, asType), out var memo))
        {
            // Every reference is its own check: errors found the first time are reported again at
            // this reference site (the value is computed once, so hostile chains stay linear).
            if (at is { } site && memo.At != site)
            {
                foreach (var d in memo.Errors)
                {
                    _diagnostics.Add(d with { Span = site });
                }
            }

            return memo.Value;
        }

        if (!_evaluating.Add(c))
        {
            Report(DiagnosticDescriptors.ConstCycle, at ?? c.Span, c.Name);
            return Placeholder(asType);
        }

        try
        {
            var syntax = (ConstSyntax)_constFile.GetValueOrDefault(c)!.SyntaxOf[c];
            var mark = _diagnostics.Count;
            var value = CheckValue(syntax.Value, asType, _constFile[c], $"constant {c.Name}", at);
            var errors = _diagnostics.Since(mark).Where(d => d.IsError && d.Id != DiagnosticDescriptors.ConstCycle.Id).ToList();
            _constMemo[(c, asType)] = (value, errors, at);
            return value;
        }
        finally
        {
            _evaluating.Remove(c);
        }
    }

    /// <summary>
    /// Checks a value against a type and normalises it. <paramref name="at"/> overrides where errors are
    /// reported (a reference site is clearer than the referenced constant's own text).
    /// </summary>
    private ConstValue CheckValue(ConstValueSyntax value, TypeRef type, FileState file, string what, SourceSpan? at)
    {
        var target = type.Resolve();
        var span = at ?? value.Span;
        if (target is ErrorTypeRef)
        {
            return Placeholder(type); // the type's own error is enough
        }

        if (value is RefValueSyntax reference)
        {
            return CheckReference(reference, type, target, file, what, at);
        }

        switch (target)
        {
            case BaseTypeRef { Type: BaseType.Bool }:
                return value switch
                {
                    BoolValueSyntax b => new BoolConstValue(b.Value),
                    IntValueSyntax { Value: 0 or 1 } i => new BoolConstValue(i.Value == 1),
                    _ => Mismatch(value, type, what, span),
                };
            case BaseTypeRef { Type: BaseType.I8 or BaseType.I16 or BaseType.I32 or BaseType.I64 } b:
                return value switch
                {
                    IntValueSyntax i => CheckRange(i.Value, b, span),
                    BoolValueSyntax bv => new IntConstValue(bv.Value ? 1 : 0),
                    _ => Mismatch(value, type, what, span),
                };
            case BaseTypeRef { Type: BaseType.Double }:
                return value switch
                {
                    IntValueSyntax i => new DoubleConstValue(i.Value),
                    DoubleValueSyntax d => new DoubleConstValue(d.Value),
                    _ => Mismatch(value, type, what, span),
                };
            case BaseTypeRef { Type: BaseType.String or BaseType.Binary }:
                return value is StringValueSyntax s ? new StringConstValue(s.Value) : Mismatch(value, type, what, span);
            case BaseTypeRef { Type: BaseType.Uuid }:
                if (value is StringValueSyntax u && Guid.TryParse(u.Value, out var guid))
                {
                    return new UuidConstValue(guid);
                }

                return Mismatch(value, type, what, span);
            case NamedTypeRef { Definition: EnumModel e }:
                if (value is IntValueSyntax ei)
                {
                    if (ei.Value is < int.MinValue or > int.MaxValue)
                    {
                        Report(DiagnosticDescriptors.ConstOutOfRange, span, ei.Value, e.Name);
                        return Placeholder(type);
                    }

                    var named = e.Values.FirstOrDefault(v => v.Value == ei.Value);
                    if (named is null)
                    {
                        Report(DiagnosticDescriptors.EnumIntegerUnknown, span, ei.Value, e.Name);
                    }

                    return new EnumConstValue(e, (int)ei.Value, named);
                }

                return Mismatch(value, type, what, span);
            case ListTypeRef or SetTypeRef:
                var element = target is ListTypeRef l ? l.Element : ((SetTypeRef)target).Element;
                if (value is ListValueSyntax list)
                {
                    return new ListConstValue(list.Elements.Select(x => CheckValue(x, element, file, what, at)).ToImmutableArray());
                }

                if (value is MapValueSyntax { Entries.Length: 0 })
                {
                    return new ListConstValue(ImmutableArray<ConstValue>.Empty);
                }

                return Mismatch(value, type, what, span);
            case MapTypeRef map:
                if (value is MapValueSyntax m)
                {
                    return new MapConstValue(m.Entries
                        .Select(x => new KeyValuePair<ConstValue, ConstValue>(CheckValue(x.Key, map.Key, file, what, at), CheckValue(x.Value, map.Value, file, what, at)))
                        .ToImmutableArray());
                }

                if (value is ListValueSyntax { Elements.Length: 0 })
                {
                    return new MapConstValue(ImmutableArray<KeyValuePair<ConstValue, ConstValue>>.Empty);
                }

                return Mismatch(value, type, what, span);
            case NamedTypeRef { Definition: StructModel st }:
                if (value is not MapValueSyntax sm)
                {
                    return Mismatch(value, type, what, span);
                }

                var fields = ImmutableArray.CreateBuilder<KeyValuePair<FieldModel, ConstValue>>();
                foreach (var entry in sm.Entries)
                {
                    if (entry.Key is not StringValueSyntax key)
                    {
                        Report(DiagnosticDescriptors.ConstTypeMismatch, at ?? entry.Key.Span, $"{what}: keys of a {st.KindName} value must be field names in quotes");
                        continue;
                    }

                    var field = st.Fields.FirstOrDefault(f => f.Name == key.Value);
                    if (field is null)
                    {
                        Report(DiagnosticDescriptors.ConstTypeMismatch, at ?? entry.Key.Span, $"{what}: {st.KindName} {st.Name} has no field '{key.Value}'");
                        continue;
                    }

                    fields.Add(new(field, CheckValue(entry.Value, field.Type, file, what, at)));
                }

                return new StructConstValue(st, fields.ToImmutable());
            default:
                return Mismatch(value, type, what, span);
        }
    }

    private ConstValue CheckReference(RefValueSyntax reference, TypeRef type, TypeRef target, FileState file, string what, SourceSpan? at)
    {
        var span = at ?? reference.Span;
        var name = reference.Name;

        // 1. A value of the expected enum: Enum.VALUE, program.Enum.VALUE, or (legacy) bare VALUE.
        if (target is NamedTypeRef { Definition: EnumModel expectedEnum })
        {
            if (FindEnumValue(name, file) is { } qualified)
            {
                if (ReferenceEquals(qualified.Enum, expectedEnum))
                {
                    return new EnumConstValue(expectedEnum, qualified.Value, qualified);
                }

                // Thrift accepts a value of another enum and uses its number: allowed, but worth a warning.
                if (expectedEnum.Values.All(v => v.Name != name[(name.LastIndexOf('.') + 1)..]))
                {
                    Report(DiagnosticDescriptors.EnumValueOfOtherEnum, span, name, qualified.Enum.Name, expectedEnum.Name, qualified.Value);
                    var named = expectedEnum.Values.FirstOrDefault(v => v.Value == qualified.Value);
                    return new EnumConstValue(expectedEnum, qualified.Value, named);
                }
            }

            // Apache Thrift resolves the last segment in the expected enum: `FoobarEnum.Val_1` for an
            // enum from an include (THRIFT-5382), bare `ONE` (old Cassandra), even `MyEnum1.ME2_2`
            // for a MyEnum2 field (EnumTest). Only the forms that do not name the enum get a warning.
            var dot = name.LastIndexOf('.');
            var prefix = dot < 0 ? null : name[..dot];
            if (expectedEnum.Values.FirstOrDefault(v => v.Name == name[(dot + 1)..]) is { } byLastSegment)
            {
                var namesEnum = prefix is not null && (prefix == expectedEnum.Name || prefix.EndsWith("." + expectedEnum.Name, StringComparison.Ordinal));
                if (!namesEnum)
                {
                    Report(DiagnosticDescriptors.UnqualifiedEnumValue, span, name, expectedEnum.Name, byLastSegment.Name);
                }

                return new EnumConstValue(expectedEnum, byLastSegment.Value, byLastSegment);
            }
        }

        // 2. Another constant (re-checked as the expected type, so a list const can initialise a set).
        if (FindDefinition(name, file, f => f.Consts) is { } constant)
        {
            return EvaluateConst(constant, type, span);
        }

        // 3. An enum value used as an integer (or any other type: Mismatch says so).
        if (FindEnumValue(name, file) is { } enumValue)
        {
            return target switch
            {
                BaseTypeRef { Type: BaseType.I8 or BaseType.I16 or BaseType.I32 or BaseType.I64 } b => CheckRange(enumValue.Value, b, span),
                BaseTypeRef { Type: BaseType.Double } => new DoubleConstValue(enumValue.Value),
                _ => Mismatch(reference, type, what, span),
            };
        }

        // 4. Something that is not a value at all.
        if (FindDefinition(name, file, f => f.Services) is not null)
        {
            Report(DiagnosticDescriptors.NotAValue, span, name, "service");
        }
        else if (FindDefinition(name, file, f => f.Types) is { } typeDef)
        {
            Report(DiagnosticDescriptors.NotAValue, span, name, typeDef.KindName);
        }
        else
        {
            Report(DiagnosticDescriptors.UnknownConstant, span, name);
        }

        return Placeholder(type);
    }

    private static EnumValueModel? FindEnumValue(string name, FileState file)
    {
        var dot = name.LastIndexOf('.');
        if (dot <= 0)
        {
            return null;
        }

        return FindDefinition(name[..dot], file, f => f.Types) is EnumModel e
            ? e.Values.FirstOrDefault(v => v.Name == name[(dot + 1)..])
            : null;
    }

    private ConstValue CheckRange(long value, BaseTypeRef type, SourceSpan span)
    {
        var (min, max) = type.Type switch
        {
            BaseType.I8 => (sbyte.MinValue, sbyte.MaxValue),
            BaseType.I16 => (short.MinValue, short.MaxValue),
            BaseType.I32 => (int.MinValue, int.MaxValue),
            _ => (long.MinValue, long.MaxValue),
        };
        if (value < min || value > max)
        {
            Report(DiagnosticDescriptors.ConstOutOfRange, span, value, type.DisplayName);
            return new IntConstValue(0);
        }

        return new IntConstValue(value);
    }

    private ConstValue Mismatch(ConstValueSyntax value, TypeRef type, string what, SourceSpan span)
    {
        Report(DiagnosticDescriptors.ConstTypeMismatch, span, $"{what} is declared {type.DisplayName} but the value is {Describe(value)}");
        return Placeholder(type);
    }

    private static string Describe(ConstValueSyntax value) => value switch
    {
        IntValueSyntax i => $"the integer {i.Value.ToString(CultureInfo.InvariantCulture)}",
        DoubleValueSyntax d => $"the double {d.Value.ToString("R", CultureInfo.InvariantCulture)}",
        StringValueSyntax s => $"the string \"{Truncate(s.Value)}\"",
        BoolValueSyntax b => b.Value ? "true" : "false",
        RefValueSyntax r => $"'{r.Name}'",
        ListValueSyntax => "a list",
        MapValueSyntax => "a map",
        _ => "a value",
    };

    private static string Truncate(string s)
    {
        var sb = new StringBuilder();
        foreach (var c in s.Take(40))
        {
            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        return s.Length > 40 ? sb + "…" : sb.ToString();
    }

    /// <summary>A well-typed stand-in after an error, so later phases need no null checks (no model is returned anyway).</summary>
    private static ConstValue Placeholder(TypeRef type) => type.Resolve() switch
    {
        BaseTypeRef { Type: BaseType.Bool } => new BoolConstValue(false),
        BaseTypeRef { Type: BaseType.Double } => new DoubleConstValue(0),
        BaseTypeRef { Type: BaseType.String or BaseType.Binary } => new StringConstValue(string.Empty),
        BaseTypeRef { Type: BaseType.Uuid } => new UuidConstValue(Guid.Empty),
        BaseTypeRef => new IntConstValue(0),
        ListTypeRef or SetTypeRef => new ListConstValue(ImmutableArray<ConstValue>.Empty),
        MapTypeRef => new MapConstValue(ImmutableArray<KeyValuePair<ConstValue, ConstValue>>.Empty),
        NamedTypeRef { Definition: EnumModel e } => new EnumConstValue(e, 0, null),
        NamedTypeRef { Definition: StructModel s } => new StructConstValue(s, ImmutableArray<KeyValuePair<FieldModel, ConstValue>>.Empty),
        _ => new IntConstValue(0),
    };
}
