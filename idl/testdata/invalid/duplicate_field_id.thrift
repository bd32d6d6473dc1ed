# expect: SX2006 at 5
struct Point {
    1: double x
    2: double y
    2: double z
}
