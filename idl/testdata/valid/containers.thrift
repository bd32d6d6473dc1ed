// Containers, nested containers and typedef chains.

namespace csharp StreamX.TestData.Containers

typedef i64 Timestamp
/** A typedef of a typedef of a base type. */
typedef Timestamp CreatedAt
typedef CreatedAt CreatedAtAlias
typedef list<string> Names
typedef map<string, Names> NamesByGroup
typedef set<CreatedAtAlias> Times

struct Item {
    1: string name
}

typedef Item ItemAlias
typedef list<ItemAlias> ItemList

struct Containers {
    1: list<i32> ints
    2: set<string> strings
    3: map<string, i64> counters
    4: list<list<i32>> matrix
    5: map<string, list<set<i16>>> deep
    6: map<i32, map<string, Item>> itemsByIdAndName
    7: list<map<binary, double>> listOfMaps
    8: set<list<string>> setOfLists
    9: map<list<i32>, set<string>> containerKeys
    10: list<Item> items
    11: Names names
    12: NamesByGroup groups
    13: Times times
    14: CreatedAtAlias created
    15: ItemList aliasedItems
    16: map<Timestamp, ItemAlias> byTime
    17: list<list<list<list<string>>>> fourDeep
}

service ContainerService {
    list<Item> listItems(1: set<string> names, 2: map<string, list<i32>> filter)
    NamesByGroup groups()
    ItemList aliased(1: Times times)
}
