using System.Collections.Immutable;
using StreamX.Idl.Diagnostics;
using StreamX.Idl.Model;
using StreamX.Idl.Syntax.Ast;

namespace StreamX.Idl.Semantics;

internal sealed partial class ModelBuilder
{
    internal const string StreamingModeKey = "streaming.mode";

    /// <summary>Phase 4: services, methods, inheritance and the Kitex streaming rules.</summary>
    private void BindServices(FileState file)
    {
        foreach (var service in file.Model.Services)
        {
            var syntax = (ServiceSyntax)file.SyntaxOf[service];
            if (syntax.Extends is { } baseName)
            {
                var span = syntax.ExtendsSpan ?? syntax.Span;
                if (FindDefinition(baseName, file, f => f.Services) is { } baseService)
                {
                    service.Extends = baseService;
                }
                else if (FindDefinition(baseName, file, f => f.Types) is { } other)
                {
                    Report(DiagnosticDescriptors.ExtendsNotService, span, service.Name, other.QualifiedName);
                }
                else
                {
                    Report(DiagnosticDescriptors.UnknownType, span, baseName);
                }
            }

            var methods = ImmutableArray.CreateBuilder<MethodModel>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var function in syntax.Functions)
            {
                var method = BuildMethod(service, function, file);
                if (!names.Add(method.Name))
                {
                    Report(DiagnosticDescriptors.DuplicateMethod, function.Span, $"service '{service.Name}' already has a method named '{method.Name}'");
                    continue;
                }

                methods.Add(method);
            }

            service.Methods = methods.ToImmutable();
        }

        // Inheritance checks need every service of this file bound (a base may be declared later in it).
        foreach (var service in file.Model.Services)
        {
            CheckInheritance(service);
        }
    }

    private void CheckInheritance(ServiceModel service)
    {
        var chain = new List<ServiceModel>();
        for (var s = service.Extends; s is not null; s = s.Extends)
        {
            if (ReferenceEquals(s, service) || chain.Contains(s))
            {
                Report(DiagnosticDescriptors.ServiceCycle, service.Span, service.Name, string.Join(" -> ", chain.Select(c => c.Name).Append(s.Name)));
                service.Extends = null;
                return;
            }

            chain.Add(s);
        }

        foreach (var method in service.Methods)
        {
            var inherited = chain.SelectMany(b => b.Methods).FirstOrDefault(m => m.Name == method.Name);
            if (inherited is not null)
            {
                Report(DiagnosticDescriptors.DuplicateMethod, method.Span, $"{service.Name}.{method.Name} already inherited from {inherited.Service.Name}");
            }
        }
    }

    private MethodModel BuildMethod(ServiceModel service, FunctionSyntax function, FileState file)
    {
        var annotations = ToAnnotations(function.Annotations);
        var mode = ParseStreamingMode(function, annotations);
        var method = new MethodModel(function.Name, function.IsOneway, mode, function.Span, function.Doc, annotations)
        {
            Service = service,
        };
        method.ReturnType = function.ReturnType is null ? null : ResolveType(function.ReturnType, file);
        method.Arguments = BuildFields(function.Arguments, $"{service.Name}.{function.Name}", file, isUnion: false, deferDefaults: false);
        method.Throws = BuildFields(function.Throws, $"throws of {service.Name}.{function.Name}", file, isUnion: false, deferDefaults: false);

        foreach (var t in method.Throws)
        {
            if (t.Type.Resolve() is not (NamedTypeRef { Definition: StructModel { Kind: StructKind.Exception } } or ErrorTypeRef))
            {
                Report(DiagnosticDescriptors.ThrowsNotException, t.Span, t.Type.DisplayName, function.Name);
            }
        }

        if (function.IsOneway && !method.IsStreaming)
        {
            if (method.ReturnType is not null)
            {
                Report(DiagnosticDescriptors.OnewayInvalid, function.Span, function.Name, "must return void");
            }

            if (!method.Throws.IsEmpty)
            {
                Report(DiagnosticDescriptors.OnewayInvalid, function.Span, function.Name, "cannot declare exceptions");
            }
        }

        CheckStreaming(method, function);
        BuildWireStructs(service, method, file);
        return method;
    }

    /// <summary>Kitex's rules (thriftgo streaming.go): one value of four, exactly one argument.</summary>
    private StreamingMode ParseStreamingMode(FunctionSyntax function, Annotations annotations)
    {
        var values = annotations.Items.Where(a => a.Key == StreamingModeKey).ToList();
        if (values.Count == 0)
        {
            return StreamingMode.None;
        }

        if (values.Count > 1)
        {
            Report(DiagnosticDescriptors.StreamingModeMultiple, values[1].Span, function.Name);
            return StreamingMode.None;
        }

        var value = values[0].Value ?? string.Empty;
        var mode = value switch
        {
            "bidirectional" => StreamingMode.Bidirectional,
            "client" => StreamingMode.Client,
            "server" => StreamingMode.Server,
            "unary" => StreamingMode.Unary,
            _ => (StreamingMode?)null,
        };
        if (mode is null)
        {
            Report(DiagnosticDescriptors.StreamingModeInvalid, values[0].Span, value);
            return StreamingMode.None;
        }

        if (function.Arguments.Length != 1)
        {
            Report(DiagnosticDescriptors.StreamingArgumentCount, function.Span, function.Name);
        }

        return mode.Value;
    }

    /// <summary>Stricter than Kitex where Kitex would generate broken code: payloads must be structs.</summary>
    private void CheckStreaming(MethodModel method, FunctionSyntax function)
    {
        if (!method.IsStreaming)
        {
            return;
        }

        if (function.IsOneway)
        {
            Report(DiagnosticDescriptors.StreamingOneway, function.Span, function.Name);
        }

        if (method.Arguments.Length == 1 && !IsStructOrError(method.Arguments[0].Type))
        {
            Report(DiagnosticDescriptors.StreamingNotStruct, method.Arguments[0].Span, function.Name, "its argument", Describe(method.Arguments[0].Type));
        }

        if (method.ReturnType is null)
        {
            Report(DiagnosticDescriptors.StreamingNotStruct, function.Span, function.Name, "its result", "void");
        }
        else if (!IsStructOrError(method.ReturnType))
        {
            Report(DiagnosticDescriptors.StreamingNotStruct, function.ReturnType!.Span, function.Name, "its result", Describe(method.ReturnType));
        }

        if (!method.Throws.IsEmpty)
        {
            Report(DiagnosticDescriptors.StreamingThrowsIgnored, method.Throws[0].Span, function.Name);
        }
    }

    private static void BuildWireStructs(ServiceModel service, MethodModel method, FileState file)
    {
        method.ArgumentsStruct = new StructModel($"{service.Name}_{method.Name}_args", StructKind.Struct, method.Span, null, Model.Annotations.Empty)
        {
            File = file.Model,
            Fields = method.Arguments,
        };
        var resultFields = ImmutableArray.CreateBuilder<FieldModel>();
        if (method.ReturnType is { } returnType)
        {
            resultFields.Add(new FieldModel(0, false, "success", Requiredness.Optional, returnType, false, method.Span, null, Model.Annotations.Empty));
        }

        foreach (var t in method.Throws)
        {
            resultFields.Add(new FieldModel(t.Id, t.IsImplicitId, t.Name, Requiredness.Optional, t.Type, false, t.Span, t.Doc, t.Annotations));
        }

        method.ResultStruct = new StructModel($"{service.Name}_{method.Name}_result", StructKind.Struct, method.Span, null, Model.Annotations.Empty)
        {
            File = file.Model,
            Fields = resultFields.ToImmutable(),
        };
    }

    private static bool IsStructOrError(TypeRef type) =>
        type.Resolve() is NamedTypeRef { Definition: StructModel { Kind: StructKind.Struct or StructKind.Union } } or ErrorTypeRef;

    private static string Describe(TypeRef type) => type.Resolve() switch
    {
        NamedTypeRef { Definition: var d } => $"{d.KindName} {d.Name}",
        var t => t.DisplayName,
    };
}
