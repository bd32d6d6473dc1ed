# expect: SX3003 at 12
# A streaming method takes exactly one argument.
struct Request {
    1: string message
}

struct Response {
    1: string message
}

service S {
    Response Echo(1: Request req, 2: Request other) (streaming.mode="bidirectional")
}
