// The StreamX echo example: one ping-pong method and the three Kitex streaming modes.
//
// Wire-identical to the IDL the reference Kitex captures were recorded with
// (shared/interop/kitex-captures/echo.thrift): the same struct names, field ids and types, the
// same service and method names and the same streaming modes. Only the C# namespace line and
// the comments are added; keep it that way, or the interop captures stop matching.

namespace go echo
namespace csharp StreamX.Examples.Echo

/** What the client sends. */
struct Request {
    /** The text to echo. */
    1: string message
}

/** What the server answers. */
struct Response {
    /** The echoed text. */
    1: string message
}

/** Echoes messages back, once or as streams. */
service TestService {
    /** Ordinary request/response (Kitex "PingPong"): one request, one response. */
    Response PingPong(1: Request req)

    /** Bidirectional streaming: both sides send any number of messages, independently. */
    Response Echo(1: Request req) (streaming.mode="bidirectional")

    /** Client streaming: the client sends many requests, the server answers once. */
    Response EchoClient(1: Request req) (streaming.mode="client")

    /** Server streaming: the client sends one request, the server answers with many. */
    Response EchoServer(1: Request req) (streaming.mode="server")
}
