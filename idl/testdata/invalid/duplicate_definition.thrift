# expect: SX2003 at 7
# Two definitions named Thing: the error is at the second one.
struct Thing {
    1: i32 a
}

enum Thing {
    A = 1
}
