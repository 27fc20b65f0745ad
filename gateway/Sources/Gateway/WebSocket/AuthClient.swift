import AsyncHTTPClient
import Foundation
import ServiceKit

/// What the gateway asks of auth itself: the caller's own user object, for the `ready` frame.
struct AuthClient: Sendable {
    let httpClient: HTTPClient
    let baseURL: String

    func currentUser(token: String) async throws -> JSONValue {
        var request = HTTPClientRequest(url: baseURL + "/auth/me")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await httpClient.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else {
            throw AppError.serviceUnavailable("auth", internalDetail: "GET /auth/me answered \(response.status.code)")
        }
        return try JSONDecoder().decode(JSONValue.self, from: Data(buffer: body))
    }
}
