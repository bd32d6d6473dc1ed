// Forward references: every name is used before it is declared. Accepted by thriftgo/Kitex and
// needed by the corpus (thriftrw const.thrift, thriftgo sample1b); Apache Thrift 0.17 resolves
// forward struct references but not forward consts or forward exceptions in throws.

namespace csharp StreamX.TestData.Forward

const i32 FORWARD_CONST = LATER_CONST
const i32 LATER_CONST = 7

typedef LaterStruct LaterAlias

struct Early {
    1: LaterStruct later
    2: LaterAlias alias
    3: LaterEnum kind = LaterEnum.B
    4: i32 size = LATER_CONST
}

service EarlyService extends LaterService {
    LaterStruct get(1: Early early) throws (1: LaterException error)
}

service LaterService {
    void ping()
}

struct LaterStruct {
    1: optional Early back
}

enum LaterEnum {
    A = 1
    B = 2
}

exception LaterException {
    1: string message
}
