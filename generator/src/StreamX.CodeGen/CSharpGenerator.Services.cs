using System.Text;
using StreamX.CodeGen.Naming;
using StreamX.CodeGen.TypeMapping;
using StreamX.CodeGen.Views;
using StreamX.Idl.Model;

namespace StreamX.CodeGen;

/// <summary>Service stubs: per IDL service a static class holding the client, the server base and the unary wire structs.</summary>
public sealed partial class CSharpGenerator
{
    private const string Rt = "global::StreamX";
    private const string Tasks = "global::System.Threading.Tasks";
    private const string Token = "global::System.Threading.CancellationToken";

    private static readonly string[] ClientReserved =
    {
        "TargetServiceName", "Transport", "Options", "StartServerStreaming", "StartClientStreaming", "StartBidiStreaming",
        "InvokeUnaryAsync", "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize",
    };

    private static readonly string[] BaseReserved = { "BindService", "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize" };

    /// <summary>The C# class holding a service's client, base and wire structs (<c>global::Ns.TestService</c>).</summary>
    public string ServiceClassFullName(ServiceModel service) => $"global::{NamespaceOf(service.File)}.{CSharpNames.TypeName(service.Name)}";

    private ServiceFileView BuildServiceFileView(IdlFile file) =>
        new(Path.GetFileName(file.Path), GeneratorInfo.Name, GeneratorInfo.Version, NamespaceOf(file), file.Services.Select(BuildService).ToList());

    private ServiceView BuildService(ServiceModel service)
    {
        var className = CSharpNames.TypeName(service.Name);
        var bare = className.TrimStart('@');
        var nested = new NameAllocator(new[] { bare, "ServiceName" });
        var clientName = nested.Allocate(bare + "Client");
        var baseName = nested.Allocate(bare + "Base");
        var clientNames = new NameAllocator(ClientReserved.Append(clientName));
        var baseNames = new NameAllocator(BaseReserved.Append(baseName));

        var clientMethods = new List<string>();
        var baseMethods = new List<string>();
        var bind = new StringBuilder();
        foreach (var method in service.AllMethods)
        {
            var pascal = CSharpNames.ToPascal(method.Name);
            var obsolete = Obsolete(method.Annotations);
            if (method.IsStreaming)
            {
                clientMethods.Add(StreamingClientMethod(method, clientNames.Allocate(pascal), obsolete));
                var handlerName = baseNames.Allocate(pascal + "Async");
                baseMethods.Add(StreamingBaseMethod(method, handlerName, obsolete));
                bind.Append(StreamingBind(method, handlerName));
            }
            else
            {
                var wrappers = WireStructNames(method);
                clientMethods.Add(UnaryClientMethod(method, clientNames.Allocate(pascal + "Async"), wrappers, obsolete));
                var handlerName = baseNames.Allocate(pascal + "Async");
                baseMethods.Add(UnaryBaseMethod(method, handlerName, obsolete));
                bind.Append(UnaryBind(method, handlerName, wrappers));
            }
        }

        var nestedTypes = new List<string>();
        foreach (var method in service.Methods.Where(m => !m.IsStreaming))
        {
            var (argsName, resultName, argsFull, resultFull) = WireStructNames(method);
            nestedTypes.Add(Indent(TemplateEngine.RenderStruct(BuildStruct(method.ArgumentsStruct, argsName, argsFull, $"Kitex's <c>{XmlEscape(method.ArgumentsStruct.Name)}</c>: the arguments of <c>{XmlEscape(method.Name)}</c> on the wire."))));
            nestedTypes.Add(Indent(TemplateEngine.RenderStruct(BuildStruct(method.ResultStruct, resultName, resultFull, $"Kitex's <c>{XmlEscape(method.ResultStruct.Name)}</c>: the result of <c>{XmlEscape(method.Name)}</c> on the wire."))));
        }

        return new ServiceView(
            DocComment(service.Doc, string.Empty),
            Obsolete(service.Annotations),
            _options.Access,
            className,
            service.Name,
            CSharpNames.StringLiteral(service.Name),
            _options.GenerateClient,
            clientName,
            _options.GenerateServer,
            baseName,
            clientMethods,
            baseMethods,
            bind.ToString(),
            nestedTypes);
    }

    /// <summary>Names of a unary method's wire structs, nested in the declaring service's class.</summary>
    private (string Args, string Result, string ArgsFull, string ResultFull) WireStructNames(MethodModel method)
    {
        var owner = method.Service;
        var bare = CSharpNames.TypeName(owner.Name).TrimStart('@');
        var nested = new NameAllocator(new[] { bare, "ServiceName", bare + "Client", bare + "Base" });
        string args = string.Empty, result = string.Empty;
        foreach (var m in owner.Methods.Where(m => !m.IsStreaming))
        {
            var pascal = CSharpNames.ToPascal(m.Name);
            var a = nested.Allocate(pascal + "Args");
            var r = nested.Allocate(pascal + "Result");
            if (ReferenceEquals(m, method))
            {
                (args, result) = (a, r);
            }
        }

        var full = ServiceClassFullName(owner);
        return (args, result, $"{full}.{args}", $"{full}.{result}");
    }

    private string StreamingClientMethod(MethodModel method, string name, IReadOnlyList<string> obsolete)
    {
        var request = _types.CsType(method.Arguments[0].Type);
        var response = _types.CsType(method.ReturnType!);
        var literal = CSharpNames.StringLiteral(method.Name);
        var sb = new StringBuilder();
        var summary = method.Doc ?? method.StreamingMode switch
        {
            StreamingMode.Server => "Server streaming: sends the request, then read the responses with <c>await foreach</c>.",
            StreamingMode.Client => "Client streaming: send requests, then <c>CloseAndRecvAsync</c> for the response.",
            _ => "Bidirectional streaming: send and receive independently; <c>CloseSendAsync</c> half-closes.",
        };
        sb.Append(DocComment(method.Doc is null ? summary : XmlEscape(method.Doc), "        ", escape: false));
        if (method.StreamingMode == StreamingMode.Server)
        {
            sb.Append($"        /// <param name=\"{ParamName(method.Arguments[0].Name, "options", "cancellationToken").TrimStart('@')}\">The request.</param>\n");
        }

        sb.Append("        /// <param name=\"options\">Deadline, receive timeout, headers and metainfo for this call.</param>\n");
        sb.Append("        /// <param name=\"cancellationToken\">Cancels the whole call: the server's handler is canceled too.</param>\n");
        foreach (var o in obsolete)
        {
            sb.Append("        ").Append(o).Append('\n');
        }

        switch (method.StreamingMode)
        {
            case StreamingMode.Server:
                var param = ParamName(method.Arguments[0].Name, "options", "cancellationToken");
                sb.Append($"        public {Rt}.ServerStreamingCall<{response}> {name}({request} {param}, {Rt}.CallOptions? options = null, {Token} cancellationToken = default) =>\n");
                sb.Append($"            StartServerStreaming<{request}, {response}>({literal}, {param}, options, cancellationToken);");
                break;
            case StreamingMode.Client:
                sb.Append($"        public {Rt}.ClientStreamingCall<{request}, {response}> {name}({Rt}.CallOptions? options = null, {Token} cancellationToken = default) =>\n");
                sb.Append($"            StartClientStreaming<{request}, {response}>({literal}, options, cancellationToken);");
                break;
            default:
                sb.Append($"        public {Rt}.BidiStreamingCall<{request}, {response}> {name}({Rt}.CallOptions? options = null, {Token} cancellationToken = default) =>\n");
                sb.Append($"            StartBidiStreaming<{request}, {response}>({literal}, options, cancellationToken);");
                break;
        }

        return sb.ToString();
    }

    private string StreamingBaseMethod(MethodModel method, string name, IReadOnlyList<string> obsolete)
    {
        var request = _types.CsType(method.Arguments[0].Type);
        var response = _types.CsType(method.ReturnType!);
        var literal = CSharpNames.StringLiteral(method.Name);
        var sb = new StringBuilder();
        var summary = method.StreamingMode switch
        {
            StreamingMode.Server => "Server streaming handler: send responses, then return to end the stream.",
            StreamingMode.Client => "Client streaming handler: read requests until null, then return the response.",
            _ => "Bidirectional handler: read and send independently; returning ends the stream.",
        };
        sb.Append(DocComment(method.Doc is null ? summary : XmlEscape(method.Doc), "        ", escape: false));
        foreach (var o in obsolete)
        {
            sb.Append("        ").Append(o).Append('\n');
        }

        var unknown = $"{Rt}.UnknownMethodException.Method({literal})";
        switch (method.StreamingMode)
        {
            case StreamingMode.Server:
                var param = ParamName(method.Arguments[0].Name, "responses", "context");
                sb.Append($"        public virtual {Tasks}.Task {name}({request} {param}, {Rt}.MessageWriter<{response}> responses, {Rt}.ServerCallContext context) =>\n");
                sb.Append($"            {Tasks}.Task.FromException({unknown});");
                break;
            case StreamingMode.Client:
                sb.Append($"        public virtual {Tasks}.Task<{response}> {name}({Rt}.MessageReader<{request}> requests, {Rt}.ServerCallContext context) =>\n");
                sb.Append($"            {Tasks}.Task.FromException<{response}>({unknown});");
                break;
            default:
                sb.Append($"        public virtual {Tasks}.Task {name}({Rt}.MessageReader<{request}> requests, {Rt}.MessageWriter<{response}> responses, {Rt}.ServerCallContext context) =>\n");
                sb.Append($"            {Tasks}.Task.FromException({unknown});");
                break;
        }

        return sb.ToString();
    }

    private string StreamingBind(MethodModel method, string handler)
    {
        var request = _types.CsType(method.Arguments[0].Type);
        var response = _types.CsType(method.ReturnType!);
        var literal = CSharpNames.StringLiteral(method.Name);
        return method.StreamingMode switch
        {
            StreamingMode.Server => $"                .AddServerStreaming<{request}, {response}>({literal}, (request, responses, context) => implementation.{handler}(request, responses, context))\n",
            StreamingMode.Client => $"                .AddClientStreaming<{request}, {response}>({literal}, (requests, context) => implementation.{handler}(requests, context))\n",
            _ => $"                .AddBidirectional<{request}, {response}>({literal}, (requests, responses, context) => implementation.{handler}(requests, responses, context))\n",
        };
    }

    private string UnaryClientMethod(MethodModel method, string name, (string Args, string Result, string ArgsFull, string ResultFull) wrappers, IReadOnlyList<string> obsolete)
    {
        var argNames = MemberNames.ForStruct(method.ArgumentsStruct, wrappers.Args);
        var resultNames = MemberNames.ForStruct(method.ResultStruct, wrappers.Result);
        var parameters = new NameAllocator(new[] { "options", "cancellationToken", "result" });
        var args = method.Arguments.Select(a => (Field: a, Param: CSharpNames.EscapeLocal(parameters.Allocate(CamelCase(a.Name))))).ToList();
        var returnType = method.ReturnType is null ? $"{Tasks}.Task" : $"{Tasks}.Task<{_types.CsType(method.ReturnType)}>";
        var sb = new StringBuilder();
        sb.Append(DocComment(method.Doc is null ? (method.IsOneway ? "Oneway call: returns once the request is sent." : "Unary call (Kitex PingPong).") : XmlEscape(method.Doc), "        ", escape: false));
        foreach (var t in method.Throws)
        {
            sb.Append($"        /// <exception cref=\"{_types.CsType(t.Type)}\">Declared by the IDL (<c>{XmlEscape(t.Name)}</c>).</exception>\n");
        }

        foreach (var o in obsolete)
        {
            sb.Append("        ").Append(o).Append('\n');
        }

        var paramList = string.Join(", ", args.Select(a => $"{_types.CsType(a.Field.Type)} {a.Param}").Append($"{Rt}.CallOptions? options = null").Append($"{Token} cancellationToken = default"));
        sb.Append($"        public async {returnType} {name}({paramList})\n");
        sb.Append("        {\n");
        var init = args.Count == 0 ? $"new {wrappers.ArgsFull}()" : $"new {wrappers.ArgsFull} {{ {string.Join(", ", args.Select(a => $"{argNames[a.Field]} = {a.Param}"))} }}";
        var oneway = method.IsOneway ? "true" : "false";
        sb.Append($"            var result = await InvokeUnaryAsync<{wrappers.ArgsFull}, {wrappers.ResultFull}>({CSharpNames.StringLiteral(method.Name)}, {init}, {oneway}, options, cancellationToken).ConfigureAwait(false);\n");
        if (method.IsOneway)
        {
            sb.Append("            _ = result;\n");
        }
        else
        {
            var index = 0;
            foreach (var t in method.ResultStruct.Fields.Where(f => f.Id != 0 || method.ReturnType is null))
            {
                sb.Append($"            if (result.{resultNames[t]} is {{ }} error{index})\n");
                sb.Append("            {\n");
                sb.Append($"                throw error{index};\n");
                sb.Append("            }\n\n");
                index++;
            }

            if (method.ReturnType is not null)
            {
                var success = method.ResultStruct.Fields.First(f => f.Id == 0);
                sb.Append($"            return result.{resultNames[success]} is {{ }} success\n");
                sb.Append("                ? success\n");
                sb.Append($"                : throw new global::StreamX.Thrift.ThriftApplicationException(5, {CSharpNames.StringLiteral(method.Name + " failed: unknown result")});\n");
            }
        }

        sb.Append("        }");
        return sb.ToString();
    }

    private string UnaryBaseMethod(MethodModel method, string name, IReadOnlyList<string> obsolete)
    {
        var parameters = new NameAllocator(new[] { "context" });
        var args = method.Arguments.Select(a => $"{_types.CsType(a.Type)} {CSharpNames.EscapeLocal(parameters.Allocate(CamelCase(a.Name)))}").Append($"{Rt}.ServerCallContext context");
        var returnType = method.ReturnType is null ? $"{Tasks}.Task" : $"{Tasks}.Task<{_types.CsType(method.ReturnType)}>";
        var fail = method.ReturnType is null ? $"{Tasks}.Task.FromException" : $"{Tasks}.Task.FromException<{_types.CsType(method.ReturnType)}>";
        var sb = new StringBuilder();
        sb.Append(DocComment(method.Doc is null ? "Unary handler." : XmlEscape(method.Doc), "        ", escape: false));
        foreach (var o in obsolete)
        {
            sb.Append("        ").Append(o).Append('\n');
        }

        sb.Append($"        public virtual {returnType} {name}({string.Join(", ", args)}) =>\n");
        sb.Append($"            {fail}({Rt}.UnknownMethodException.Method({CSharpNames.StringLiteral(method.Name)}));");
        return sb.ToString();
    }

    private string UnaryBind(MethodModel method, string handler, (string Args, string Result, string ArgsFull, string ResultFull) wrappers)
    {
        var argNames = MemberNames.ForStruct(method.ArgumentsStruct, wrappers.Args);
        var resultNames = MemberNames.ForStruct(method.ResultStruct, wrappers.Result);
        var call = $"implementation.{handler}({string.Join(", ", method.Arguments.Select(a => ArgumentExpression(a, argNames[a])).Append("context"))})";
        var sb = new StringBuilder();
        sb.Append($"                .AddUnary<{wrappers.ArgsFull}, {wrappers.ResultFull}>({CSharpNames.StringLiteral(method.Name)}, {(method.IsOneway ? "true" : "false")}, async (args, context) =>\n");
        sb.Append("                {\n");
        var indent = "                    ";
        var throws = method.ResultStruct.Fields.Where(f => !(f.Id == 0 && method.ReturnType is not null)).ToList();
        if (throws.Count > 0)
        {
            sb.Append(indent).Append("try\n").Append(indent).Append("{\n");
            indent += "    ";
        }

        if (method.ReturnType is not null)
        {
            var success = method.ResultStruct.Fields.First(f => f.Id == 0);
            sb.Append(indent).Append($"return new {wrappers.ResultFull} {{ {resultNames[success]} = await {call}.ConfigureAwait(false) }};\n");
        }
        else
        {
            sb.Append(indent).Append($"await {call}.ConfigureAwait(false);\n");
            sb.Append(indent).Append($"return new {wrappers.ResultFull}();\n");
        }

        if (throws.Count > 0)
        {
            indent = indent[4..];
            sb.Append(indent).Append("}\n");
            foreach (var t in throws)
            {
                sb.Append(indent).Append($"catch ({_types.CsType(t.Type)} error)\n");
                sb.Append(indent).Append("{\n");
                sb.Append(indent).Append($"    return new {wrappers.ResultFull} {{ {resultNames[t]} = error }};\n");
                sb.Append(indent).Append("}\n");
            }
        }

        sb.Append("                })\n");
        return sb.ToString();
    }

    /// <summary>How a handler parameter is read from the args struct (nullable storage, non-nullable parameter).</summary>
    private static string ArgumentExpression(FieldModel field, string property)
    {
        var isValue = CSharpTypeMapper.IsValueType(field.Type);
        if (field.Requiredness == Requiredness.Required && !isValue)
        {
            return $"args.{property}";
        }

        if (isValue)
        {
            return field.Requiredness == Requiredness.Optional ? $"args.{property}.GetValueOrDefault()" : $"args.{property}";
        }

        return $"args.{property}!";
    }

    private static string ParamName(string idlName, params string[] reserved) =>
        CSharpNames.EscapeLocal(new NameAllocator(reserved).Allocate(CamelCase(idlName)));

    private static string CamelCase(string name)
    {
        var pascal = CSharpNames.ToPascal(name).TrimStart('_');
        return pascal.Length == 0 ? "arg" : char.ToLowerInvariant(pascal[0]) + pascal[1..];
    }

    private static string Indent(string text) => string.Join('\n', text.TrimEnd('\n').Split('\n').Select(l => l.Length == 0 ? l : "    " + l));
}
