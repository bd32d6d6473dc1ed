using StreamX.InMemory;
using StreamX.Runtime.Conformance.Tests.Infrastructure;
using StreamX.Transport;

namespace StreamX.Runtime.Conformance.Tests;

/// <summary>The conformance suite over the in-memory transport.</summary>
public sealed class InMemoryConformanceTests : StreamConformanceTests
{
    protected override string TransportName => "inmemory";

    protected override int MaxMessagesBeforeBackpressure => 64;

    protected override Task<IConformanceHost> StartServerAsync(StreamXServerOptions options, params ServiceDefinition[] services) =>
        Task.FromResult<IConformanceHost>(new Host(new InMemoryServer(options, services)));

    private sealed class Host(InMemoryServer server) : IConformanceHost
    {
        public StreamXDispatcher Dispatcher => server.Dispatcher;

        public ClientTransport CreateClientTransport() => server.CreateClientTransport();

        public void DropConnections() => server.DropConnections();

        public Task StopAsync(CancellationToken cancellationToken = default) => server.StopAsync(cancellationToken);

        public ValueTask DisposeAsync() => server.DisposeAsync();
    }
}
