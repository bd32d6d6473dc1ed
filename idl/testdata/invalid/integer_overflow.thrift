# expect: SX1006 at 3
# One more than the largest i64.
const i64 TOO_BIG = 9223372036854775808
