using System.Text;

namespace StreamX.CodeGen.Naming;

/// <summary>C# identifier rules: keywords, escaping, PascalCase conversion.</summary>
public static class CSharpNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    // Contextual keywords that break code when used as a type name (CS9029 'record', 'var' …).
    private static readonly HashSet<string> ReservedTypeNames = new(StringComparer.Ordinal)
    {
        "var", "dynamic", "record", "file", "scoped", "required", "field", "value", "nameof", "_",
    };

    /// <summary>True for reserved C# keywords.</summary>
    public static bool IsKeyword(string name) => Keywords.Contains(name);

    // Contextual keywords that cannot name a parameter or local in every position (await in async methods …).
    private static readonly HashSet<string> ContextualLocals = new(StringComparer.Ordinal)
    {
        "await", "async", "var", "dynamic", "nameof", "yield", "value", "when", "and", "or", "not", "with", "args", "_",
    };

    /// <summary>A parameter or local name: keywords and contextual keywords get <c>@</c>.</summary>
    public static string EscapeLocal(string name) => Keywords.Contains(name) || ContextualLocals.Contains(name) ? "@" + name : name;

    /// <summary>Escapes a keyword with <c>@</c>; other names are returned unchanged.</summary>
    public static string Escape(string name) => Keywords.Contains(name) ? "@" + name : name;

    /// <summary>
    /// A safe C# type name: keywords get <c>@</c>; contextual keywords that C# forbids as type names
    /// (<c>var</c>, <c>record</c> …) get a trailing underscore.
    /// </summary>
    public static string TypeName(string name)
    {
        if (ReservedTypeNames.Contains(name))
        {
            return name + "_";
        }

        // All-lowercase ASCII type names draw CS8981 (reserved for future keywords); the verbatim
        // form keeps the IDL's name and tells the compiler it is deliberate.
        return Keywords.Contains(name) || name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')
            ? "@" + name
            : name;
    }

    /// <summary>A namespace with every segment escaped (<c>Thrift5795.default</c> → <c>Thrift5795.@default</c>).</summary>
    public static string Namespace(string ns) => string.Join('.', ns.Split('.', StringSplitOptions.RemoveEmptyEntries).Select(Escape));

    /// <summary>
    /// PascalCase for members: <c>user_id</c> → <c>UserId</c>, <c>message</c> → <c>Message</c>,
    /// <c>SECOND_CHANCE</c> → <c>SecondChance</c>; leading and trailing underscores are kept
    /// (<c>ClassAndProp_</c> stays distinct from <c>ClassAndProp</c>).
    /// </summary>
    public static string ToPascal(string name)
    {
        if (name.Length == 0)
        {
            return name;
        }

        var leading = name.Length - name.TrimStart('_').Length;
        var core = name.Trim('_');
        var trailing = core.Length == 0 ? 0 : name.Length - name.TrimEnd('_').Length;
        if (core.Length == 0)
        {
            return "_" + name;
        }

        var allUpper = !core.Any(char.IsLower) && core.Any(char.IsUpper);
        var sb = new StringBuilder(name.Length);
        sb.Append('_', leading);
        foreach (var part in core.Split('_', StringSplitOptions.RemoveEmptyEntries))
        {
            var p = allUpper ? part.ToLowerInvariant() : part;
            sb.Append(char.ToUpperInvariant(p[0])).Append(p.AsSpan(1));
        }

        sb.Append('_', trailing);
        var result = sb.ToString();
        return char.IsDigit(result[0]) ? "_" + result : result;
    }

    /// <summary>Formats a C# string literal (regular, escaped; non-ASCII printable characters kept).</summary>
    public static string StringLiteral(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\u0085')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }
}
