// Every Thrift base type as a struct field, an argument and a return type
// (uuid lives in uuid.thrift: Apache Thrift 0.17 does not know it yet).

namespace csharp StreamX.TestData.BaseTypes
namespace go testdata.basetypes

/** Every base type once, with default requiredness. */
struct AllBaseTypes {
    1: bool aBool
    2: byte aByte
    3: i8 anI8
    4: i16 anI16
    5: i32 anI32
    6: i64 anI64
    7: double aDouble
    8: string aString
    9: binary aBinary
}

/** The same types as optional and required fields. */
struct Requiredness {
    1: required bool requiredBool
    2: optional i8 optionalI8
    3: required i16 requiredI16
    4: optional i32 optionalI32
    5: required i64 requiredI64
    6: optional double optionalDouble
    7: required string requiredString
    8: optional binary optionalBinary
}

service BaseTypeService {
    bool echoBool(1: bool value)
    i8 echoI8(1: i8 value)
    i16 echoI16(1: i16 value)
    i32 echoI32(1: i32 value)
    i64 echoI64(1: i64 value)
    double echoDouble(1: double value)
    string echoString(1: string value)
    binary echoBinary(1: binary value)
    void nothing()
}
