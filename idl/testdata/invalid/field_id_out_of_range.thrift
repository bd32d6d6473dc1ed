# expect: SX2025 at 4
# Field ids are 16-bit.
struct S {
    32768: i32 tooBig
}
