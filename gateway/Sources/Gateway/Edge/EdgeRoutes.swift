import Hummingbird
import ServiceKit

/// Everything that is not the gateway's own (health, metrics, `/ws`) goes to a service: checked
/// against the path guard and the route table, the token verified here unless the endpoint is
/// public, then proxied.
struct EdgeRoutes {
    let proxy: UpstreamProxy
    let verifier: TokenVerifier

    func add(to router: Router<GatewayRequestContext>) {
        let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .head]
        for method in methods {
            router.on("/**", method: method) { request, context in try await handle(request, context: context) }
        }
    }

    func handle(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let path = request.uri.path
        try PathGuard.check(path)
        guard let upstream = RouteTable.upstream(for: path) else { throw AppError.notFound() }
        if !RouteTable.isPublic(method: request.method.rawValue, path: path) {
            guard let token = request.bearerToken else {
                throw AppError.unauthorized("missing bearer token")
            }
            _ = try await verifier.verify(token)
        }
        return try await proxy.forward(request, to: upstream, context: context)
    }
}
