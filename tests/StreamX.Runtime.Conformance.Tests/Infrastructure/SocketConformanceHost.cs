using StreamX.Transport;

namespace StreamX.Runtime.Conformance.Tests.Infrastructure;

/// <summary>
/// A conformance host for a transport on real sockets: one running server and the client transports made for it,
/// whose connections are dropped together and which are disposed after the server.
/// </summary>
/// <typeparam name="TClient">The transport's client type.</typeparam>
/// <param name="dispatcher">The server's dispatcher.</param>
/// <param name="stop">The server's graceful stop.</param>
/// <param name="server">The server, disposed first.</param>
/// <param name="createClient">Makes a client transport connected to the server.</param>
/// <param name="closeConnections">Drops every connection of one client transport.</param>
public sealed class SocketConformanceHost<TClient>(
    StreamXDispatcher dispatcher,
    Func<CancellationToken, Task> stop,
    IAsyncDisposable server,
    Func<TClient> createClient,
    Action<TClient> closeConnections) : IConformanceHost
    where TClient : ClientTransport
{
    private readonly List<TClient> _clients = new();

    public StreamXDispatcher Dispatcher => dispatcher;

    public ClientTransport CreateClientTransport()
    {
        var transport = createClient();
        lock (_clients)
        {
            _clients.Add(transport);
        }

        return transport;
    }

    public void DropConnections()
    {
        lock (_clients)
        {
            foreach (var c in _clients)
            {
                closeConnections(c);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => stop(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        foreach (var c in _clients)
        {
            await c.DisposeAsync();
        }
    }
}
