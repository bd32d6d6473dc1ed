# expect: SX1004 at 5
struct S {
    1: i32 a
}
/* This comment is never closed.
struct T {
    1: i32 b
}
