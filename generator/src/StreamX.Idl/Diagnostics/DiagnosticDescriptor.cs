namespace StreamX.Idl.Diagnostics;

/// <summary>
/// The stable identity of one kind of problem: id (<c>SX1xxx</c> syntax, <c>SX2xxx</c> semantic,
/// <c>SX3xxx</c> streaming, <c>SX4xxx</c> code generation, <c>SX9xxx</c> input/limits), default
/// severity and a composite-format message. Every descriptor lives in <see cref="DiagnosticDescriptors"/>.
/// </summary>
public sealed record DiagnosticDescriptor(string Id, DiagnosticSeverity Severity, string Title, string MessageFormat);
