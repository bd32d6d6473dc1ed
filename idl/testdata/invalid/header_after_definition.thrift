# expect: SX1009 at 7
struct S {
    1: i32 a
}

# Includes and namespaces must come before all definitions.
namespace csharp Too.Late
