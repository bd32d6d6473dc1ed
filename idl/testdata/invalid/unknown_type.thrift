# expect: SX2004 at 4
# A field whose type names nothing.
struct Holder {
    1: Missing value
}
