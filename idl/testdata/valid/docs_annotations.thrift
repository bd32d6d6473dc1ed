# A hash comment before any definition.
// A line comment.
/* A block comment that is not documentation. */

namespace csharp StreamX.TestData.Docs (csharp.note = "annotated namespace")

/**
 * A documented struct.
 * Second line of the doc, with <b>markup</b> & symbols.
 */
struct Documented {
    /** The id. */
    1: i32 id
    /**
     * A deprecated field, kept for wire compatibility.
     */
    2: optional string legacy (deprecated = "use id")
    3: optional string old (deprecated)
    4: i32 annotatedType (csharp.type = "int")
    5: list<string (element.note = "x")> annotatedElements
} (deprecated = "use Replacement", csharp.sealed = "true")

/** Replaces Documented. */
struct Replacement {
    1: i32 id
}

/** A typedef with a doc comment. */
typedef i32 (base.note = "y") Annotatedint

/** A documented constant. */
const i32 DOCUMENTED = 1

/** A documented enum. */
enum Color {
    /** Red. */
    RED = 1
    GREEN = 2 (deprecated)
}

/** A documented exception. */
exception Missing {
    1: string message
}

/** A documented service. */
service DocumentedService {
    /** A documented method. */
    Replacement get(
        /** The id to get. */
        1: i32 id
    ) throws (
        /** When it is missing. */
        1: Missing missing
    )

    /** Deprecated method. */
    void old() (deprecated = "use get")
} (service.note = "z")
