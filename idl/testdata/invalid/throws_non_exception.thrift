# expect: SX2017 at 8
# Only exceptions can be thrown.
struct NotAnError {
    1: string message
}

service S {
    void run() throws (1: NotAnError error)
}
