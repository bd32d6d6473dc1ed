namespace StreamX.Runtime.Conformance.Tests.Infrastructure;

/// <summary>
/// The conformance classes assert the process-wide <see cref="Diagnostics.StreamCounters"/>, so
/// they run one at a time (xunit runs a collection's tests sequentially).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CountersCollection
{
    public const string Name = "StreamX counters";
}
