# expect: SX3001 at 12
# streaming.mode given twice.
struct Request {
    1: string message
}

struct Response {
    1: string message
}

service S {
    Response Echo(1: Request req) (streaming.mode="client", streaming.mode="server")
}
