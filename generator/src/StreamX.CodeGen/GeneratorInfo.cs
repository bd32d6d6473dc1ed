using System.Reflection;

namespace StreamX.CodeGen;

/// <summary>Name and version printed into generated code.</summary>
public static class GeneratorInfo
{
    /// <summary>The tool name.</summary>
    public const string Name = "streamx-gen";

    /// <summary>Major.minor.patch of this generator (no build metadata, so output stays deterministic across commits).</summary>
    public static string Version { get; } = FormatVersion(typeof(GeneratorInfo).Assembly.GetName().Version);

    private static string FormatVersion(Version? v) => v is null ? "0.0.0" : $"{v.Major}.{v.Minor}.{Math.Max(0, v.Build)}";
}
