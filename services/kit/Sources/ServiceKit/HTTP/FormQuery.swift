import Foundation
import Hummingbird

extension Request {
    /// The query parameters as an HTML form sends them: `+` is a space (what browsers'
    /// `URLSearchParams` write), `%2B` a plus. For free text such as a search; Hummingbird's
    /// `queryParameters` keeps `+` as it is.
    public var formParameters: Parameters {
        guard let query = uri.query, !query.isEmpty else { return Parameters() }
        let pairs = query.split(separator: "&").map { pair -> (Substring, Substring) in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) -> Substring in
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return Substring(spaced.removingPercentEncoding ?? spaced)
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
        return Parameters(pairs)
    }
}
