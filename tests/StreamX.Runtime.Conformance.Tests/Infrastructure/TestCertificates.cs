using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace StreamX.Runtime.Conformance.Tests.Infrastructure;

/// <summary>
/// Self-signed certificates made in memory for the TLS tests (nothing is installed on the machine): a server
/// certificate for <c>localhost</c> and <c>127.0.0.1</c>, and client options that trust exactly that certificate
/// as their root (a custom trust store, not a callback that accepts anything).
/// </summary>
public static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> LazyServer = new(() => Create("CN=streamx-test-server"));
    private static readonly Lazy<X509Certificate2> LazyOther = new(() => Create("CN=streamx-untrusted"));
    private static readonly Lazy<X509Certificate2> LazyClient = new(() => Create("CN=streamx-test-client", "1.3.6.1.5.5.7.3.2"));

    /// <summary>The server certificate (with its private key).</summary>
    public static X509Certificate2 Server => LazyServer.Value;

    /// <summary>Another self-signed certificate for the same names, which <see cref="ClientTrustingServer"/> does not trust.</summary>
    public static X509Certificate2 Untrusted => LazyOther.Value;

    /// <summary>A client certificate (client-authentication usage), for mutual TLS.</summary>
    public static X509Certificate2 Client => LazyClient.Value;

    /// <summary>Kestrel's HTTPS options serving <paramref name="certificate"/> (default: <see cref="Server"/>).</summary>
    public static HttpsConnectionAdapterOptions ServerOptions(X509Certificate2? certificate = null) => new() { ServerCertificate = certificate ?? Server };

    /// <summary>Client options that trust only <see cref="Server"/>; the target host is left to the transport unless given.</summary>
    public static SslClientAuthenticationOptions ClientTrustingServer(string? targetHost = null)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(Server.RawData));
        return new SslClientAuthenticationOptions { TargetHost = targetHost, CertificateChainPolicy = policy };
    }

    private static X509Certificate2 Create(string subject, string usage = "1.3.6.1.5.5.7.3.1")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        // Through PKCS#12 so the private key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }
}
