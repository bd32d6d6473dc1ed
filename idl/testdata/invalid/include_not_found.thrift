# expect: SX2001 at 3
# The included file does not exist.
include "does/not/exist.thrift"

struct S {
    1: i32 a
}
