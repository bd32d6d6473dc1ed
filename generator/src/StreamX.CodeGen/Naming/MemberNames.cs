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

    public static Dictionary<FieldModel, string> ForStruct(StructModel model) => Cache.GetValue(model, Compute);

    private static Dictionary<FieldModel, string> Compute(StructModel model)
    {
        var reserved = GeneratedMembers.Append(CSharpNames.TypeName(model.Name).TrimStart('@'));
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
