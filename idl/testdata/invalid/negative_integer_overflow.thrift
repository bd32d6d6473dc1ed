# expect: SX1006 at 3
# One less than the smallest i64.
const i64 TOO_SMALL = -9223372036854775809
