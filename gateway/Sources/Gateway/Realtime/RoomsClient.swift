import AsyncHTTPClient
import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import RoomsAPI
import ServiceKit

/// What the gateway asks rooms, through rooms' generated client: the rooms a user is in when
/// their WebSocket opens.
struct RoomsClient: Sendable {
    let client: Client

    init(baseURL: String, httpClient: HTTPClient, serviceToken: String) throws {
        guard let url = URL(string: baseURL) else { throw AppError.internal("ROOMS_URL is not a URL: \(baseURL)") }
        self.client = Client(
            serverURL: url,
            configuration: .init(dateTranscoder: .iso8601WithFractionalSeconds),
            transport: AsyncHTTPClientTransport(configuration: .init(client: httpClient, timeout: .seconds(5))),
            middlewares: [BearerTokenMiddleware(token: serviceToken)])
    }

    func roomIDs(of userID: UUID) async throws -> Set<UUID> {
        switch try await client.getUserRoomIds(path: .init(id: userID.apiString)) {
        case .ok(let reply):
            return Set(try reply.body.json.roomIds.compactMap(UUID.init(uuidString:)))
        default:
            throw AppError.serviceUnavailable("rooms", internalDetail: "GET /internal/users/:id/rooms did not answer 200")
        }
    }
}
