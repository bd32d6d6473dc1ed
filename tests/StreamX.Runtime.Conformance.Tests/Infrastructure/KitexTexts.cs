namespace StreamX.Runtime.Conformance.Tests.Infrastructure;

/// <summary>Error texts Kitex prints word for word, as the captures show them.</summary>
public static class KitexTexts
{
    /// <summary>The reason of a caller's cancel (12007).</summary>
    public const string UserCancelText = "user code invoking stream RPC with context processed by context.WithCancel or context.WithTimeout, then invoking cancel() actively";
}
