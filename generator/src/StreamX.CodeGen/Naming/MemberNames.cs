using System.Runtime.CompilerServices;
using StreamX.Idl.Model;

namespace StreamX.CodeGen.Naming;

/// <summary>
/// Property names of a struct's fields: PascalCase, unique, never equal to the type's own name
/// (CS0542) nor to a generated or inherited member. Computed once per struct and cached, so the
/// struct itself and every constant that initialises it agree.
/// </summary>
internal static class MemberNames
{
    private static readonly string[] GeneratedMembers =
    {
        "Write", "Read", "Validate", "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize",
    };

    private static readonly string[] ExceptionMembers =
    {
        "Message", "Data", "Source", "StackTrace", "HelpLink", "HResult", "InnerException", "TargetSite",
        "GetBaseException", "GetObjectData", "SerializeObjectState",
    };

    private static readonly ConditionalWeakTable<StructModel, Dictionary<FieldModel, string>> Cache = new();

    /// <summary>The property names of a struct's fields.</summary>
    /// <param name="model">The struct.</param>
    /// <param name="csTypeName">Its C# class name when that is not the IDL name (the nested <c>…Args</c>/<c>…Result</c> wire structs).</param>
    public static Dictionary<FieldModel, string> ForStruct(StructModel model, string? csTypeName = null) =>
        Cache.GetValue(model, m => Compute(m, csTypeName ?? CSharpNames.TypeName(m.Name)));

    private static Dictionary<FieldModel, string> Compute(StructModel model, string csTypeName)
    {
        var reserved = GeneratedMembers.Append(csTypeName.TrimStart('@'));
        if (model.Kind == StructKind.Exception)
        {
            reserved = reserved.Concat(ExceptionMembers);
        }

        var allocator = new NameAllocator(reserved);
        var result = new Dictionary<FieldModel, string>(ReferenceEqualityComparer.Instance);
        foreach (var field in model.Fields)
        {
            result[field] = CSharpNames.Escape(allocator.Allocate(CSharpNames.ToPascal(field.Name)));
        }

        return result;
    }
}
