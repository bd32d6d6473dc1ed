namespace StreamX;

/// <summary>
/// Raised for a call to a service or method the server does not have (or does not implement). The
/// client sees an application exception of type 1 (<c>unknown method</c>) or 20 (<c>unknown
/// service</c>) at once — Kitex servers leave such calls hanging; StreamX answers.
/// </summary>
public sealed class UnknownMethodException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UnknownMethodException(int applicationExceptionType, string message)
        : base(message)
    {
        ApplicationExceptionType = applicationExceptionType;
    }

    /// <summary>The application exception type of an unknown method (1).</summary>
    public const int UnknownMethodType = 1;

    /// <summary>The application exception type of an unknown service (20).</summary>
    public const int UnknownServiceType = 20;

    /// <summary>1 (unknown method) or 20 (unknown service).</summary>
    public int ApplicationExceptionType { get; }

    /// <summary><c>unknown method &lt;m&gt;</c> (type 1).</summary>
    public static UnknownMethodException Method(string method) => new(UnknownMethodType, $"unknown method {method}");

    /// <summary><c>unknown service &lt;s&gt;</c> (type 20).</summary>
    public static UnknownMethodException Service(string service) => new(UnknownServiceType, $"unknown service {service}");
}
