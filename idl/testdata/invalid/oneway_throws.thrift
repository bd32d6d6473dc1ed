# expect: SX2018 at 8
# A oneway method cannot throw: nobody waits for it.
exception Failure {
    1: string message
}

service S {
    oneway void fire(1: i32 value) throws (1: Failure failure)
}
