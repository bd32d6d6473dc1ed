# expect: SX2009 at 5
enum Color {
    RED = 1
    GREEN = 2
    RED = 3
}
