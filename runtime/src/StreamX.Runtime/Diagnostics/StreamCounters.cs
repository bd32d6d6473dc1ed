namespace StreamX.Diagnostics;

/// <summary>
/// Live counts of what the runtime holds for streams, so tests (and health checks) can assert that
/// every ending — normal, error, cancel, dispose — releases everything.
/// </summary>
public static class StreamCounters
{
    private static long _clientStreams;
    private static long _serverStreams;
    private static long _registrations;
    private static long _handlers;

    /// <summary>Client streams not yet finished.</summary>
    public static long ActiveClientStreams => Interlocked.Read(ref _clientStreams);

    /// <summary>Server streams not yet finished.</summary>
    public static long ActiveServerStreams => Interlocked.Read(ref _serverStreams);

    /// <summary>Cancellation registrations and timers held for streams.</summary>
    public static long ActiveRegistrations => Interlocked.Read(ref _registrations);

    /// <summary>Server handlers running.</summary>
    public static long RunningHandlers => Interlocked.Read(ref _handlers);

    internal static void ClientStreamOpened() => Interlocked.Increment(ref _clientStreams);

    internal static void ClientStreamClosed() => Interlocked.Decrement(ref _clientStreams);

    internal static void ServerStreamOpened() => Interlocked.Increment(ref _serverStreams);

    internal static void ServerStreamClosed() => Interlocked.Decrement(ref _serverStreams);

    internal static void RegistrationAdded() => Interlocked.Increment(ref _registrations);

    internal static void RegistrationRemoved() => Interlocked.Decrement(ref _registrations);

    internal static void HandlerStarted() => Interlocked.Increment(ref _handlers);

    internal static void HandlerEnded() => Interlocked.Decrement(ref _handlers);
}
