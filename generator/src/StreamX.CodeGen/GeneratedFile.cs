namespace StreamX.CodeGen;

/// <summary>One output file: its name (no directory) and its exact content.</summary>
public sealed record GeneratedFile(string FileName, string Content, string SourcePath);
