# expect: SX2002 at 3
# A file that includes itself.
include "include_self.thrift"

struct S {
    1: i32 a
}
