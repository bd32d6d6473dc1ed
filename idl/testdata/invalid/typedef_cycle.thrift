# expect: SX2005 at 3 or 4
# Two typedefs that alias each other.
typedef Second First
typedef First Second

struct S {
    1: First f
}
