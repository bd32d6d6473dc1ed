using StreamX.Transport;

namespace StreamX.Runtime.Conformance.Tests.Infrastructure;

/// <summary>A running server of one transport, as the conformance suite needs it.</summary>
public interface IConformanceHost : IAsyncDisposable
{
    /// <summary>A new client transport connected to this server.</summary>
    ClientTransport CreateClientTransport();

    /// <summary>The server's dispatcher.</summary>
    StreamXDispatcher Dispatcher { get; }

    /// <summary>Breaks every connection (server handlers see 12013, clients 12006).</summary>
    void DropConnections();

    /// <summary>Graceful stop; <paramref name="cancellationToken"/> cuts it short.</summary>
    Task StopAsync(CancellationToken cancellationToken = default);
}
