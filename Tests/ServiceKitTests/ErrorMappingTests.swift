import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing
import TestSupport

@Suite struct ErrorMappingTests {
    struct Body: Decodable {
        let name: String
        let count: Int
    }

    func app() -> some ApplicationProtocol {
        let config = ServiceConfig(serviceName: "demo", defaultPort: 0, reader: ServiceConfig.reader(overrides: ["MAX_BODY_BYTES": "64"]))
        let router = Router<ServiceRequestContext>.service(config: config, tracer: ServiceTracing.off.tracer, readiness: [ReadinessCheck("never") { false }])
        router.get("/conflict") { _, _ -> String in throw AppError.conflict("already there", code: "already_member") }
        router.get("/crash") { _, _ -> String in throw CancellationError() }
        router.post("/decode") { request, context -> String in
            let body = try await request.decode(as: Body.self, context: context)
            return "\(body.name) \(body.count)"
        }
        return Application(router: router)
    }

    @Test func appErrorsBecomeTheAPIErrorBody() async throws {
        try await app().test(.router) { client in
            let reply = try await client.call(.get, "/conflict")
            #expect(reply.status == .conflict)
            #expect(reply.headers[.contentType] == "application/json; charset=utf-8")
            #expect(reply.json.keys.sorted() == ["error"])
            #expect(reply.errorCode == "already_member")
            #expect((reply["error"] as? [String: Any])?["message"] as? String == "already there")
        }
    }

    @Test func unexpectedErrorsAre500sWithoutInternals() async throws {
        try await app().test(.router) { client in
            let reply = try await client.call(.get, "/crash")
            #expect(reply.status == .internalServerError)
            #expect(reply.errorCode == "internal_error")
            #expect(!String(decoding: reply.body, as: UTF8.self).contains("Cancellation"))
        }
    }

    @Test func unknownRoutesAre404sInTheSameShape() async throws {
        try await app().test(.router) { client in
            let reply = try await client.call(.get, "/nowhere")
            #expect(reply.status == .notFound)
            #expect(reply.errorCode == "not_found")
        }
    }

    @Test func decodingErrorsNameTheField() async throws {
        try await app().test(.router) { client in
            #expect(try await client.call(.post, "/decode", json: ["name": "a", "count": 2]).status == .ok)
            let missing = try await client.call(.post, "/decode", json: ["name": "a"])
            #expect(missing.status == .badRequest && missing.errorCode == "validation_failed" && missing.errorField == "count")
            let wrongType = try await client.call(.post, "/decode", json: ["name": "a", "count": "two"])
            #expect(wrongType.status == .badRequest && wrongType.errorField == "count")
            let tooBig = try await client.call(.post, "/decode", json: ["name": String(repeating: "a", count: 100), "count": 1])
            #expect(tooBig.status == .contentTooLarge)
        }
    }

    @Test func readinessReportsEachCheck() async throws {
        try await app().test(.router) { client in
            let reply = try await client.call(.get, "/health/ready")
            #expect(reply.status == .serviceUnavailable)
            #expect((reply["checks"] as? [String: String]) == ["never": "down"])
        }
    }
}
