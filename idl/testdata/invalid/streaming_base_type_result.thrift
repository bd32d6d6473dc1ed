# expect: SX3004 at 12
# The streamed result must be a struct.
struct Request {
    1: string message
}

struct Response {
    1: string message
}

service S {
    string Echo(1: Request req) (streaming.mode="server")
}
