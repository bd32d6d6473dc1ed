// Structs, unions and exceptions, including recursion and empty ones.

namespace csharp StreamX.TestData.Structs

struct Empty {
}

struct Point {
    1: double x
    2: double y
}

/** A recursive struct: a tree of nodes. */
struct Node {
    1: string label
    2: list<Node> children
    3: optional Node parent
}

/** Recursion through a typedef of a container is fine when a struct is in the loop. */
typedef list<Tree> Forest

struct Tree {
    1: string name
    2: Forest children
    3: map<string, Forest> groves
}

union Shape {
    1: Point point
    2: list<Point> polygon
    3: double radius
    4: Empty nothing
}

union EmptyUnion {
}

/** An exception with a message field (C# exceptions already have Message). */
exception NotFound {
    1: string message
    2: i32 code = 404
}

exception Unavailable {
    1: optional string message
    2: optional i64 retryAfterMillis
}

exception Bare {
}

struct WithDefaults {
    1: i32 count = 10
    2: string name = "unnamed"
    3: bool enabled = true
    4: double ratio = 0.5
    5: Point origin = { "x": 0.0, "y": 1.5 }
    6: list<string> tags = ["a", "b"]
    7: map<string, i32> limits = { "low": 1, "high": 100 }
    8: optional Shape shape
    9: binary blob = "raw"
    10: i64 big = 9223372036854775807
    11: i64 small = -9223372036854775808
    12: i16 hex = 0x7fff
}
