using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using StreamX.Examples.Echo;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using StreamX.Transport;
using StreamX.Transport.Grpc;
using StreamX.Transport.TTHeader;
using static StreamX.Runtime.Conformance.Tests.Infrastructure.EchoService;

namespace StreamX.Runtime.Conformance.Tests;

/// <summary>
/// TLS on the TTHeader transport (the conformance suite runs over it in <see cref="TTHeaderTlsConformanceTests"/>):
/// one TLS port for ttstream and gRPC, and every way a handshake can fail, each a 12006 naming what failed.
/// </summary>
public sealed class TlsTests
{
    private static EchoService Service() => new()
    {
        EchoServer = async (req, responses, ctx) =>
        {
            for (var i = 0; i < 3; i++)
            {
                await responses.SendAsync(Res($"{req.Message}#{i}"));
            }
        },
        PingPong = (req, ctx) => Task.FromResult(Res("pong:" + req.Message)),
    };

    private static Task<StreamXServer> StartTlsServerAsync(StreamXServerOptions? options = null) =>
        StreamXServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0),
            options ?? new StreamXServerOptions { ServiceName = "tls" },
            [TestService.TestServiceBase.BindService(Service())],
            new TTHeaderServerOptions { Tls = TestCertificates.ServerOptions() });

    private static async Task<List<string>> StreamAsync(ClientTransport transport)
    {
        var client = new TestService.TestServiceClient(transport);
        var received = new List<string>();
        await using var call = client.EchoServer(Req("x"));
        await foreach (var r in call.Within())
        {
            received.Add(r.Message!);
        }

        return received;
    }

    /// <summary>One TLS port, both transports: ttstream and unary through SslStream, gRPC negotiated as h2 by ALPN.</summary>
    [Fact]
    public async Task OneTlsPort_ServesTTHeaderAndGrpcClients()
    {
        var dispatcher = new StreamXDispatcher(new StreamXServerOptions { ServiceName = "both" }, [TestService.TestServiceBase.BindService(Service())]);
        await using var server = await StreamXServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0),
            dispatcher,
            new TTHeaderServerOptions { Tls = TestCertificates.ServerOptions() },
            StreamXGrpc.CreateRequestDelegate(dispatcher));

        await using var tt = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { Tls = TestCertificates.ClientTrustingServer() });
        await using var grpc = new GrpcClientTransport(new GrpcClientOptions
        {
            Address = new Uri($"https://{server.LocalEndPoint}"),
            ConfigureHandler = h => h.SslOptions = TestCertificates.ClientTrustingServer(),
        });
        foreach (var transport in new ClientTransport[] { tt, grpc })
        {
            Assert.Equal(["x#0", "x#1", "x#2"], await StreamAsync(transport));
            Assert.Equal("pong:p", (await new TestService.TestServiceClient(transport).PingPongAsync(Req("p")).Within()).Message);
        }
    }

    /// <summary>The gRPC-only server over TLS (h2 by ALPN); a cleartext (h2c) client cannot use it.</summary>
    [Fact]
    public async Task GrpcServer_OverTls_ServesHttpsClients()
    {
        var dispatcher = new StreamXDispatcher(new StreamXServerOptions(), [TestService.TestServiceBase.BindService(Service())]);
        await using var server = await StreamXGrpcServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), dispatcher, null, TestCertificates.ServerOptions());
        await using var https = new GrpcClientTransport(new GrpcClientOptions
        {
            Address = new Uri($"https://{server.LocalEndPoint}"),
            ConfigureHandler = h => h.SslOptions = TestCertificates.ClientTrustingServer(),
        });
        Assert.Equal(["x#0", "x#1", "x#2"], await StreamAsync(https));

        await using var cleartext = new GrpcClientTransport(server.LocalEndPoint);
        var e = await Assert.ThrowsAsync<StreamXException>(() => StreamAsync(cleartext));
        Assert.Equal(12006, e.Error.Code);
    }

    /// <summary>A <see cref="DnsEndPoint"/> gives the target host the certificate is checked against.</summary>
    [Fact]
    public async Task DnsEndPoint_IsTheDefaultTargetHost()
    {
        await using var server = await StartTlsServerAsync();
        var options = TestCertificates.ClientTrustingServer();
        await using var tt = new TTHeaderClientTransport(new DnsEndPoint("localhost", server.LocalEndPoint.Port), new TTHeaderClientOptions { Tls = options });
        Assert.Equal(["x#0", "x#1", "x#2"], await StreamAsync(tt));
        Assert.Null(options.TargetHost); // the caller's options are not changed
    }

    [Fact]
    public async Task UntrustedCertificate_FailsStreamsAndUnaryCallsWith12006_NamingTheHandshake()
    {
        await using var server = await StreamXServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0),
            new StreamXServerOptions(),
            [TestService.TestServiceBase.BindService(Service())],
            new TTHeaderServerOptions { Tls = TestCertificates.ServerOptions(TestCertificates.Untrusted) });
        await using var tt = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { Tls = TestCertificates.ClientTrustingServer() });

        var stream = await Assert.ThrowsAsync<StreamXException>(() => StreamAsync(tt));
        var unary = await Assert.ThrowsAsync<StreamXException>(() => new TestService.TestServiceClient(tt).PingPongAsync(Req("p")).Within());
        foreach (var e in new[] { stream, unary })
        {
            Assert.Equal(12006, e.Error.Code);
            var cause = Assert.IsType<AuthenticationException>(e.Error.Cause);
            Assert.StartsWith($"TLS handshake with {server.LocalEndPoint} (target host '127.0.0.1') failed: ", cause.Message);
        }
    }

    [Fact]
    public async Task WrongTargetHost_FailsWith12006_AuthenticationException()
    {
        await using var server = await StartTlsServerAsync();
        await using var tt = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { Tls = TestCertificates.ClientTrustingServer("wrong.example") });

        var e = await Assert.ThrowsAsync<StreamXException>(() => StreamAsync(tt));
        Assert.Equal(12006, e.Error.Code);
        Assert.StartsWith($"TLS handshake with {server.LocalEndPoint} (target host 'wrong.example') failed: ", Assert.IsType<AuthenticationException>(e.Error.Cause).Message);
    }

    /// <summary>A TLS client on a plain endpoint: the client says what probably happened, the server logs why it closed.</summary>
    [Fact]
    public async Task TlsClient_PlainServer_ClientGets12006_ServerLogsTheTlsHandshake()
    {
        var logs = new SignalingLoggerProvider("TLS handshake");
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        await using var server = await StreamXServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0),
            new StreamXServerOptions { LoggerFactory = factory },
            [TestService.TestServiceBase.BindService(Service())]);
        await using var tt = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { Tls = TestCertificates.ClientTrustingServer() });

        var e = await Assert.ThrowsAsync<StreamXException>(() => StreamAsync(tt));
        Assert.Equal(12006, e.Error.Code);
        var cause = Assert.IsType<IOException>(e.Error.Cause);
        Assert.StartsWith($"TLS handshake with {server.LocalEndPoint} (target host '127.0.0.1') failed: ", cause.Message);
        Assert.EndsWith("(is the server serving TLS on this port?)", cause.Message);

        var logged = await logs.Seen.Task.Within();
        Assert.Equal(LogLevel.Information, logged.Level);
        Assert.Contains("not configured for TLS", logged.Message);
    }

    /// <summary>A plain client on a TLS endpoint: its bytes fail the server's handshake and the connection closes; no hang.</summary>
    [Fact]
    public async Task PlainClient_TlsServer_FailsWith12006()
    {
        await using var server = await StartTlsServerAsync();
        await using var tt = new TTHeaderClientTransport(server.LocalEndPoint);

        var stream = await Assert.ThrowsAsync<StreamXException>(() => StreamAsync(tt));
        Assert.Equal(12006, stream.Error.Code);
        Assert.Equal("connection closed by peer", Assert.IsType<IOException>(stream.Error.Cause).Message);
        var unary = await Assert.ThrowsAsync<StreamXException>(() => new TestService.TestServiceClient(tt).PingPongAsync(Req("p")).Within());
        Assert.Equal(12006, unary.Error.Code);
    }

    /// <summary>A peer that accepts TCP and never answers the handshake: the dial timeout covers the handshake.</summary>
    [Fact]
    public async Task SilentPeer_HandshakeCountsAgainstTheDialTimeout()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(8);
        var endPoint = (IPEndPoint)listener.LocalEndPoint!;
        await using var tt = new TTHeaderClientTransport(endPoint, new TTHeaderClientOptions
        {
            Tls = TestCertificates.ClientTrustingServer(),
            DialTimeout = TimeSpan.FromMilliseconds(300),
        });

        var e = await Assert.ThrowsAsync<StreamXException>(() => StreamAsync(tt));
        Assert.Equal(12006, e.Error.Code);
        Assert.Equal($"dial {endPoint} timed out after 300ms (TCP connect and TLS handshake)", Assert.IsType<TimeoutException>(e.Error.Cause).Message);
    }

    /// <summary>Mutual TLS through Kestrel's options: a client with the expected certificate gets in, one without does not.</summary>
    [Fact]
    public async Task MutualTls_RequiresTheClientCertificate()
    {
        var tls = TestCertificates.ServerOptions();
        tls.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
        tls.ClientCertificateValidation = (certificate, _, _) => certificate.Thumbprint == TestCertificates.Client.Thumbprint;
        await using var server = await StreamXServer.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0),
            new StreamXServerOptions(),
            [TestService.TestServiceBase.BindService(Service())],
            new TTHeaderServerOptions { Tls = tls });

        var withCertificate = TestCertificates.ClientTrustingServer();
        withCertificate.ClientCertificates = [TestCertificates.Client];
        await using (var tt = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { Tls = withCertificate }))
        {
            Assert.Equal(["x#0", "x#1", "x#2"], await StreamAsync(tt));
        }

        await using (var tt = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { Tls = TestCertificates.ClientTrustingServer() }))
        {
            // TLS 1.3: the client's handshake may finish before the server rejects the missing certificate, so
            // the refusal arrives as the handshake's failure or as the connection closing under the first call.
            var e = await Assert.ThrowsAsync<StreamXException>(() => StreamAsync(tt));
            Assert.True(e.Error.Code == 12006 && e.Error.Cause is IOException or AuthenticationException, e.ToString());
        }
    }

    /// <summary>Sequential unary calls over TLS share one pooled connection (its idle check does not mistake TLS records for a close).</summary>
    [Fact]
    public async Task UnaryCallsOverTls_ReuseTheirConnection()
    {
        await using var server = await StartTlsServerAsync();
        await using var tt = new TTHeaderClientTransport(server.LocalEndPoint, new TTHeaderClientOptions { Tls = TestCertificates.ClientTrustingServer() });
        var client = new TestService.TestServiceClient(tt);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal($"pong:{i}", (await client.PingPongAsync(Req($"{i}")).Within()).Message);
        }

        Assert.Equal(1, tt.OpenConnections);
    }

    [Fact]
    public void ServerTls_WithoutACertificate_IsRejectedByValidate()
    {
        var e = Assert.Throws<ArgumentException>(() => new TTHeaderServerOptions { Tls = new HttpsConnectionAdapterOptions() }.Validate());
        Assert.StartsWith("Tls needs a ServerCertificate or a ServerCertificateSelector.", e.Message);
    }
}
