using StreamX.CodeGen.Naming;

namespace StreamX.CodeGen;

/// <summary>
/// Output file names, predictable from the IDL path alone (MSBuild needs them before generating):
/// <c>echo.thrift</c> → <c>Echo.Types.g.cs</c>; dotted names keep their dots
/// (<c>a.b.c.thrift</c> → <c>A.B.C.Types.g.cs</c>).
/// </summary>
public static class OutputLayout
{
    /// <summary>The PascalCase base name of an IDL file.</summary>
    public static string BaseName(string idlPath)
    {
        var name = Path.GetFileName(idlPath.Replace('\\', '/'));
        if (name.EndsWith(".thrift", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^".thrift".Length];
        }

        return string.Join('.', name.Split('.', StringSplitOptions.RemoveEmptyEntries).Select(CSharpNames.ToPascal));
    }

    /// <summary>The types file for an IDL file.</summary>
    public static string TypesFileName(string idlPath) => BaseName(idlPath) + ".Types.g.cs";

    /// <summary>The service file for an IDL file that declares services.</summary>
    public static string ServiceFileName(string idlPath) => BaseName(idlPath) + ".Service.g.cs";
}
