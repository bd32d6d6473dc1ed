using System.Reflection;

namespace StreamX.Docs.Tests;

/// <summary>What the docs' C# is compiled against.</summary>
internal static class DocsReferences
{
    /// <summary>
    /// The StreamX libraries the docs use, besides the .NET and ASP.NET Core shared frameworks and the
    /// generated echo code. To document another library (a transport, say): add a ProjectReference to
    /// it in StreamX.Docs.Tests.csproj and one <c>typeof(AnyPublicTypeOfIt).Assembly</c> line here.
    /// Its public namespaces are then also imported in fragments (blocks without <c>using</c> directives).
    /// </summary>
    public static readonly Assembly[] StreamXAssemblies =
    [
        typeof(StreamX.StreamXClientBase).Assembly,                       // StreamX.Runtime
        typeof(StreamX.Transport.TTHeader.TTHeaderClientTransport).Assembly, // StreamX.Transport.TTHeader
        typeof(StreamX.Transport.Grpc.GrpcClientTransport).Assembly,      // StreamX.Transport.Grpc
        typeof(StreamX.Hosting.StreamXBuilder).Assembly,                  // StreamX.Hosting
    ];

    /// <summary>The SDK's implicit usings of a console project (<c>ImplicitUsings</c>): every block gets them.</summary>
    public static readonly string[] ImplicitUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks",
    ];

    /// <summary>
    /// Also imported in fragments, besides the StreamX namespaces and those of the generated code:
    /// <c>System.Net</c> (endpoints), the namespaces of TLS settings (<c>System.Net.Security</c>,
    /// <c>System.Security.Cryptography.X509Certificates</c>, Kestrel's <c>Microsoft.AspNetCore.Server.Kestrel.Https</c>)
    /// and the ASP.NET Core SDK's implicit usings (for hosting snippets).
    /// </summary>
    public static readonly string[] FragmentUsings =
    [
        "System.Net", "System.Net.Security", "System.Security.Cryptography.X509Certificates", "Microsoft.AspNetCore.Server.Kestrel.Https",
        "Microsoft.AspNetCore.Server.Kestrel.Core",
        "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing",
        "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

    /// <summary>The public namespaces of <see cref="StreamXAssemblies"/>.</summary>
    public static IEnumerable<string> StreamXNamespaces => StreamXAssemblies
        .SelectMany(a => a.GetExportedTypes())
        .Select(t => t.Namespace)
        .OfType<string>()
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal);
}
