import AsyncHTTPClient
import Foundation
@testable import Gateway
import ServiceKit
import Testing
import TestSupport

/// Several instances of a service behind the gateway: requests take them in turn, and one that
/// does not answer (a refused connection, a failed health check) is passed over until it does.
@Suite struct UpstreamPoolTests {
    @Test func instancesTakeTurnsAndOneDownIsPassedOverUntilItAnswers() {
        let pool = UpstreamPool(instances: ["messages": ["http://a", "http://b", "http://c"], "auth": ["http://auth"]])
        #expect(Set((1...6).compactMap { _ in pool.instance(of: "messages") }) == ["http://a", "http://b", "http://c"])
        #expect(pool.replicated.map(\.service) == ["messages"], "one instance: nothing to choose, nothing to check")

        pool.mark("http://b", of: "messages", answering: false)
        #expect(Set((1...6).compactMap { _ in pool.instance(of: "messages") }) == ["http://a", "http://c"])
        pool.mark("http://a", of: "messages", answering: false)
        pool.mark("http://c", of: "messages", answering: false)
        #expect(Set((1...6).compactMap { _ in pool.instance(of: "messages") }).count == 3, "none answering: all in turn, not none")
        pool.mark("http://b", of: "messages", answering: true)
        #expect(Set((1...3).compactMap { _ in pool.instance(of: "messages") }) == ["http://b"])
        #expect(pool.instance(of: "media") == nil)
    }

    @Test func aHealthCheckFindsWhichInstancesAnswer() async throws {
        try await UpstreamStandIn().serve { live in
            let pool = UpstreamPool(instances: ["search": ["http://127.0.0.1:1", live]])
            await UpstreamHealthCheck(pool: pool, httpClient: .shared, interval: .seconds(2), timeout: .seconds(1), clock: .system).checkOnce()
            #expect(Set((1...4).compactMap { _ in pool.instance(of: "search") }) == [live])
        }
    }

    @Test func aReadThatFindsItsInstanceGoneIsAskedOfAnotherAndTheGoneOneIsPassedOver() async throws {
        let search = UpstreamStandIn()
        try await search.serve { live in
            // Search has two instances, the first of them gone.
            try await withGateway(settings: ["SEARCH_URL": "http://127.0.0.1:1,\(live)"]) { edge in
                let user = try await edge.user()
                for _ in 1...4 {
                    #expect(try await edge.gateway.call(.get, "/search?q=anything", token: user.token).status == .ok)
                }
                #expect(search.received("/search").count == 4)
            }
        }
    }
}
