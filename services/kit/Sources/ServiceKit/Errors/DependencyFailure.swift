import PostgresNIO

/// Failures that mean Postgres or Redis cannot be reached right now. A request that meets one is
/// answered 503 (try again later), not 500 (something is wrong with the request or the code).
enum DependencyFailure {
    static func isUnavailable(_ error: any Error) -> Bool {
        if let error = error as? PSQLError {
            return unreachablePostgres.contains(error.code)
        }
        return (error as? RedisError)?.isConnectionFailure == true
    }

    private static let unreachablePostgres: [PSQLError.Code] = [
        .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown,
    ]
}
