# expect: SX2023 at 3 or 4
# Two constants defined by each other.
const i32 A = B
const i32 B = A
