// Legacy syntax real IDL still uses; accepted with warnings only (never errors).

cpp_include "<vector>"
namespace csharp StreamX.TestData.Legacy
namespace py.twisted legacy.twisted
namespace * legacy

/** senum: a deprecated string enumeration, treated as a string typedef. */
senum Season {
    "spring",
    "summer"
}

struct UsesLegacy {
    1: Season season = "spring"
    2: list<string> names
    // A field without an explicit id gets Thrift's implicit negative id.
    string implicitId
}

service LegacyService {
    Season current()
}
