# expect: SX3005 at 12
# A streaming method cannot be oneway.
struct Request {
    1: string message
}

struct Response {
    1: string message
}

service S {
    oneway void Echo(1: Request req) (streaming.mode="client")
}
