# expect: SX2004 at 4
# A qualified type whose program was never included.
struct S {
    1: common.Item item
}
