// Services: extends (within a file and across an include), oneway, throws, void, and every
// Kitex streaming mode.

namespace csharp StreamX.TestData.Services
namespace go testdata.services

include "includes/shared/base.thrift"

struct Request {
    1: required string message
}

struct Response {
    1: required string message
}

exception Failure {
    1: string message
    2: i32 code
}

exception Retry {
    1: string message
}

service Base {
    void ping()
    oneway void notify(1: string event)
    Response get(1: Request req) throws (1: Failure failure, 2: Retry retry)
}

service Streaming extends Base {
    Response PingPong(1: Request req)
    Response Unary(1: Request req) (streaming.mode = "unary")
    Response ClientStream(1: Request req) (streaming.mode = "client")
    Response ServerStream(1: Request req) (streaming.mode = "server")
    Response Bidi(1: Request req) (streaming.mode = "bidirectional")
}

/** Inherits all streaming methods and adds one. */
service StreamingChild extends Streaming {
    Response More(1: Request req) (streaming.mode = "server")
}

/** Extends a service from an included file. */
service Remote extends base.BaseService {
    base.Pong remotePing(1: base.Ping ping)
}

service Empty {
}

service StreamingOnly {
    Response Only(1: Request req) (streaming.mode = "bidirectional")
    /** Kitex ignores a throws clause on a streaming method (a warning, not an error). */
    Response WithThrows(1: Request req) throws (1: Failure failure) (streaming.mode = "server")
}
