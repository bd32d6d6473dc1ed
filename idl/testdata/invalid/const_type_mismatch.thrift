# expect: SX2011 at 3
# A string value for an i32 constant.
const i32 COUNT = "ten"
