# expect: SX1002 at 4
# $ cannot start any Thrift token.
struct S {
    1: i32 a $
}
