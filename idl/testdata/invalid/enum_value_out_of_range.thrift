# expect: SX2010 at 4
enum Big {
    OK = 2147483647
    TOO_BIG = 2147483648
}
