// Includes a file in a sub-folder and uses its types, typedefs, enums, consts and service.

namespace csharp StreamX.TestData.Includes

include "shared/base.thrift"

typedef base.Name AppName
typedef base.Kind Kind

struct App {
    1: AppName name
    2: base.Kind kind = base.Kind.LARGE
    3: i32 size = base.DEFAULT_SIZE
    4: list<base.Ping> pings
    5: map<base.Kind, base.Pong> pongs
    6: Kind localAlias = base.Kind.SMALL
}

const list<base.Kind> KINDS = base.ALL_KINDS
const base.Ping DEFAULT_PING = { "sender": "app", "kind": base.Kind.LARGE }

service AppService extends base.BaseService {
    App describe(1: AppName name) throws (1: base.BaseError error)
}
