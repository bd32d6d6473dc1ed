# expect: SX2002 at 3 or b.thrift:3
# a.thrift includes b.thrift, which includes a.thrift again.
include "b.thrift"

struct A {
    1: i32 a
}
