// Enums: implicit, explicit, negative, hex and boundary values, annotations and docs.

namespace csharp StreamX.TestData.Enums

/** Implicit values 0, 1, 2. */
enum Implicit {
    ZERO
    ONE
    TWO
}

enum Explicit {
    A = 1,
    B = 2,
    /** Implicit after explicit: 3. */
    C,
    D = 10;
    E = 0x20
    F = 0x7fffffff
}

enum Negative {
    MINUS_ONE = -1
    MINUS_HEX = -0x10
    SMALLEST = -2147483648
    AFTER_NEGATIVE
}

enum Annotated {
    FIRST = 1 (display = "First")
    SECOND = 2 (deprecated = "use FIRST")
} (csharp.flags = "false")

enum Empty {
}

struct UsesEnums {
    1: Implicit implicitValue = Implicit.ONE
    2: Explicit explicitValue = Explicit.E
    3: Negative negativeValue = Negative.MINUS_HEX
    4: optional Annotated annotated
    5: list<Explicit> values
    6: map<Explicit, Negative> byKey
    7: set<Implicit> flags = [Implicit.ZERO, Implicit.TWO]
    8: Explicit fromInt = 2
}

const Explicit DEFAULT_EXPLICIT = Explicit.D
const map<Implicit, string> IMPLICIT_NAMES = { Implicit.ZERO: "zero", Implicit.ONE: "one" }
