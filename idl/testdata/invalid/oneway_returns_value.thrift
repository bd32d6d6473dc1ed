# expect: SX2018 at 4
# A oneway method cannot return a value: nobody waits for it.
service S {
    oneway i32 fire(1: i32 value)
}
