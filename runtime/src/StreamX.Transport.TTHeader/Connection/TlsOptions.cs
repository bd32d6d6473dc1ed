using System.Net.Security;

namespace StreamX.Transport.TTHeader;

/// <summary>Helpers for the TLS options of the TTHeader transport.</summary>
internal static class TlsOptions
{
    /// <summary>
    /// A copy of <paramref name="options"/> with <see cref="SslClientAuthenticationOptions.TargetHost"/> set: the
    /// caller's object is never changed. Every settable property is copied (a test checks the list against the
    /// runtime's, so a property added by a later .NET fails it instead of being dropped silently).
    /// </summary>
    public static SslClientAuthenticationOptions WithTargetHost(SslClientAuthenticationOptions options, string targetHost)
    {
        var copy = new SslClientAuthenticationOptions
        {
            AllowRenegotiation = options.AllowRenegotiation,
            AllowTlsResume = options.AllowTlsResume,
            LocalCertificateSelectionCallback = options.LocalCertificateSelectionCallback,
            RemoteCertificateValidationCallback = options.RemoteCertificateValidationCallback,
            ApplicationProtocols = options.ApplicationProtocols,
            TargetHost = targetHost,
            ClientCertificates = options.ClientCertificates,
            ClientCertificateContext = options.ClientCertificateContext,
            CertificateRevocationCheckMode = options.CertificateRevocationCheckMode,
            EncryptionPolicy = options.EncryptionPolicy,
            EnabledSslProtocols = options.EnabledSslProtocols,
            CipherSuitesPolicy = options.CipherSuitesPolicy,
            CertificateChainPolicy = options.CertificateChainPolicy,
        };
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            copy.AllowRsaPssPadding = options.AllowRsaPssPadding;
            copy.AllowRsaPkcs1Padding = options.AllowRsaPkcs1Padding;
        }

        return copy;
    }
}
