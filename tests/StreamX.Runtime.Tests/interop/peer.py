#!/usr/bin/env python3
"""Apache Thrift (Python) peer for the StreamX.Runtime.Tests interop tests.

usage: peer.py GEN_DIR encode
           prints one line per case and protocol: "<case> <protocol> <hex>"
       peer.py GEN_DIR roundtrip
           reads lines "<case> <protocol> <hex>" from stdin (bytes written by StreamX), decodes each with
           Apache Thrift, compares it with the fixed instance of <case>, re-encodes it with the same protocol,
           and prints "<case> <protocol> <ok|MISMATCH:...> <hex>"

GEN_DIR holds the output of `thrift --gen py interop.thrift`. The fixed instances below have C# twins in
../ApacheInterop/InteropCases.cs; keep the two in sync. Sets only hold small non-negative ints so Python's iteration
order (ascending) is predictable, and no value is NaN (NaN != NaN).
"""
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])

from thrift.protocol import TBinaryProtocol, TCompactProtocol  # noqa: E402
from thrift.Thrift import TApplicationException, TMessageType  # noqa: E402
from thrift.transport import TTransport  # noqa: E402

from streamx_interop.ttypes import Color, Everything, Inner, Request  # noqa: E402

PROTOCOLS = {
    "binary": TBinaryProtocol.TBinaryProtocol,
    "compact": TCompactProtocol.TCompactProtocol,
}

UNICODE = "h\u00e9llo w\u00f6rld \u20ac \U0001F600 "


def cases():
    return {
        "empty": ("struct", Everything()),
        "full": ("struct", Everything(
            flag=True, b=-7, s=-300, i=123456, l=-9000000000, d=3.25, str="hello", bin=b"\x00\x01\xfe\xff",
            ints=[1, 2, 3], shorts={1, 2, 3}, dict={"x": 1, "y": -1},
            inner=Inner(id=42, name="inner"), inners=[Inner(id=1), Inner(id=2, name="two")],
            nested={1: ["p", "q"], 2: [], -3: ["r"]}, bools=[True, False, True], color=Color.BLUE,
            opt="optional", late_flag=False, far=77, false_flag=False,
            doubles=[0.5, -1.25], empty_map={}, lol=[[1, 2], []])),
        "edge": ("struct", Everything(
            flag=False, b=-128, s=-32768, i=-2147483648, l=9223372036854775807, d=-0.0,
            str=UNICODE * 30, bin=bytes(range(256)),
            ints=list(range(-10, 10)), shorts={0}, dict={"k%d" % n: n * n for n in range(20)},
            inner=Inner(id=-1, name=""), inners=[], nested={}, bools=[False] * 15, color=Color.RED,
            opt="", late_flag=True, far=-2147483648, false_flag=True,
            doubles=[float("inf"), float("-inf"), 5e-324, 1.7976931348623157e308], empty_map={},
            lol=[[], [9223372036854775807, -9223372036854775808], [0]])),
        "request": ("struct", Request(a=1, b="hello world")),
        "call": ("message", ("Echo", TMessageType.CALL, 42, Request(a=7, b="hi"))),
        "oneway-negative-seq": ("message", ("Ping", TMessageType.ONEWAY, -5, Request(a=0, b=""))),
        "exception": ("message", ("Echo", TMessageType.EXCEPTION, 1,
                                  TApplicationException(TApplicationException.INTERNAL_ERROR, "biz error: boom"))),
    }


def encode(protocol, kind, value):
    buf = TTransport.TMemoryBuffer()
    proto = PROTOCOLS[protocol](buf)
    if kind == "struct":
        value.write(proto)
    else:
        name, mtype, seqid, body = value
        proto.writeMessageBegin(name, mtype, seqid)
        body.write(proto)
        proto.writeMessageEnd()
    return buf.getvalue()


def decode(protocol, kind, template, data):
    buf = TTransport.TMemoryBuffer(data)
    proto = PROTOCOLS[protocol](buf)
    if kind == "struct":
        value = type(template)()
        value.read(proto)
    else:
        name, mtype, seqid = proto.readMessageBegin()
        body = type(template[3])()
        body.read(proto)
        proto.readMessageEnd()
        value = (name, mtype, seqid, body)
    left = len(data) - buf._buffer.tell()
    return value, left


def same(kind, a, b):
    if kind == "struct":
        return a == b
    if a[:3] != b[:3]:
        return False
    if isinstance(a[3], TApplicationException):
        # TApplicationException has no __eq__.
        return (a[3].type, a[3].message) == (b[3].type, b[3].message)
    return a[3] == b[3]


def main():
    command = sys.argv[2]
    all_cases = cases()
    if command == "encode":
        for name, (kind, value) in all_cases.items():
            for protocol in PROTOCOLS:
                print(name, protocol, encode(protocol, kind, value).hex())
    elif command == "roundtrip":
        for line in sys.stdin:
            if not line.strip():
                continue
            name, protocol, hexdata = (line.split() + [""])[:3]
            kind, expected = all_cases[name]
            value, left = decode(protocol, kind, expected, bytes.fromhex(hexdata))
            if left != 0:
                verdict = "MISMATCH:%d-bytes-left-over" % left
            elif not same(kind, value, expected):
                verdict = "MISMATCH:decoded=" + repr(value).replace(" ", "")
            else:
                verdict = "ok"
            print(name, protocol, verdict, encode(protocol, kind, value).hex())
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main()
