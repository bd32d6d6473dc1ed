// The uuid base type (Thrift 0.19+): field, container element, map key, const and default.

namespace csharp StreamX.TestData.Uuids

const uuid WELL_KNOWN = "00000000-0000-0000-0000-000000000001"
const uuid WITH_BRACES = "{8e9b1ad2-6c8f-4c38-9d7a-0a1b2c3d4e5f}"
const list<uuid> SOME_IDS = ["5f9c0c43-8b21-4a58-a0b6-9f2f0f1e2d3c", "d5b8e2a0-3c4d-4e5f-8a9b-0c1d2e3f4a5b"]

struct Identified {
    1: required uuid id
    2: optional uuid parent = WELL_KNOWN
    3: list<uuid> children
    4: set<uuid> tags
    5: map<uuid, string> names
    6: uuid fixed = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
}

service UuidService {
    uuid newId()
    Identified lookup(1: uuid id)
}
