# expect: SX2021 at 7
# A service is not a type.
service Service {
}

struct S {
    1: Service handler
}
