# expect: SX2014 at 7
# A service can only extend a service.
struct NotAService {
    1: i32 a
}

service Child extends NotAService {
}
