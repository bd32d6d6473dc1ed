# expect: SX2012 at 3
# A value that names no constant or enum value.
const i32 VALUE = NOT_DEFINED
