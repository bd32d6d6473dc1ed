namespace StreamX;

/// <summary>How a method streams (Kitex <c>streaming.mode</c>).</summary>
public enum StreamingMode
{
    /// <summary>One request, one response (PingPong, or <c>streaming.mode="unary"</c>).</summary>
    Unary,

    /// <summary>Many requests, one response.</summary>
    ClientStreaming,

    /// <summary>One request, many responses.</summary>
    ServerStreaming,

    /// <summary>Many of each, independently.</summary>
    Bidirectional,
}
