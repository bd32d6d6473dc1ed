// Constants of every kind, referring to each other and to enum values.

namespace csharp StreamX.TestData.Consts

enum Level {
    LOW = 1
    HIGH = 2
}

struct Limits {
    1: i32 min
    2: i32 max
    3: optional Level level
    4: list<string> names
}

const bool FLAG = true
const bool FLAG_FROM_INT = 1
const byte A_BYTE = 127
const i8 AN_I8 = -128
const i16 AN_I16 = 32767
const i32 AN_I32 = -2147483648
const i64 AN_I64 = 9223372036854775807
const i64 HEX_I64 = 0x7fffffffffffffff
const i32 NEGATIVE_HEX = -0x1F
const double A_DOUBLE = 3.14159
const double EXPONENT = 1.5e-10
const double FROM_INT = 42
const string GREETING = "hello \"world\"\n\t\\"
const string SINGLE_QUOTED = 'single "quoted"'
const binary BYTES = "bytes"
const i32 COPY = AN_I32
const Level LEVEL = Level.HIGH
const Level LEVEL_FROM_INT = 1
const list<i32> INTS = [1, 2, 3, AN_I32]
const list<string> EMPTY_LIST = []
const set<string> STRINGS = ["x", "y"]
const map<string, i32> MAP = { "one": 1, "two": 2 }
const map<Level, list<string>> LEVEL_NAMES = { Level.LOW: ["low", "l"], Level.HIGH: ["high"] }
const map<string, map<string, i32>> NESTED_MAP = { "outer": { "inner": 1 } }
const list<map<string, Level>> LIST_OF_MAPS = [{ "a": Level.LOW }, { "b": Level.HIGH }]
const Limits LIMITS = { "min": 1, "max": AN_I16, "level": Level.LOW, "names": ["n"] }
const list<Limits> MANY_LIMITS = [{ "min": 0, "max": 1 }, { "min": 2, "max": 3, "level": Level.HIGH }]
const map<string, Limits> LIMITS_BY_NAME = { "default": { "min": 5, "max": 6 } };
