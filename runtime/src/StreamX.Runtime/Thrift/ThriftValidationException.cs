namespace StreamX.Thrift;

/// <summary>
/// A generated struct that breaks its IDL contract: a required field missing on write or read, a
/// required field read before it was set, or a union without exactly one field set. The message
/// names the struct and the field.
/// </summary>
public sealed class ThriftValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ThriftValidationException(string structName, string? fieldName, string message)
        : base(message)
    {
        StructName = structName;
        FieldName = fieldName;
    }

    /// <summary>The IDL name of the struct, union or exception.</summary>
    public string StructName { get; }

    /// <summary>The IDL name of the field concerned, when there is one.</summary>
    public string? FieldName { get; }

    /// <summary>A required field is not set (on write) or absent from the wire (on read).</summary>
    public static ThriftValidationException MissingRequired(string structName, string fieldName) =>
        new(structName, fieldName, $"required field '{fieldName}' of '{structName}' is not set");

    /// <summary>A required field's property was read before a value was assigned.</summary>
    public static ThriftValidationException Unset(string structName, string fieldName) =>
        new(structName, fieldName, $"required field '{fieldName}' of '{structName}' has not been set yet");

    /// <summary>A union with zero or several fields set.</summary>
    public static ThriftValidationException UnionSetCount(string unionName, int count) =>
        new(unionName, null, $"union '{unionName}' must have exactly one field set, but has {count}");
}
