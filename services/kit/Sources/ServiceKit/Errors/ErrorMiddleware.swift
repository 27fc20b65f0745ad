import Hummingbird
import Logging

/// Turns every error into the API.md body, in one place: framework errors (unknown route, body too
/// large, undecodable JSON) get their matching code; anything unexpected becomes a 500 whose detail
/// is logged and never sent.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let appError = Self.appError(from: error)
            if appError.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(appError)"])
            } else if let detail = appError.internalDetail {
                context.logger.info("request rejected", metadata: ["error": "\(appError.code)", "detail": "\(detail)"])
            }
            throw appError
        }
    }

    static func appError(from error: any Error) -> AppError {
        switch error {
        case let appError as AppError:
            return appError
        case let httpError as HTTPError:
            return appError(status: httpError.status, message: httpError.body)
        case let responseError as any HTTPResponseError:
            return appError(status: responseError.status, message: nil)
        case is DecodingError:
            return .badRequest("request body is not valid JSON of the expected shape")
        case let error where DependencyFailure.isUnavailable(error):
            return .serviceUnavailable("a backing service", internalDetail: String(reflecting: error))
        default:
            return .internal(String(reflecting: error))
        }
    }

    private static func appError(status: HTTPResponse.Status, message: String?) -> AppError {
        switch status {
        case .notFound: return .notFound()
        case .contentTooLarge: return AppError(status, code: "payload_too_large", message: "request body is too large")
        case .unauthorized: return .unauthorized()
        case .badRequest: return .badRequest(message ?? "malformed request")
        case .methodNotAllowed: return AppError(status, code: "method_not_allowed", message: "method not allowed")
        case .unsupportedMediaType: return AppError(status, code: "unsupported_media_type", message: message ?? "unsupported media type")
        default:
            if status.code >= 500 { return .internal("framework error \(status.code): \(message ?? "")") }
            return AppError(status, code: status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"), message: message ?? status.reasonPhrase)
        }
    }
}
