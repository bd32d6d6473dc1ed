using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using System.Text;
using Antlr4.Runtime;
using StreamX.Idl.Diagnostics;
using StreamX.Idl.Model;
using StreamX.Idl.Syntax.Ast;
using StreamX.Idl.Syntax.Generated;
using P = StreamX.Idl.Syntax.Generated.ThriftParser;

namespace StreamX.Idl.Syntax;

/// <summary>ANTLR parse tree → immutable <see cref="DocumentSyntax"/>. Runs only on trees without syntax errors.</summary>
internal sealed class SyntaxTreeBuilder
{
    private const int DocChannel = 2;
    private readonly string _path;
    private readonly CommonTokenStream _tokens;
    private readonly DiagnosticBag _diagnostics;

    public SyntaxTreeBuilder(string path, CommonTokenStream tokens, DiagnosticBag diagnostics)
    {
        _path = path;
        _tokens = tokens;
        _diagnostics = diagnostics;
    }

    public DocumentSyntax Build(P.DocumentContext document)
    {
        var includes = ImmutableArray.CreateBuilder<IncludeSyntax>();
        var namespaces = ImmutableArray.CreateBuilder<NamespaceSyntax>();
        var definitions = ImmutableArray.CreateBuilder<DefinitionSyntax>();
        foreach (var child in document.children ?? new List<Antlr4.Runtime.Tree.IParseTree>())
        {
            switch (child)
            {
                case P.HeaderContext header:
                    if (definitions.Count > 0)
                    {
                        _diagnostics.Add(DiagnosticDescriptors.HeaderAfterDefinition, Span(header.Start), header.Start.Text);
                    }

                    BuildHeader(header, includes, namespaces);
                    break;
                case P.DefinitionContext definition:
                    definitions.Add(BuildDefinition(definition));
                    break;
            }
        }

        return new DocumentSyntax(_path, includes.ToImmutable(), namespaces.ToImmutable(), definitions.ToImmutable());
    }

    private void BuildHeader(P.HeaderContext header, ImmutableArray<IncludeSyntax>.Builder includes, ImmutableArray<NamespaceSyntax>.Builder namespaces)
    {
        if (header.includeDecl() is { } include)
        {
            includes.Add(new IncludeSyntax(Literal(include.LITERAL().Symbol), Span(include.LITERAL().Symbol)));
            return;
        }

        if (header.cppInclude() is not null)
        {
            return; // names a C++ header, not a Thrift file
        }

        switch (header.namespaceDecl())
        {
            case P.StandardNamespaceContext ns:
                var scope = ns.namespaceScope().STAR() is not null ? "*" : ns.namespaceScope().identifier().GetText();
                namespaces.Add(new NamespaceSyntax(scope, NamespaceName(ns.namespaceName()), Annotations(ns.annotations()), Span(ns.Start)));
                break;
            case P.LegacyNamespaceContext legacy:
                var keyword = legacy.LEGACY_NAMESPACE().GetText();
                var legacyScope = keyword switch
                {
                    "cpp_namespace" => "cpp",
                    "php_namespace" => "php",
                    "py_module" => "py",
                    "perl_package" => "perl",
                    "ruby_namespace" => "rb",
                    "java_package" => "java",
                    "cocoa_prefix" => "cocoa",
                    "csharp_namespace" => "csharp",
                    _ => "delphi",
                };
                var name = NamespaceName(legacy.namespaceName());
                _diagnostics.Add(DiagnosticDescriptors.LegacyNamespace, Span(legacy.Start), keyword, legacyScope, name);
                namespaces.Add(new NamespaceSyntax(legacyScope, name, ImmutableArray<AnnotationSyntax>.Empty, Span(legacy.Start)));
                break;
            case P.XsdNamespaceContext xsd:
                namespaces.Add(new NamespaceSyntax("xsd", Literal(xsd.LITERAL().Symbol), ImmutableArray<AnnotationSyntax>.Empty, Span(xsd.Start)));
                break;
            case P.SmalltalkCategoryContext st:
                namespaces.Add(new NamespaceSyntax("smalltalk.category", st.stIdentifier().GetText(), ImmutableArray<AnnotationSyntax>.Empty, Span(st.Start)));
                break;
            case P.SmalltalkPrefixContext sp:
                namespaces.Add(new NamespaceSyntax("smalltalk.prefix", sp.identifier().GetText(), ImmutableArray<AnnotationSyntax>.Empty, Span(sp.Start)));
                break;
        }
    }

    private string NamespaceName(P.NamespaceNameContext context) =>
        context.LITERAL() is { } literal ? Literal(literal.Symbol) : context.identifier().GetText();

    private DefinitionSyntax BuildDefinition(P.DefinitionContext definition)
    {
        var doc = DocBefore(definition.Start);
        switch (definition.GetChild(0))
        {
            case P.ConstDefContext c:
                return new ConstSyntax(c.identifier().GetText(), BuildType(c.fieldType()), BuildValue(c.constValue()), Span(c.identifier().Start), doc, Annotations(c.annotations()));
            case P.TypedefDefContext t:
                return new TypedefSyntax(t.identifier().GetText(), BuildType(t.fieldType()), Span(t.identifier().Start), doc, Annotations(t.annotations()));
            case P.EnumDefContext e:
                return new EnumSyntax(
                    e.identifier().GetText(),
                    e.enumValue().Select(v => new EnumValueSyntax(
                        v.identifier().GetText(),
                        v.integer() is { } i ? Integer(i) : null,
                        Span(v.identifier().Start),
                        DocBefore(v.Start),
                        Annotations(v.annotations()))).ToImmutableArray(),
                    Span(e.identifier().Start),
                    doc,
                    Annotations(e.annotations()));
            case P.SenumDefContext s:
                _diagnostics.Add(DiagnosticDescriptors.SenumDeprecated, Span(s.Start), s.identifier().GetText());
                return new SenumSyntax(s.identifier().GetText(), s.LITERAL().Select(l => Literal(l.Symbol)).ToImmutableArray(), Span(s.identifier().Start), doc, Annotations(s.annotations()));
            case P.StructDefContext st:
                XsdAll(st.XSD_ALL());
                return new StructSyntax(st.identifier().GetText(), StructKind.Struct, Fields(st.field()), Span(st.identifier().Start), doc, Annotations(st.annotations()));
            case P.UnionDefContext u:
                XsdAll(u.XSD_ALL());
                return new StructSyntax(u.identifier().GetText(), StructKind.Union, Fields(u.field()), Span(u.identifier().Start), doc, Annotations(u.annotations()));
            case P.ExceptionDefContext ex:
                return new StructSyntax(ex.identifier().GetText(), StructKind.Exception, Fields(ex.field()), Span(ex.identifier().Start), doc, Annotations(ex.annotations()));
            case P.ServiceDefContext sv:
                var ids = sv.identifier();
                return new ServiceSyntax(
                    ids[0].GetText(),
                    ids.Length > 1 ? ids[1].GetText() : null,
                    ids.Length > 1 ? Span(ids[1].Start) : null,
                    sv.function().Select(BuildFunction).ToImmutableArray(),
                    Span(ids[0].Start),
                    doc,
                    Annotations(sv.annotations()));
            default:
                throw new InvalidOperationException($"unhandled definition {definition.GetChild(0)?.GetType().Name}");
        }
    }

    private void XsdAll(Antlr4.Runtime.Tree.ITerminalNode? node)
    {
        if (node is not null)
        {
            _diagnostics.Add(DiagnosticDescriptors.XsdIgnored, Span(node.Symbol), node.GetText());
        }
    }

    private FunctionSyntax BuildFunction(P.FunctionContext f)
    {
        var returnType = f.functionType().VOID() is not null ? null : BuildType(f.functionType().fieldType());
        return new FunctionSyntax(
            f.identifier().GetText(),
            f.ONEWAY() is not null,
            returnType,
            Fields(f.field()),
            f.throwsList() is { } t ? Fields(t.field()) : ImmutableArray<FieldSyntax>.Empty,
            Span(f.identifier().Start),
            DocBefore(f.Start),
            Annotations(f.annotations()));
    }

    private ImmutableArray<FieldSyntax> Fields(P.FieldContext[] fields) => fields.Select(BuildField).ToImmutableArray();

    private FieldSyntax BuildField(P.FieldContext f)
    {
        var options = f.xsdFieldOptions();
        if (options.XSD_OPTIONAL() is { } xo)
        {
            XsdAll(xo);
        }

        if (options.XSD_NILLABLE() is { } xn)
        {
            XsdAll(xn);
        }

        if (options.XSD_ATTRS() is { } xa)
        {
            XsdAll(xa);
        }

        var requiredness = f.fieldReq() switch
        {
            null => Requiredness.Default,
            var r when r.REQUIRED() is not null => Requiredness.Required,
            _ => Requiredness.Optional,
        };
        return new FieldSyntax(
            f.fieldId() is { } id ? Integer(id.integer()) : null,
            requiredness,
            BuildType(f.fieldType()),
            f.AMP() is not null,
            f.identifier().GetText(),
            f.constValue() is { } v ? BuildValue(v) : null,
            Annotations(f.annotations()),
            DocBefore(f.Start),
            Span(f.identifier().Start));
    }

    private TypeSyntax BuildType(P.FieldTypeContext t)
    {
        var annotations = Annotations(t.annotations());
        var span = Span(t.Start);
        if (t.baseType() is { } b)
        {
            var type = b.Start.Type switch
            {
                ThriftLexer.BOOL => BaseType.Bool,
                ThriftLexer.BYTE or ThriftLexer.I8 => BaseType.I8,
                ThriftLexer.I16 => BaseType.I16,
                ThriftLexer.I32 => BaseType.I32,
                ThriftLexer.I64 => BaseType.I64,
                ThriftLexer.DOUBLE => BaseType.Double,
                ThriftLexer.BINARY => BaseType.Binary,
                ThriftLexer.UUID => BaseType.Uuid,
                _ => BaseType.String,
            };
            if (b.SLIST() is not null)
            {
                _diagnostics.Add(DiagnosticDescriptors.SlistDeprecated, span);
            }

            return new BaseTypeSyntax(type, annotations, span);
        }

        if (t.identifier() is { } id)
        {
            return new NamedTypeSyntax(id.GetText(), annotations, span);
        }

        return t.containerType() switch
        {
            P.MapTypeContext m => new MapTypeSyntax(BuildType(m.fieldType(0)), BuildType(m.fieldType(1)), annotations, span),
            P.SetTypeContext s => new SetTypeSyntax(BuildType(s.fieldType()), annotations, span),
            P.ListTypeContext l => new ListTypeSyntax(BuildType(l.fieldType()), annotations, span),
            var other => throw new InvalidOperationException($"unhandled container {other?.GetType().Name}"),
        };
    }

    private ConstValueSyntax BuildValue(P.ConstValueContext v)
    {
        var span = Span(v.Start);
        return v switch
        {
            P.IntConstContext i => new IntValueSyntax(Integer(i.integer()) ?? 0, span),
            P.DoubleConstContext d => new DoubleValueSyntax(Double(d.DOUBLE_LITERAL().Symbol), span),
            P.StringConstContext s => new StringValueSyntax(Literal(s.LITERAL().Symbol), span),
            P.BoolConstContext b => new BoolValueSyntax(b.TRUE() is not null, span),
            P.RefConstContext r => new RefValueSyntax(r.identifier().GetText(), span),
            P.ListConstContext l => new ListValueSyntax(l.constValue().Select(BuildValue).ToImmutableArray(), span),
            P.MapConstContext m => new MapValueSyntax(
                Enumerable.Range(0, m.constValue().Length / 2)
                    .Select(k => new MapEntrySyntax(BuildValue(m.constValue(2 * k)), BuildValue(m.constValue((2 * k) + 1))))
                    .ToImmutableArray(),
                span),
            _ => throw new InvalidOperationException($"unhandled value {v.GetType().Name}"),
        };
    }

    private ImmutableArray<AnnotationSyntax> Annotations(P.AnnotationsContext? context)
    {
        if (context is null)
        {
            return ImmutableArray<AnnotationSyntax>.Empty;
        }

        return context.annotation()
            .Select(a => new AnnotationSyntax(a.identifier().GetText(), a.LITERAL() is { } l ? Literal(l.Symbol) : null, Span(a.Start)))
            .ToImmutableArray();
    }

    private long? Integer(P.IntegerContext context)
    {
        var token = context.Start;
        var text = token.Text;
        var negative = text.StartsWith('-');
        var body = text.TrimStart('+', '-');
        BigInteger value;
        if (context.HEX_LITERAL() is not null)
        {
            value = BigInteger.Parse("0" + body[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }
        else
        {
            value = BigInteger.Parse(body, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        if (negative)
        {
            value = -value;
        }

        if (value < long.MinValue || value > long.MaxValue)
        {
            _diagnostics.Add(DiagnosticDescriptors.IntegerOutOfRange, Span(token), text);
            return null;
        }

        return (long)value;
    }

    private double Double(IToken token)
    {
        if (double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            return d;
        }

        _diagnostics.Add(DiagnosticDescriptors.InvalidDouble, Span(token), token.Text);
        return 0;
    }

    private string Literal(IToken token)
    {
        var text = token.Text;
        var body = text.AsSpan(1, text.Length - 2);
        if (body.IndexOf('\\') < 0)
        {
            return body.ToString();
        }

        var sb = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c != '\\' || i + 1 >= body.Length)
            {
                sb.Append(c);
                continue;
            }

            var e = body[++i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case '"': sb.Append('"'); break;
                case '\'': sb.Append('\''); break;
                case '\\': sb.Append('\\'); break;
                default:
                    var at = new SourceSpan(_path, token.Line, token.Column + 1 + 1 + i - 1, token.Line, token.Column + 1 + 1 + i + 1);
                    _diagnostics.Add(DiagnosticDescriptors.InvalidEscape, at, e);
                    sb.Append(e);
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>The nearest <c>/** … */</c> among the comments and blanks right before a token.</summary>
    private string? DocBefore(IToken start)
    {
        for (var i = start.TokenIndex - 1; i >= 0; i--)
        {
            var t = _tokens.Get(i);
            if (t.Channel == TokenConstants.DefaultChannel)
            {
                return null;
            }

            if (t.Channel == DocChannel)
            {
                return CleanDoc(t.Text);
            }
        }

        return null;
    }

    internal static string? CleanDoc(string raw)
    {
        var body = raw.Length >= 5 ? raw[3..^2] : string.Empty;
        var lines = body.Replace("\r\n", "\n").Split('\n')
            .Select(l =>
            {
                var trimmed = l.TrimStart();
                if (trimmed.StartsWith('*'))
                {
                    trimmed = trimmed[1..];
                    return trimmed.StartsWith(' ') ? trimmed[1..] : trimmed;
                }

                return l.Trim();
            })
            .Select(l => l.TrimEnd())
            .ToList();
        while (lines.Count > 0 && lines[0].Length == 0)
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines.Count == 0 ? null : string.Join("\n", lines);
    }

    private SourceSpan Span(IToken token) => ThriftSyntaxParser.Span(_path, token);
}
