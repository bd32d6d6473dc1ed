# expect: SX2022 at 6
# A struct is not a value (the thriftrw type-mismatch case uses a service).
struct Foo {
}

const i32 BAR = Foo
