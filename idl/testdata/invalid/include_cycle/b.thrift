# Not an entry (no expect line): the other half of the include cycle of a.thrift.
# b.thrift includes a.thrift.
include "a.thrift"

struct B {
    1: i32 b
}
