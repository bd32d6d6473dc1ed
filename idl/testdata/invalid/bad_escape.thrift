# expect: SX1005 at 3
# \q is not a Thrift escape sequence.
const string BAD = "a\qb"
