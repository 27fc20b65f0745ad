import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization
import TestSupport

/// Every service behind the gateway's proxy at once, for the gateway tested alone: it keeps each
/// request that reaches it (health checks aside) and answers what the test told it to for that
/// method and path, or 200 `{"answered_by": "stand-in"}`.
final class UpstreamStandIn: Sendable {
    struct Received: Sendable {
        let method: HTTPRequest.Method
        /// With the query.
        let target: String
        let headers: HTTPFields
        let body: String
    }

    struct Answer: Sendable {
        let status: HTTPResponse.Status
        let json: String
        let headers: HTTPFields
        /// Answered before the request's body arrived, as media refuses an upload by its type.
        var beforeReadingTheBody = false
    }

    private let state = Mutex<(received: [Received], answers: [String: Answer])>(([], [:]))

    /// From now on `method path` (the path without its query) is answered with `status` and `json`.
    func answer(
        _ method: HTTPRequest.Method, _ path: String, status: HTTPResponse.Status = .ok, json: String, headers: HTTPFields = [:],
        beforeReadingTheBody: Bool = false
    ) {
        state.withLock {
            $0.answers["\(method) \(path)"] = Answer(status: status, json: json, headers: headers, beforeReadingTheBody: beforeReadingTheBody)
        }
    }

    var received: [Received] { state.withLock { $0.received } }

    /// The requests to `path` (without its query) so far.
    func received(_ path: String) -> [Received] {
        received.filter { $0.target.split(separator: "?", maxSplits: 1).first.map(String.init) == path }
    }

    /// Serves on a free port while `body` runs; `body` gets its URL.
    func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let port = try TestEnvironment.freePort()
        let router = Router()
        router.add(middleware: AnswerEverything(standIn: self))
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: Logger(label: "upstream-stand-in"))
        return try await withService(app, port: port) { try await body("http://127.0.0.1:\(port)") }
    }

    fileprivate func respond(to request: Request) async throws -> Response {
        let path = request.uri.path
        let answer = state.withLock { $0.answers["\(request.method) \(path)"] }
            ?? Answer(status: .ok, json: #"{"answered_by":"stand-in"}"#, headers: [:])
        let body = answer.beforeReadingTheBody ? "" : String(buffer: try await request.body.collect(upTo: 16 << 20))
        if !path.hasPrefix("/health/") {
            state.withLock { $0.received.append(Received(method: request.method, target: request.uri.description, headers: request.headers, body: body)) }
        }
        var headers = answer.headers
        headers[.contentType] = "application/json"
        return Response(status: answer.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: answer.json)))
    }
}

/// Answers every request, whatever its path: the stand-in has no routes of its own.
private struct AnswerEverything: RouterMiddleware {
    typealias Context = BasicRequestContext
    let standIn: UpstreamStandIn

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await standIn.respond(to: request)
    }
}
