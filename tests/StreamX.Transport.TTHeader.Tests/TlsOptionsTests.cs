using System.Net;
using System.Net.Security;
using System.Reflection;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StreamX.Transport.TTHeader.Tests;

public sealed class TlsOptionsTests
{
    /// <summary>
    /// The copy made to fill in the target host keeps every other setting: each settable property gets a value
    /// different from its default, and the copy must carry all of them. A property a later .NET adds fails this
    /// test until <see cref="TlsOptions.WithTargetHost"/> copies it too.
    /// </summary>
    [Fact]
    public void WithTargetHost_CopiesEverySettableProperty()
    {
        RemoteCertificateValidationCallback validate = (_, _, _, _) => true;
        LocalCertificateSelectionCallback select = (_, _, _, _, _) => null!;
        var original = new SslClientAuthenticationOptions
        {
            AllowRenegotiation = false,
            AllowTlsResume = false,
            LocalCertificateSelectionCallback = select,
            RemoteCertificateValidationCallback = validate,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            TargetHost = null,
            ClientCertificates = new X509CertificateCollection(),
            CertificateRevocationCheckMode = X509RevocationMode.Offline,
#pragma warning disable SYSLIB0040 // obsolete value, used only because it differs from the default
            EncryptionPolicy = EncryptionPolicy.AllowNoEncryption,
#pragma warning restore SYSLIB0040
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateChainPolicy = new X509ChainPolicy(),
        };
        using var key = ECDsa.Create();
        using var certificate = new CertificateRequest("CN=copy-test", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        original.ClientCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        if (OperatingSystem.IsLinux())
        {
            original.CipherSuitesPolicy = new CipherSuitesPolicy([TlsCipherSuite.TLS_AES_128_GCM_SHA256]);
        }

        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            original.AllowRsaPssPadding = false;
            original.AllowRsaPkcs1Padding = false;
        }

        var copy = TlsOptions.WithTargetHost(original, "example.test");

        Assert.Equal("example.test", copy.TargetHost);
        Assert.Null(original.TargetHost);
        var skipped = new List<string>();
        foreach (var property in typeof(SslClientAuthenticationOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            if (property.Name == nameof(SslClientAuthenticationOptions.TargetHost))
            {
                continue;
            }

            var expected = property.GetValue(original);
            var defaultValue = property.GetValue(new SslClientAuthenticationOptions());
            if (Equals(expected, defaultValue))
            {
                // The test itself must set every property to a non-default value, or it proves nothing for it.
                skipped.Add(property.Name);
                continue;
            }

            Assert.True(Equals(expected, property.GetValue(copy)), $"{property.Name} was not copied");
        }

        Assert.Empty(skipped);
    }

    [Fact]
    public void DefaultTargetHost_IsTheDnsHostOrTheAddress()
    {
        Assert.Equal("svc.example", TcpDialer.DefaultTargetHost(new DnsEndPoint("svc.example", 8888)));
        Assert.Equal("127.0.0.1", TcpDialer.DefaultTargetHost(new IPEndPoint(IPAddress.Loopback, 8888)));
        Assert.Equal("::1", TcpDialer.DefaultTargetHost(new IPEndPoint(IPAddress.IPv6Loopback, 8888)));
    }
}
