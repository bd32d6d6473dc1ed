namespace StreamX;

/// <summary>Which end of a stream reports an error.</summary>
public enum StreamSide
{
    /// <summary>The end that opened the stream (<c>[client-side stream]</c>).</summary>
    Client,

    /// <summary>The end that runs the handler (<c>[server-side stream]</c>).</summary>
    Server,
}
