# expect: SX2012 at 8
enum Color {
    RED = 1
}

struct Paint {
    1: Color color = Color.RED
    2: Color other = Color.PURPLE
}
