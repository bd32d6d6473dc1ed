# expect: SX3002 at 12
# streaming.mode must be one of bidirectional, client, server, unary.
struct Request {
    1: string message
}

struct Response {
    1: string message
}

service S {
    Response Echo(1: Request req) (streaming.mode="duplex")
}
