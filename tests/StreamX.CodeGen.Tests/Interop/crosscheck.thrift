// Cross-implementation check of GENERATED code: Apache Thrift's Python code (thrift --gen py, Debian's
// thrift-compiler 0.17) and StreamX's C# code are generated from this file and must agree on every byte.
// Used by GeneratedCodeInteropTests with crosscheck.py (Python fixtures) and CrossCheckFixtures.cs.txt
// (the same fixtures in C#); keep the three in sync.
//
// No uuid field: Apache Thrift 0.17 does not know the type ("Type "uuid" not defined"); it arrived in 0.19.

namespace py crosscheck
namespace netstd StreamX.CrossCheck

/** Negative values and both i32 extremes. */
enum Level {
    LOWEST = -2147483648
    MINUS_TWO = -2
    MINUS_ONE = -1
    ZERO = 0
    ONE = 1
    HIGHEST = 2147483647
}

enum Color {
    RED = 1
    GREEN = 2
    BLUE = 3
}

struct Point {
    1: required i32 x
    2: required i32 y
}

/** Every base type Thrift 0.17 has, default requiredness. */
struct Primitives {
    1: bool flag
    2: byte legacyByte
    3: i8 tiny
    4: i16 small
    5: i32 medium
    6: i64 large
    7: double real
    8: string text
    9: binary blob
    10: Level level
}

/** Large field ids, declared out of order (Compact: short and long field headers, bools in both). */
struct Sparse {
    32767: i32 last
    100: string hundred
    1: bool first
    16: i64 sixteen
    17: i8 seventeen
    50: double fifty
    200: bool farFlag
    3: optional i16 three
}

union Choice {
    1: i32 number
    2: string name
    3: Point point
    4: list<Color> colors
    5: binary raw
}

exception Failure {
    1: string message
    2: i32 code
    3: optional Level level
    4: list<string> details
}

struct Everything {
    1: required Primitives prims
    2: optional Primitives optPrims
    3: required string requiredText
    4: optional i32 optInt
    5: optional string optText
    6: optional binary optBlob
    7: list<Point> points
    8: list<list<i64>> matrix
    9: list<string> words
    10: list<bool> bools
    11: list<double> doubles
    12: list<Level> levels
    13: optional set<i32> ints
    14: optional set<Color> colors
    15: optional map<Color, Point> byColor
    16: optional map<string, list<i32>> groups
    17: optional map<i32, map<string, i64>> nestedMaps
    18: optional list<set<i16>> listOfSets
    19: Choice choice
    20: optional Failure failure
    21: Sparse sparse
    22: list<Choice> choices
    23: list<binary> blobs
    24: optional list<map<Level, string>> listOfMaps
    25: optional set<string> tags
}
