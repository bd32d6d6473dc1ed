// Names that clash with C# keywords and with generated members: the generator must escape or
// rename them. Thrift type keywords as field names (`string`, `i32`) are accepted by thriftgo and
// by newer Apache Thrift (THRIFT-5626); Apache Thrift 0.17 rejects them.

namespace csharp StreamX.TestData.Keywords

struct class {
    1: string string
    2: i32 event
    3: bool object
    4: i64 int
    5: string namespace
    6: double i32
}

/** A field named like its struct (CS0542 in C#). */
struct Message {
    1: string Message
    2: i32 code
}

enum params {
    ref
    out
    in
    this
}

exception operator {
    1: string message
    2: string base
}

struct Holder {
    1: class value
    2: params which
    3: optional operator error
    4: list<class> classes
}

service lock {
    class fixed(1: class checked, 2: params unchecked) throws (1: operator e)
    void volatile(1: i32 async, 2: string await)
}
