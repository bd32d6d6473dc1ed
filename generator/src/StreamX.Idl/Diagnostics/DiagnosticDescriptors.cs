namespace StreamX.Idl.Diagnostics;

/// <summary>
/// Every diagnostic the StreamX front end and generator can report. Ids are stable: never reuse or
/// renumber one. SX1xxx: syntax. SX2xxx: semantics. SX3xxx: streaming. SX4xxx: code generation.
/// SX9xxx: input, limits and tool usage.
/// </summary>
public static class DiagnosticDescriptors
{
    private static DiagnosticDescriptor Error(string id, string title, string format) => new(id, DiagnosticSeverity.Error, title, format);

    private static DiagnosticDescriptor Warning(string id, string title, string format) => new(id, DiagnosticSeverity.Warning, title, format);

    // ---- SX1xxx: syntax ----

    /// <summary>The parser met a token it did not expect.</summary>
    public static readonly DiagnosticDescriptor SyntaxError = Error("SX1001", "Syntax error", "{0}");

    /// <summary>A character that cannot start any Thrift token.</summary>
    public static readonly DiagnosticDescriptor InvalidCharacter = Error("SX1002", "Invalid character", "unexpected character {0}");

    /// <summary>A string literal without its closing quote on the same line.</summary>
    public static readonly DiagnosticDescriptor UnterminatedString = Error("SX1003", "Unterminated string literal", "string literal is not terminated before the end of the line");

    /// <summary>A block comment without <c>*/</c>.</summary>
    public static readonly DiagnosticDescriptor UnterminatedComment = Error("SX1004", "Unterminated comment", "comment is not terminated (missing */)");

    /// <summary>A backslash escape Thrift does not define.</summary>
    public static readonly DiagnosticDescriptor InvalidEscape = Error("SX1005", "Invalid escape sequence", "invalid escape sequence '\\{0}' in string literal (allowed: \\n \\r \\t \\\" \\' \\\\)");

    /// <summary>An integer literal outside the 64-bit range.</summary>
    public static readonly DiagnosticDescriptor IntegerOutOfRange = Error("SX1006", "Integer literal out of range", "integer literal {0} does not fit in a 64-bit signed integer");

    /// <summary>A double literal that does not parse or is not finite.</summary>
    public static readonly DiagnosticDescriptor InvalidDouble = Error("SX1007", "Invalid double literal", "invalid double literal {0}");

    /// <summary>Brackets nested deeper than the front end accepts.</summary>
    public static readonly DiagnosticDescriptor NestingTooDeep = Error("SX1008", "Nesting too deep", "brackets are nested more than {0} levels deep; the file is not parsed further");

    /// <summary>A header (include, namespace) after the first definition.</summary>
    public static readonly DiagnosticDescriptor HeaderAfterDefinition = Error("SX1009", "Header after definition", "'{0}' must appear before all definitions");

    /// <summary>Legacy namespace statements such as <c>php_namespace</c>.</summary>
    public static readonly DiagnosticDescriptor LegacyNamespace = Warning("SX1010", "Legacy namespace statement", "'{0}' is deprecated; use 'namespace {1} {2}'");

    /// <summary>The deprecated <c>senum</c> type.</summary>
    public static readonly DiagnosticDescriptor SenumDeprecated = Warning("SX1011", "senum is deprecated", "'senum {0}' is deprecated; it is treated as a string type");

    /// <summary>The deprecated <c>slist</c> type.</summary>
    public static readonly DiagnosticDescriptor SlistDeprecated = Warning("SX1012", "slist is deprecated", "'slist' is deprecated; it is treated as 'string'");

    /// <summary>An XSD-only construct that StreamX ignores.</summary>
    public static readonly DiagnosticDescriptor XsdIgnored = Warning("SX1013", "XSD option ignored", "'{0}' only affects the XSD generator and is ignored");

    // ---- SX2xxx: semantics ----

    /// <summary>An include that resolves to no file.</summary>
    public static readonly DiagnosticDescriptor IncludeNotFound = Error("SX2001", "Include not found", "cannot find included file '{0}' (looked in {1})");

    /// <summary>Files that include each other.</summary>
    public static readonly DiagnosticDescriptor IncludeCycle = Error("SX2002", "Include cycle", "include cycle: {0}");

    /// <summary>Two definitions with one name in one file.</summary>
    public static readonly DiagnosticDescriptor DuplicateDefinition = Error("SX2003", "Duplicate definition", "'{0}' is already defined at line {1}");

    /// <summary>A type name that resolves to nothing.</summary>
    public static readonly DiagnosticDescriptor UnknownType = Error("SX2004", "Unknown type", "cannot resolve type '{0}'");

    /// <summary>A typedef that (indirectly) refers to itself.</summary>
    public static readonly DiagnosticDescriptor TypedefCycle = Error("SX2005", "Typedef cycle", "typedef '{0}' refers to itself");

    /// <summary>Two fields with one id.</summary>
    public static readonly DiagnosticDescriptor DuplicateFieldId = Error("SX2006", "Duplicate field id", "field id {0} of '{1}' is already used by '{2}'");

    /// <summary>Two fields with one name.</summary>
    public static readonly DiagnosticDescriptor DuplicateFieldName = Error("SX2007", "Duplicate field name", "'{1}' already has a field named '{0}'");

    /// <summary>A field without an explicit id.</summary>
    public static readonly DiagnosticDescriptor ImplicitFieldId = Warning("SX2008", "Implicit field id", "field '{0}' has no explicit id; it gets the implicit id {1} (declare ids explicitly for compatibility)");

    /// <summary>An enum with two values of one name.</summary>
    public static readonly DiagnosticDescriptor DuplicateEnumValue = Error("SX2009", "Duplicate enum value name", "enum '{1}' already has a value named '{0}'");

    /// <summary>An enum value outside the 32-bit range.</summary>
    public static readonly DiagnosticDescriptor EnumValueOutOfRange = Error("SX2010", "Enum value out of range", "value {0} of '{1}' does not fit in a 32-bit signed integer");

    /// <summary>A constant whose value does not fit its declared type.</summary>
    public static readonly DiagnosticDescriptor ConstTypeMismatch = Error("SX2011", "Constant type mismatch", "type mismatch: {0}");

    /// <summary>A reference in a value position that names nothing.</summary>
    public static readonly DiagnosticDescriptor UnknownConstant = Error("SX2012", "Unknown constant", "cannot resolve constant or enum value '{0}'");

    /// <summary>An integer constant out of range for its type.</summary>
    public static readonly DiagnosticDescriptor ConstOutOfRange = Error("SX2013", "Constant out of range", "value {0} is out of range for {1}");

    /// <summary>A service that extends something that is not a service.</summary>
    public static readonly DiagnosticDescriptor ExtendsNotService = Error("SX2014", "Extends a non-service", "'{0}' cannot extend '{1}': it is not a service");

    /// <summary>A service chain that extends itself.</summary>
    public static readonly DiagnosticDescriptor ServiceCycle = Error("SX2015", "Service inheritance cycle", "service '{0}' extends itself through {1}");

    /// <summary>Two methods with one name in a service, or one that redeclares an inherited method.</summary>
    public static readonly DiagnosticDescriptor DuplicateMethod = Error("SX2016", "Duplicate method", "{0}");

    /// <summary>A throws clause naming a non-exception type.</summary>
    public static readonly DiagnosticDescriptor ThrowsNotException = Error("SX2017", "Throws a non-exception", "'{0}' in the throws clause of '{1}' is not an exception type");

    /// <summary>A oneway method that returns a value or throws.</summary>
    public static readonly DiagnosticDescriptor OnewayInvalid = Error("SX2018", "Invalid oneway method", "oneway method '{0}' {1}");

    /// <summary>A reference to an enum value without its enum name (legacy Thrift).</summary>
    public static readonly DiagnosticDescriptor UnqualifiedEnumValue = Warning("SX2019", "Enum value not qualified by its enum", "'{0}' is resolved as '{1}.{2}' from the expected type, as Apache Thrift does; write '{1}.{2}'");

    /// <summary>A union field marked required.</summary>
    public static readonly DiagnosticDescriptor RequiredUnionField = Warning("SX2020", "Required field in union", "union field '{0}' cannot be required; it is treated as optional");

    /// <summary>A type in a position that cannot hold it (e.g. a service as a field type).</summary>
    public static readonly DiagnosticDescriptor NotAType = Error("SX2021", "Not a type", "'{0}' is a {1}, not a type");

    /// <summary>A default or const value that names a non-value (e.g. a service).</summary>
    public static readonly DiagnosticDescriptor NotAValue = Error("SX2022", "Not a value", "type mismatch for {0}: expects value, got {1}");

    /// <summary>A constant that refers to itself.</summary>
    public static readonly DiagnosticDescriptor ConstCycle = Error("SX2023", "Constant cycle", "constant '{0}' refers to itself");

    /// <summary>Integer value given for an enum that names none of its values.</summary>
    public static readonly DiagnosticDescriptor EnumIntegerUnknown = Warning("SX2024", "Integer is not a value of the enum", "{0} is not a declared value of enum '{1}'");

    /// <summary>A value of one enum given where another enum is expected.</summary>
    public static readonly DiagnosticDescriptor EnumValueOfOtherEnum = Warning("SX2029", "Value of another enum", "'{0}' is a value of enum '{1}', not '{2}'; its number {3} is used");

    /// <summary>Field ids must fit 16 bits.</summary>
    public static readonly DiagnosticDescriptor FieldIdOutOfRange = Error("SX2025", "Field id out of range", "field id {0} of '{1}' is outside -32768..32767");

    /// <summary>Negative explicit field ids (accepted, as thriftgo and `thrift --allow-neg-keys` do).</summary>
    public static readonly DiagnosticDescriptor NegativeFieldId = Warning("SX2026", "Negative field id", "field '{0}' has the negative id {1}; Apache Thrift accepts it only with --allow-neg-keys");

    /// <summary>An include of the same program name twice.</summary>
    public static readonly DiagnosticDescriptor DuplicateInclude = Warning("SX2027", "Duplicate include", "'{0}' is included more than once");

    /// <summary>An annotation key given twice on one element.</summary>
    public static readonly DiagnosticDescriptor DuplicateAnnotation = Warning("SX2028", "Duplicate annotation", "annotation '{0}' is given more than once; the last value is used");

    // ---- SX3xxx: streaming ----

    /// <summary><c>streaming.mode</c> given more than once.</summary>
    public static readonly DiagnosticDescriptor StreamingModeMultiple = Error("SX3001", "Multiple streaming modes", "{0} has multiple values for annotation streaming.mode (at most 1 allowed)");

    /// <summary><c>streaming.mode</c> with an unknown value.</summary>
    public static readonly DiagnosticDescriptor StreamingModeInvalid = Error("SX3002", "Invalid streaming mode", "invalid value ({0}) for annotation streaming.mode (allowed: bidirectional, client, server, unary)");

    /// <summary>A streaming method without exactly one argument.</summary>
    public static readonly DiagnosticDescriptor StreamingArgumentCount = Error("SX3003", "Streaming argument count", "streaming function {0} should have exactly 1 argument");

    /// <summary>A streaming method whose argument or result is not a struct.</summary>
    public static readonly DiagnosticDescriptor StreamingNotStruct = Error("SX3004", "Streaming payload must be a struct", "streaming function {0}: {1} must be a struct, but is {2}");

    /// <summary>A oneway streaming method.</summary>
    public static readonly DiagnosticDescriptor StreamingOneway = Error("SX3005", "Oneway streaming method", "streaming function {0} cannot be oneway");

    /// <summary>A throws clause on a streaming method (Kitex ignores it).</summary>
    public static readonly DiagnosticDescriptor StreamingThrowsIgnored = Warning("SX3006", "Throws on a streaming method", "the throws clause of streaming function {0} is ignored: streams report errors as stream errors, as in Kitex");

    // ---- SX4xxx: code generation ----

    /// <summary>Two definitions that map to one C# type name in one namespace.</summary>
    public static readonly DiagnosticDescriptor TypeNameCollision = Error("SX4001", "C# type name collision", "'{0}' is generated twice: it is also declared in {1} at line {2} (give the files different namespaces)");

    /// <summary>Two IDL files that map to one output file name.</summary>
    public static readonly DiagnosticDescriptor OutputNameCollision = Error("SX4002", "Output file name collision", "'{0}' would be generated twice: {1} maps to the same file name");

    // ---- SX9xxx: input and limits ----

    /// <summary>A file that cannot be read.</summary>
    public static readonly DiagnosticDescriptor FileNotFound = Error("SX9001", "File not found", "cannot read '{0}': {1}");

    /// <summary>A file larger than the configured limit.</summary>
    public static readonly DiagnosticDescriptor FileTooLarge = Error("SX9002", "File too large", "file is {0} bytes; the limit is {1} bytes");

    /// <summary>Too many errors in one file.</summary>
    public static readonly DiagnosticDescriptor TooManyErrors = Error("SX9003", "Too many errors", "too many errors ({0}); the rest of this file is not reported");

    /// <summary>A file that is not text.</summary>
    public static readonly DiagnosticDescriptor BinaryFile = Error("SX9004", "Not a text file", "the file contains NUL bytes or invalid UTF-8; it is not a Thrift IDL text file");

    /// <summary>Too many files reached through includes.</summary>
    public static readonly DiagnosticDescriptor TooManyFiles = Error("SX9005", "Too many files", "more than {0} files are reached through includes");

    /// <summary>Every descriptor, for documentation and uniqueness tests.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = typeof(DiagnosticDescriptors)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToArray();
}
