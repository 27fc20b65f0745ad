import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing
import TestSupport

/// Text Postgres cannot store (NUL, unpaired surrogates) is refused as `validation_failed` naming
/// its field, before any handler sees it.
@Suite struct StorableTextTests {
    func field(_ json: String) -> String? {
        StorableText.firstUnstorableField(inJSON: Array(json.utf8))
    }

    @Test func theFieldHoldingANulIsNamedAsTheClientSentIt() {
        #expect(field(#"{"content":"a\u0000b"}"#) == "content")
        #expect(field(#"{"room":{"name":"ok","description":"x\u0000"}}"#) == "room.description")
        #expect(field(#"{"ids":["a","b\u0000"]}"#) == "ids.1")
        #expect(field(#"[{"a":"x"},{"a":"\u0000"}]"#) == "1.a")
        #expect(field(#"{"first":{"x":[1,2]}, "second" : "\u0000"}"#) == "second")
        #expect(field(#"{"bad\u0000key":1}"#) == "badkey", "a key is named without its NUL")
    }

    @Test func unpairedSurrogatesAreRefusedAndPairsAccepted() {
        #expect(field(#"{"content":"a\ud800b"}"#) == "content")
        #expect(field(#"{"content":"\udc00"}"#) == "content")
        #expect(field(#"{"content":"\ud800\ud800\udc00"}"#) == "content")
        #expect(field(#"{"content":"\ud83d\ude00 and \u00e9"}"#) == nil)
    }

    @Test func storableDocumentsPassUnscanned() {
        #expect(field(#"{"content":"plain text, no escapes"}"#) == nil)
        // An escaped backslash followed by "u0000" is the text \u0000, which Postgres stores.
        #expect(field(#"{"content":"C:\\u0000"}"#) == nil)
        #expect(field(#"{"content":"\"quoted\" \n"}"#) == nil)
    }

    @Test func truncatedDocumentsAreLeftToTheDecoder() {
        #expect(field(#"{"content":"\u00"#) == nil)
        #expect(field(#"{"content":"abc"#) == nil)
    }

    struct Body: Decodable {
        let name: String
    }

    func app() -> some ApplicationProtocol {
        let config = ServiceConfig(serviceName: "demo", defaultPort: 0, reader: ServiceConfig.reader())
        let router = Router<ServiceRequestContext>.service(config: config, tracer: ServiceTracing.off.tracer, readiness: [])
        router.post("/things") { request, context -> String in try await request.decode(as: Body.self, context: context).name }
        router.get("/things") { request, _ -> String in request.uri.queryParameters["q"].map(String.init) ?? "" }
        return Application(router: router)
    }

    @Test func bodiesAndQueriesWithUnstorableTextAre400sNamingTheField() async throws {
        try await app().test(.router) { client in
            let body = try await client.execute(uri: "/things", method: .post, body: ByteBuffer(string: #"{"name":"a\u0000"}"#))
            #expect(body.status == .badRequest)
            #expect(String(buffer: body.body).contains(#""field":"name""#))
            #expect(String(buffer: body.body).contains("validation_failed"))
            let surrogate = try await client.execute(uri: "/things", method: .post, body: ByteBuffer(string: #"{"name":"\udfff"}"#))
            #expect(String(buffer: surrogate.body).contains(#""field":"name""#))
            let query = try await client.execute(uri: "/things?limit=5&q=a%00b", method: .get)
            #expect(query.status == .badRequest)
            #expect(String(buffer: query.body).contains(#""field":"q""#))
            let notUTF8 = try await client.execute(uri: "/things?q=%FF%FE", method: .get)
            #expect(notUTF8.status == .badRequest)
            let fine = try await client.execute(uri: "/things?q=caf%C3%A9", method: .get)
            #expect(String(buffer: fine.body) == "café")
        }
    }
}
