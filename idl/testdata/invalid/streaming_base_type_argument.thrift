# expect: SX3004 at 12
# The streamed argument must be a struct.
struct Request {
    1: string message
}

struct Response {
    1: string message
}

service S {
    Response Echo(1: string message) (streaming.mode="client")
}
