using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using StreamX.CodeGen.Naming;
using StreamX.CodeGen.TypeMapping;
using StreamX.CodeGen.Views;
using StreamX.Idl.Diagnostics;
using StreamX.Idl.Model;

namespace StreamX.CodeGen;

/// <summary>The result of generation: files (empty when there are errors) and diagnostics.</summary>
public sealed record GenerationResult(ImmutableArray<GeneratedFile> Files, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>True when any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// Semantic model → C#. Every file of the model (roots and the files they include) gets its own
/// output, so references between files compile. Deterministic: same model and options, same bytes.
/// </summary>
public sealed partial class CSharpGenerator
{
    private readonly CodeGenOptions _options;
    private readonly CSharpTypeMapper _types;
    private readonly Dictionary<IdlFile, string> _namespaces = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates a generator; throws <see cref="ArgumentException"/> for invalid options.</summary>
    public CSharpGenerator(CodeGenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _types = new CSharpTypeMapper(FullName);
    }

    /// <summary>Generates C# for every file of the model.</summary>
    public GenerationResult Generate(IdlModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var diagnostics = CheckCollisions(model);
        if (diagnostics.Any(d => d.IsError))
        {
            return new GenerationResult(ImmutableArray<GeneratedFile>.Empty, diagnostics.ToImmutableArray());
        }

        var files = ImmutableArray.CreateBuilder<GeneratedFile>();
        foreach (var f in model.Files)
        {
            files.Add(new GeneratedFile(OutputLayout.TypesFileName(f.Path), TemplateEngine.RenderTypes(BuildTypesView(f)), f.Path));
            if (f.Services.Any() && (_options.GenerateClient || _options.GenerateServer))
            {
                files.Add(new GeneratedFile(OutputLayout.ServiceFileName(f.Path), TemplateEngine.RenderService(BuildServiceFileView(f)), f.Path));
            }
        }

        return new GenerationResult(files.ToImmutable(), diagnostics.ToImmutableArray());
    }

    /// <summary>The generator's own checks (C# name and output file collisions) without generating: for <c>--check</c>.</summary>
    public ImmutableArray<Diagnostic> Check(IdlModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return CheckCollisions(model).ToImmutableArray();
    }

    /// <summary>The C# namespace of an IDL file.</summary>
    public string NamespaceOf(IdlFile file)
    {
        if (!_namespaces.TryGetValue(file, out var ns))
        {
            var declared = file.CSharpNamespace;
            ns = declared is not null ? CSharpNames.Namespace(declared)
                : _options.RootNamespace is not null ? CSharpNames.Namespace(_options.RootNamespace)
                : CSharpNames.Namespace(OutputLayout.BaseName(file.Path));
            _namespaces[file] = ns;
        }

        return ns;
    }

    /// <summary><c>global::Namespace.Type</c> for a struct, union, exception or enum.</summary>
    public string FullName(NamedDefinition definition) => $"global::{NamespaceOf(definition.File)}.{CSharpNames.TypeName(definition.Name)}";

    private List<Diagnostic> CheckCollisions(IdlModel model)
    {
        var diagnostics = new List<Diagnostic>();
        var seen = new Dictionary<string, NamedDefinition>(StringComparer.Ordinal);
        foreach (var file in model.Files)
        {
            foreach (var def in file.Definitions.Where(d => d is StructModel or EnumModel or ServiceModel))
            {
                var key = FullName(def);
                if (seen.TryGetValue(key, out var first) && !ReferenceEquals(first, def))
                {
                    diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.TypeNameCollision, def.Span, key[8..], first.Span.Path, first.Span.StartLine));
                }
                else
                {
                    seen[key] = def;
                }
            }
        }

        var outputs = new Dictionary<string, IdlFile>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in model.Files)
        {
            var name = OutputLayout.TypesFileName(file.Path);
            if (outputs.TryGetValue(name, out var other))
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.OutputNameCollision, SourceSpan.FileStart(file.Path), name, other.Path));
            }
            else
            {
                outputs[name] = file;
            }
        }

        return diagnostics;
    }

    private TypesFileView BuildTypesView(IdlFile file)
    {
        var enums = file.Enums.Select(BuildEnum).ToList();
        var structs = file.Structs.Select(BuildStruct).ToList();
        var constants = file.Consts.Any() ? BuildConstants(file) : null;
        return new TypesFileView(Path.GetFileName(file.Path), GeneratorInfo.Name, GeneratorInfo.Version, NamespaceOf(file), enums, structs, constants);
    }

    private EnumView BuildEnum(EnumModel e)
    {
        var members = e.Values
            .Select(v => new EnumMemberView(DocComment(v.Doc, "    "), Obsolete(v.Annotations), CSharpNames.Escape(v.Name), v.Value.ToString(CultureInfo.InvariantCulture)))
            .ToList();
        return new EnumView(DocComment(e.Doc, string.Empty), TypeAttributes(e.Annotations), _options.Access, CSharpNames.TypeName(e.Name), members);
    }

    private ConstantsView BuildConstants(IdlFile file)
    {
        var typeNames = file.Definitions.Where(d => d is not ConstModel).Select(d => CSharpNames.TypeName(d.Name).TrimStart('@'));
        var className = new NameAllocator(typeNames).Allocate(OutputLayout.BaseName(file.Path).Replace(".", string.Empty, StringComparison.Ordinal) + "Constants");
        var members = new NameAllocator(new[] { className });
        var items = new List<ConstantView>();
        foreach (var c in file.Consts)
        {
            var name = CSharpNames.Escape(members.Allocate(c.Name));
            var type = _types.CsType(c.Type);
            var value = _types.Expression(c.Value, c.Type);
            var declaration = CSharpTypeMapper.IsCSharpConst(c.Type)
                ? $"public const {type} {name} = {value};"
                : c.Type.Resolve() is BaseTypeRef { Type: BaseType.Uuid }
                    ? $"public static readonly {type} {name} = {value};"
                    : $"public static {type} {name} => {value};";
            items.Add(new ConstantView(DocComment(c.Doc, "    "), Obsolete(c.Annotations), declaration));
        }

        return new ConstantsView(_options.Access, className, file.ProgramName, items);
    }

    private StructView BuildStruct(StructModel s) => BuildStruct(s, CSharpNames.TypeName(s.Name), FullName(s), null);

    private StructView BuildStruct(StructModel s, string name, string fullName, string? defaultDoc)
    {
        var names = MemberNames.ForStruct(s, name);
        var fields = s.Fields.Select(f => new FieldSlot(f, names[f], s)).ToList();
        var baseList = s.Kind == StructKind.Exception
            ? $"global::System.Exception, {CSharpTypeMapper.Thrift}.IThriftStruct<{fullName}>, global::System.IEquatable<{fullName}>"
            : $"{CSharpTypeMapper.Thrift}.IThriftStruct<{fullName}>, global::System.IEquatable<{fullName}>";

        string? messageOverride = null;
        if (s.Kind == StructKind.Exception
            && fields.FirstOrDefault(f => f.Field.Name == "message" && f.Field.Type.Resolve() is BaseTypeRef { Type: BaseType.String }) is { } message)
        {
            messageOverride = $"{message.Storage} ?? base.Message";
        }

        return new StructView(
            s.Doc is not null ? DocComment(s.Doc, string.Empty) : DocComment(defaultDoc, string.Empty, escape: false),
            TypeAttributes(s.Annotations),
            defaultDoc is null ? _options.Access : "public",
            name,
            fullName,
            baseList,
            s.KindName,
            fields.Select(BuildField).ToList(),
            messageOverride,
            WriteBody(s, fields),
            ReadBody(s, fields, fullName),
            fields.Count == 0 ? "true" : string.Join("\n            && ", fields.Select(EqualsTerm)),
            HashBody(fields),
            ToStringBody(s, fields));
    }

    /// <summary>How one field is stored and declared.</summary>
    private sealed class FieldSlot
    {
        public FieldSlot(FieldModel field, string property, StructModel owner)
        {
            Field = field;
            Property = property;
            IsUnion = owner.Kind == StructKind.Union;
            OwnerName = owner.Name;
            IsValueType = CSharpTypeMapper.IsValueType(field.Type);

            // Union members and optional fields are nullable: null means "not set".
            IsNullable = IsUnion || field.Requiredness == Requiredness.Optional || !IsValueType;
            HasBackingField = !IsUnion && field.Requiredness == Requiredness.Required && !IsValueType;
            Storage = HasBackingField ? "__" + property.TrimStart('@') : property;
        }

        public FieldModel Field { get; }

        public string Property { get; }

        public bool IsUnion { get; }

        public string OwnerName { get; }

        public bool IsValueType { get; }

        public bool IsNullable { get; }

        public bool HasBackingField { get; }

        /// <summary>What Write/Equals/ToString read: the property, or the backing field of a required reference.</summary>
        public string Storage { get; }

        public bool IsRequired => !IsUnion && Field.Requiredness == Requiredness.Required;
    }

    private FieldView BuildField(FieldSlot slot)
    {
        var f = slot.Field;
        var type = _types.CsType(f.Type);
        var initializer = f.Default is null ? string.Empty : " = " + _types.Expression(f.Default, f.Type) + ";";
        var lines = new List<string>();
        if (slot.HasBackingField)
        {
            var structName = CSharpNames.StringLiteral(slot.OwnerName);
            var doc = DocComment(f.Doc is null ? DefaultFieldDoc(slot) : XmlEscape(f.Doc), string.Empty, escape: false, extra: $"<exception cref=\"{CSharpTypeMapper.Thrift}.ThriftValidationException\">Read before it was set.</exception>");
            var declaration = new List<string> { $"private {type}? {slot.Storage}{(initializer.Length > 0 ? initializer : ";")}", string.Empty };
            declaration.AddRange(doc.TrimEnd('\n').Split('\n'));
            declaration.AddRange(Obsolete(f.Annotations));
            declaration.Add($"public {type} {slot.Property}");
            declaration.Add("{");
            declaration.Add($"    get => {slot.Storage} ?? throw {CSharpTypeMapper.Thrift}.ThriftValidationException.Unset({structName}, {CSharpNames.StringLiteral(f.Name)});");
            declaration.Add($"    set => {slot.Storage} = value ?? throw new global::System.ArgumentNullException(nameof(value));");
            declaration.Add("}");
            return new FieldView(string.Empty, Array.Empty<string>(), declaration);
        }

        var propertyType = slot.IsNullable ? type + "?" : type;
        return new FieldView(
            DocComment(f.Doc is null ? DefaultFieldDoc(slot) : XmlEscape(f.Doc), "    ", escape: false),
            Obsolete(f.Annotations),
            new[] { $"public {propertyType} {slot.Property} {{ get; set; }}{initializer}" });
    }

    private static string DefaultFieldDoc(FieldSlot slot)
    {
        var f = slot.Field;
        var kind = slot.IsUnion ? "Union member" : f.Requiredness switch
        {
            Requiredness.Required => "Required field",
            Requiredness.Optional => "Optional field",
            _ => "Field",
        };
        var unset = slot.IsNullable && !slot.HasBackingField ? " (null when not set)" : string.Empty;
        return $"{kind} {f.Id}: <c>{XmlEscape(f.Name)}</c>{unset}.";
    }

    private string WriteBody(StructModel s, List<FieldSlot> fields)
    {
        const string indent = "        ";
        var sb = new StringBuilder();
        var counter = 0;
        AppendUnionCheck(sb, indent, s, fields, string.Empty);
        foreach (var f in fields.Where(f => f.IsRequired && f.HasBackingField))
        {
            sb.Append(indent).Append($"if ({f.Storage} is null)").AppendLine();
            sb.Append(indent).AppendLine("{");
            sb.Append(indent).Append($"    throw {CSharpTypeMapper.Thrift}.ThriftValidationException.MissingRequired({CSharpNames.StringLiteral(s.Name)}, {CSharpNames.StringLiteral(f.Field.Name)});").AppendLine();
            sb.Append(indent).AppendLine("}");
            sb.AppendLine();
        }

        sb.Append(indent).AppendLine("writer.WriteStructBegin();");

        // Fields go on the wire in ascending id order, whatever the declaration order: every Apache Thrift
        // generator does this (get_sorted_members), so our bytes are theirs, and Compact's short (delta) field
        // headers apply as often as possible.
        foreach (var f in fields.OrderBy(f => f.Field.Id))
        {
            var id = f.Field.Id.ToString(CultureInfo.InvariantCulture);
            var begin = $"writer.WriteFieldBegin({CSharpTypeMapper.WireType(f.Field.Type)}, {id});";
            if (f.IsNullable && !f.HasBackingField)
            {
                var local = $"value{counter++}";
                sb.Append(indent).Append($"if ({f.Storage} is {{ }} {local})").AppendLine();
                sb.Append(indent).AppendLine("{");
                sb.Append(indent).Append("    ").AppendLine(begin);
                _types.Write(f.Field.Type, local, indent + "    ", sb, ref counter);
                sb.Append(indent).AppendLine("    writer.WriteFieldEnd();");
                sb.Append(indent).AppendLine("}");
            }
            else
            {
                sb.Append(indent).AppendLine(begin);
                _types.Write(f.Field.Type, f.HasBackingField ? f.Storage : f.Property, indent, sb, ref counter);
                sb.Append(indent).AppendLine("writer.WriteFieldEnd();");
            }
        }

        sb.Append(indent).AppendLine("writer.WriteFieldStop();");
        sb.Append(indent).AppendLine("writer.WriteStructEnd();");
        return sb.ToString();
    }

    private string ReadBody(StructModel s, List<FieldSlot> fields, string fullName)
    {
        const string indent = "        ";
        var sb = new StringBuilder();
        var counter = 0;
        sb.Append(indent).Append($"var result = new {fullName}();").AppendLine();

        // An absent field is unset, not its IDL default: a cleared optional field must read back cleared.
        foreach (var f in fields.Where(f => f.Field.Default is not null && f.IsNullable && !f.HasBackingField))
        {
            sb.Append(indent).Append($"result.{f.Property} = null;").AppendLine();
        }

        var required = fields.Where(f => f.IsRequired).ToList();
        foreach (var f in required)
        {
            sb.Append(indent).Append($"var isSet{f.Field.Id.ToString(CultureInfo.InvariantCulture).Replace('-', 'm')} = false;").AppendLine();
        }

        sb.Append(indent).AppendLine("reader.ReadStructBegin();");
        sb.Append(indent).AppendLine("while (true)");
        sb.Append(indent).AppendLine("{");
        sb.Append(indent).AppendLine("    var field = reader.ReadFieldBegin();");
        sb.Append(indent).AppendLine($"    if (field.Type == {CSharpTypeMapper.Thrift}.ThriftType.Stop)");
        sb.Append(indent).AppendLine("    {");
        sb.Append(indent).AppendLine("        break;");
        sb.Append(indent).AppendLine("    }");
        sb.AppendLine();
        sb.Append(indent).AppendLine("    switch (field.Id)");
        sb.Append(indent).AppendLine("    {");
        foreach (var f in fields)
        {
            var inner = indent + "                ";
            var local = $"value{counter++}";
            sb.Append(indent).Append($"        case {f.Field.Id.ToString(CultureInfo.InvariantCulture)}:").AppendLine();
            sb.Append(indent).Append($"            if (field.Type == {CSharpTypeMapper.WireType(f.Field.Type)})").AppendLine();
            sb.Append(indent).AppendLine("            {");
            _types.Read(f.Field.Type, local, inner, sb, ref counter);
            sb.Append(inner).Append($"result.{(f.HasBackingField ? f.Storage : f.Property)} = {local};").AppendLine();
            if (f.IsRequired)
            {
                sb.Append(inner).Append($"isSet{f.Field.Id.ToString(CultureInfo.InvariantCulture).Replace('-', 'm')} = true;").AppendLine();
            }

            sb.Append(indent).AppendLine("            }");
            sb.Append(indent).AppendLine("            else");
            sb.Append(indent).AppendLine("            {");
            sb.Append(indent).AppendLine("                reader.Skip(field.Type);");
            sb.Append(indent).AppendLine("            }");
            sb.AppendLine();
            sb.Append(indent).AppendLine("            break;");
        }

        sb.Append(indent).AppendLine("        default:");
        sb.Append(indent).AppendLine("            reader.Skip(field.Type);");
        sb.Append(indent).AppendLine("            break;");
        sb.Append(indent).AppendLine("    }");
        sb.AppendLine();
        sb.Append(indent).AppendLine("    reader.ReadFieldEnd();");
        sb.Append(indent).AppendLine("}");
        sb.AppendLine();
        sb.Append(indent).AppendLine("reader.ReadStructEnd();");
        foreach (var f in required)
        {
            sb.Append(indent).Append($"if (!isSet{f.Field.Id.ToString(CultureInfo.InvariantCulture).Replace('-', 'm')})").AppendLine();
            sb.Append(indent).AppendLine("{");
            sb.Append(indent).Append($"    throw {CSharpTypeMapper.Thrift}.ThriftValidationException.MissingRequired({CSharpNames.StringLiteral(s.Name)}, {CSharpNames.StringLiteral(f.Field.Name)});").AppendLine();
            sb.Append(indent).AppendLine("}");
            sb.AppendLine();
        }

        AppendUnionCheck(sb, indent, s, fields, "result.");
        sb.Append(indent).AppendLine("return result;");
        return sb.ToString();
    }

    /// <summary>A union must have exactly one field set, on write and on read.</summary>
    private static void AppendUnionCheck(StringBuilder sb, string indent, StructModel s, List<FieldSlot> fields, string owner)
    {
        if (s.Kind != StructKind.Union || fields.Count == 0)
        {
            return;
        }

        sb.Append(indent).Append("var setCount = ")
            .Append(string.Join(" + ", fields.Select(f => $"({owner}{f.Storage} is null ? 0 : 1)"))).AppendLine(";");
        sb.Append(indent).AppendLine("if (setCount != 1)");
        sb.Append(indent).AppendLine("{");
        sb.Append(indent).Append($"    throw {CSharpTypeMapper.Thrift}.ThriftValidationException.UnionSetCount({CSharpNames.StringLiteral(s.Name)}, setCount);").AppendLine();
        sb.Append(indent).AppendLine("}");
        sb.AppendLine();
    }

    private static string EqualsTerm(FieldSlot f) => f.Field.Type.Resolve() switch
    {
        ListTypeRef or SetTypeRef or MapTypeRef or BaseTypeRef { Type: BaseType.Binary } =>
            $"{CSharpTypeMapper.Thrift}.ThriftEquality.DeepEquals({f.Storage}, other.{f.Storage})",
        NamedTypeRef { Definition: StructModel } => $"global::System.Object.Equals({f.Storage}, other.{f.Storage})",
        _ => $"{f.Storage} == other.{f.Storage}",
    };

    private static string HashBody(List<FieldSlot> fields)
    {
        const string indent = "        ";
        var sb = new StringBuilder();
        sb.Append(indent).AppendLine("var hash = new global::System.HashCode();");
        foreach (var f in fields)
        {
            sb.Append(indent).Append($"hash.Add({CSharpTypeMapper.Thrift}.ThriftEquality.DeepHashCode({f.Storage}));").AppendLine();
        }

        sb.Append(indent).AppendLine("return hash.ToHashCode();");
        return sb.ToString();
    }

    private static string ToStringBody(StructModel s, List<FieldSlot> fields)
    {
        const string indent = "        ";
        var sb = new StringBuilder();
        sb.Append(indent).Append($"var text = new global::System.Text.StringBuilder({CSharpNames.StringLiteral(s.Name + "(")});").AppendLine();
        var first = true;
        foreach (var f in fields)
        {
            var label = (first ? string.Empty : ", ") + f.Property.TrimStart('@') + ": ";
            first = false;
            sb.Append(indent).Append($"text.Append({CSharpNames.StringLiteral(label)});").AppendLine();
            sb.Append(indent).Append($"{CSharpTypeMapper.Thrift}.ThriftFormatter.Append(text, {f.Storage});").AppendLine();
        }

        sb.Append(indent).AppendLine("return text.Append(')').ToString();");
        return sb.ToString();
    }

    private static IReadOnlyList<string> TypeAttributes(Annotations annotations) =>
        new[] { $"[global::System.CodeDom.Compiler.GeneratedCode(\"{GeneratorInfo.Name}\", \"{GeneratorInfo.Version}\")]" }
            .Concat(Obsolete(annotations)).ToList();

    private static IReadOnlyList<string> Obsolete(Annotations annotations)
    {
        var value = annotations.Get("deprecated");
        if (value is null)
        {
            return Array.Empty<string>();
        }

        return new[] { value.Length == 0 || value == "true" ? "[global::System.Obsolete]" : $"[global::System.Obsolete({CSharpNames.StringLiteral(value)})]" };
    }

    /// <summary>An XML doc comment block (each line indented and newline-terminated), or empty.</summary>
    /// <param name="doc">The summary text.</param>
    /// <param name="indent">Leading whitespace of each line.</param>
    /// <param name="escape">False when <paramref name="doc"/> is already XML (generated text with markup).</param>
    /// <param name="extra">An extra XML element line (e.g. an exception tag).</param>
    internal static string DocComment(string? doc, string indent, bool escape = true, string? extra = null)
    {
        if (string.IsNullOrWhiteSpace(doc) && extra is null)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(doc))
        {
            sb.Append(indent).Append("/// <summary>\n");
            foreach (var line in doc.Replace("\r\n", "\n").Split('\n'))
            {
                var text = escape ? XmlEscape(line) : line;
                sb.Append(indent).Append(text.Length == 0 ? "///" : "/// " + text).Append('\n');
            }

            sb.Append(indent).Append("/// </summary>\n");
        }

        if (extra is not null)
        {
            sb.Append(indent).Append("/// ").Append(extra).Append('\n');
        }

        return sb.ToString();
    }

    private static string XmlEscape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
