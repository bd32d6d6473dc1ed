// Included by ../../services.thrift and ../app.thrift.

namespace csharp StreamX.TestData.Includes.Shared

typedef string Name

enum Kind {
    SMALL = 1
    LARGE = 2
}

struct Ping {
    1: Name sender
    2: Kind kind = Kind.SMALL
}

struct Pong {
    1: Name to
}

exception BaseError {
    1: string message
}

const i32 DEFAULT_SIZE = 16
const list<Kind> ALL_KINDS = [Kind.SMALL, Kind.LARGE]

service BaseService {
    Pong ping(1: Ping ping) throws (1: BaseError error)
}
