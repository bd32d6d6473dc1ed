# expect: SX2005 at 4
# A typedef that contains itself through a container is an infinite type: recursion needs a
# struct in between (see Tree/Forest in valid/structs_unions_exceptions.thrift).
typedef list<Loop> Loop

struct S {
    1: Loop loop
}
