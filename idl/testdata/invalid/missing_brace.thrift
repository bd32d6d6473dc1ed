# expect: SX1001 at 4
# The struct's opening brace is missing: the parser meets the field id instead.
struct Point
    1: double x
    2: double y
}
