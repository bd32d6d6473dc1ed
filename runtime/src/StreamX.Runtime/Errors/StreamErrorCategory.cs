namespace StreamX;

/// <summary>The family of a stream error (Kitex's parent errors), for code that branches without parsing text.</summary>
public enum StreamErrorCategory
{
    /// <summary>No family (12001, application exceptions).</summary>
    None,

    /// <summary><c>streaming protocol error</c>: 12002–12006.</summary>
    Protocol,

    /// <summary><c>streaming canceled</c>: 12007–12013. Surfaces as <see cref="OperationCanceledException"/>.</summary>
    Canceled,

    /// <summary><c>streaming timeout</c>: 12014, 12015.</summary>
    Timeout,
}
