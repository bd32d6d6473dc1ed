#!/usr/bin/env python3
"""Apache Thrift (Python) side of GeneratedCodeInteropTests: fixed instances of the types in crosscheck.thrift.

usage: crosscheck.py GEN_DIR encode
           prints one line per fixture and protocol: "<name> <protocol> <hex>"
       crosscheck.py GEN_DIR decode
           reads lines "<name> <protocol> <hex>" from stdin (bytes written by StreamX's generated C#), decodes each
           with Apache Thrift's generated Python, compares it with the fixture <name>, re-encodes the decoded value
           with the same protocol and prints "<name> <protocol> <OK|FAIL:reason> <hex>"

GEN_DIR holds the output of `thrift --gen py -out GEN_DIR crosscheck.thrift`. The C# twins of these fixtures are in
CrossCheckFixtures.cs.txt; keep the two in sync (same names, same values, same insertion order). Every field that
C# always writes (a value-typed field with default requiredness) is set here, since Python writes only what is
not None. No value is NaN (NaN != NaN).
"""
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])

from thrift.protocol import TBinaryProtocol, TCompactProtocol  # noqa: E402
from thrift.transport import TTransport  # noqa: E402

from crosscheck.ttypes import (  # noqa: E402
    Choice, Color, Everything, Failure, Level, Point, Primitives, Sparse)

PROTOCOLS = {
    "binary": TBinaryProtocol.TBinaryProtocol,
    "compact": TCompactProtocol.TCompactProtocol,
}

# Two-, three- and four-byte UTF-8 sequences, a surrogate pair in UTF-16 (the emoji) and an embedded NUL.
UNICODE = "h\u00e9llo w\u00f6rld \u20ac \u65e5\u672c\u8a9e \U0001F600 \u0000 end"

I64_MAX = 9223372036854775807
I64_MIN = -9223372036854775808
I32_MAX = 2147483647
I32_MIN = -2147483648

# Compact varint/zigzag boundaries.
EDGE_I64 = [0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, -8192, -8193, I32_MAX, I32_MIN,
            4294967296, 9007199254740993, I64_MAX, I64_MIN]


def primitives_max():
    return Primitives(flag=True, legacyByte=127, tiny=127, small=32767, medium=I32_MAX, large=I64_MAX,
                      real=1.7976931348623157e308, text="max", blob=b"\xff\xff\xff", level=Level.HIGHEST)


def primitives_min():
    return Primitives(flag=False, legacyByte=-128, tiny=-128, small=-32768, medium=I32_MIN, large=I64_MIN,
                      real=-1.7976931348623157e308, text="", blob=b"", level=Level.LOWEST)


def primitives_odd():
    return Primitives(flag=True, legacyByte=-1, tiny=1, small=-1, medium=-1, large=-1, real=-0.0,
                      text=UNICODE, blob=bytes(range(256)), level=Level.MINUS_ONE)


def sparse_all():
    return Sparse(last=I32_MIN, hundred="hundred", first=True, sixteen=I64_MIN, seventeen=-128, fifty=-0.5,
                  farFlag=False, three=-32768)


def ordered_everything():
    """Everything with every list, optional and nested field set, but no set or map."""
    return Everything(
        prims=primitives_odd(),
        optPrims=primitives_min(),
        requiredText=UNICODE,
        optInt=0,
        optText="",
        optBlob=b"",
        points=[Point(x=0, y=0), Point(x=-1, y=I32_MAX), Point(x=I32_MIN, y=1)],
        matrix=[EDGE_I64, [], [42]],
        words=["", "a", UNICODE, "x" * 300],
        bools=[True, False, False, True] * 5,
        doubles=[float("inf"), float("-inf"), 5e-324, -0.0, 0.1, 1e300, -2.5],
        levels=[Level.LOWEST, Level.MINUS_TWO, Level.MINUS_ONE, Level.ZERO, Level.ONE, Level.HIGHEST],
        choice=Choice(point=Point(x=7, y=-7)),
        failure=Failure(message="inner failure", code=I32_MIN, level=Level.ZERO, details=[]),
        sparse=sparse_all(),
        choices=[Choice(number=0), Choice(name=""), Choice(colors=[]), Choice(raw=b"\x00"),
                 Choice(point=Point(x=1, y=2))],
        blobs=[b"", b"\x00", bytes(range(255, -1, -1))],
    )


def full_everything():
    """ordered_everything plus every set and map field (their encoding order is the implementation's)."""
    value = ordered_everything()
    value.ints = {0, 1, -1, I32_MAX, I32_MIN, 1000}
    value.colors = {Color.BLUE, Color.RED}
    value.byColor = {Color.GREEN: Point(x=1, y=-1), Color.RED: Point(x=I32_MIN, y=I32_MAX)}
    value.groups = {"": [], "one": [1], UNICODE: [I32_MIN, 0, I32_MAX]}
    value.nestedMaps = {-1: {"a": I64_MIN, "b": I64_MAX}, 0: {}, I32_MAX: {UNICODE: -1}}
    value.listOfSets = [set(), {-32768, 32767, 0}]
    value.listOfMaps = [{}, {Level.LOWEST: "lowest", Level.HIGHEST: "", Level.MINUS_ONE: UNICODE}]
    value.tags = {"x", "y", UNICODE, ""}
    return value


def fixtures():
    return {
        "primitives-max": primitives_max(),
        "primitives-min": primitives_min(),
        "primitives-odd": primitives_odd(),
        "sparse-all": sparse_all(),
        "sparse-unset": Sparse(last=0, hundred=None, first=False, sixteen=0, seventeen=0, fifty=0.0,
                               farFlag=True, three=None),
        "union-number": Choice(number=I32_MIN),
        "union-name": Choice(name=UNICODE),
        "union-point": Choice(point=Point(x=-1, y=I32_MAX)),
        "union-colors": Choice(colors=[Color.BLUE, Color.RED, Color.GREEN, Color.BLUE]),
        "union-raw": Choice(raw=b"\x00\xff\x80"),
        "failure": Failure(message="boom \u26a0", code=-500, level=Level.MINUS_TWO, details=["a", "\u00fc", ""]),
        "failure-bare": Failure(message=None, code=0, level=None, details=None),
        "everything-minimal": Everything(prims=primitives_max(), requiredText=""),
        "everything-ordered": ordered_everything(),
        "everything-full": full_everything(),
    }


def encode(protocol, value):
    buf = TTransport.TMemoryBuffer()
    value.write(PROTOCOLS[protocol](buf))
    return buf.getvalue()


def decode(protocol, template, data):
    buf = TTransport.TMemoryBuffer(data)
    value = type(template)()
    # Structs read into themselves; exceptions are immutable in Thrift 0.17 and `read` is a classmethod
    # returning a new instance.
    result = value.read(PROTOCOLS[protocol](buf))
    if result is not None:
        value = result
    return value, len(data) - buf._buffer.tell()


def main():
    command = sys.argv[2]
    all_fixtures = fixtures()
    if command == "encode":
        for name, value in all_fixtures.items():
            for protocol in PROTOCOLS:
                print(name, protocol, encode(protocol, value).hex())
    elif command == "decode":
        for line in sys.stdin:
            if not line.strip():
                continue
            name, protocol, hexdata = (line.split() + [""])[:3]
            expected = all_fixtures[name]
            try:
                value, left = decode(protocol, expected, bytes.fromhex(hexdata))
            except Exception as e:  # noqa: BLE001 - any decoding failure is a verdict, not a crash
                print(name, protocol, "FAIL:decode-error:" + repr(e).replace(" ", "_"), "-")
                continue
            if left != 0:
                verdict = "FAIL:%d-bytes-left-over" % left
            elif value != expected:
                verdict = "FAIL:decoded=" + repr(value).replace(" ", "")
            else:
                verdict = "OK"
            print(name, protocol, verdict, encode(protocol, value).hex())
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main()
