// Interop IDL for StreamX.Runtime.Tests: Apache Thrift's Python library is the peer.
// The C# twins of these types are hand-written in ../ApacheInterop/Everything.cs and ../TestSupport; keep them in sync.
// (No uuid: the Debian python3-thrift 0.17 predates it.)

namespace py streamx_interop

enum Color {
  RED = 1,
  GREEN = 2,
  BLUE = 3,
}

struct Inner {
  1: i32 id,
  2: optional string name,
}

struct Everything {
  1: bool flag,
  2: i8 b,
  3: i16 s,
  4: i32 i,
  5: i64 l,
  6: double d,
  7: string str,
  8: binary bin,
  9: list<i32> ints,
  10: set<i16> shorts,
  11: map<string, i64> dict,
  12: Inner inner,
  13: list<Inner> inners,
  14: map<i32, list<string>> nested,
  15: list<bool> bools,
  16: Color color,
  17: optional string opt,
  20: bool late_flag,
  40: i32 far,
  41: bool false_flag,
  42: list<double> doubles,
  43: map<string, string> empty_map,
  44: list<list<i64>> lol,
}

struct Request {
  1: i32 a,
  2: string b,
}
