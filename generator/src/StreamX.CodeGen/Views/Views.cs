namespace StreamX.CodeGen.Views;

// Flat, precomputed view models: every string the templates print is computed (and unit-tested)
// in C#; templates only lay them out. Property names are what the templates bind to.

/// <summary>One generated file for one IDL file.</summary>
internal sealed record TypesFileView(
    string SourceName,
    string ToolName,
    string ToolVersion,
    string Namespace,
    IReadOnlyList<EnumView> Enums,
    IReadOnlyList<StructView> Structs,
    ConstantsView? Constants);

/// <summary>A C# enum.</summary>
internal sealed record EnumView(string Doc, IReadOnlyList<string> Attributes, string Access, string Name, IReadOnlyList<EnumMemberView> Members);

/// <summary>One enum member.</summary>
internal sealed record EnumMemberView(string Doc, IReadOnlyList<string> Attributes, string Name, string Value);

/// <summary>A struct, union or exception as a C# class.</summary>
internal sealed record StructView(
    string Doc,
    IReadOnlyList<string> Attributes,
    string Access,
    string Name,
    string FullName,
    string BaseList,
    string KindText,
    IReadOnlyList<FieldView> Fields,
    string? MessageOverride,
    string WriteBody,
    string ReadBody,
    string EqualsExpression,
    string HashBody,
    string ToStringBody);

/// <summary>A field as a C# property (with its backing field when it has one).</summary>
internal sealed record FieldView(string Doc, IReadOnlyList<string> Attributes, IReadOnlyList<string> DeclarationLines);

/// <summary>The static class holding a file's constants.</summary>
internal sealed record ConstantsView(string Access, string Name, string ProgramName, IReadOnlyList<ConstantView> Items);

/// <summary>One constant.</summary>
internal sealed record ConstantView(string Doc, IReadOnlyList<string> Attributes, string Declaration);

/// <summary>The service file of one IDL file.</summary>
internal sealed record ServiceFileView(string SourceName, string ToolName, string ToolVersion, string Namespace, IReadOnlyList<ServiceView> Services);

/// <summary>One service: its static class with client, base (each unless turned off) and wire structs.</summary>
internal sealed record ServiceView(
    string Doc,
    IReadOnlyList<string> Attributes,
    string Access,
    string ClassName,
    string IdlName,
    string ServiceNameLiteral,
    bool GenerateClient,
    string ClientClassName,
    bool GenerateServer,
    string BaseClassName,
    IReadOnlyList<string> ClientMethods,
    IReadOnlyList<string> BaseMethods,
    string BindBody,
    IReadOnlyList<string> NestedTypes);
