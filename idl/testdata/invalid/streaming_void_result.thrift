# expect: SX3004 at 12
# The streamed result must be a struct, not void.
struct Request {
    1: string message
}

struct Response {
    1: string message
}

service S {
    void Echo(1: Request req) (streaming.mode="bidirectional")
}
