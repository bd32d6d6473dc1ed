# expect: SX2007 at 5
struct Point {
    1: double x
    2: double y
    3: double x
}
