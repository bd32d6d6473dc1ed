// The benchmark payload: a representative RPC message (ints, a long, a string, a binary, a list<i32> and a
// nested struct). Its protobuf twin is Protobuf/Order.cs (the message in the comment there).
// C# is generated from this file at build time by streamx-gen (see StreamX.Benchmarks.csproj).

namespace netstd StreamX.Benchmarks.Model

struct Address {
    1: string street
    2: string city
    3: i32 zip
}

struct Order {
    1: i32 id
    2: i64 createdAtMillis
    3: i32 quantity
    4: i32 priority
    5: string customer
    6: binary payload
    7: list<i32> itemIds
    8: Address shipTo
}
