import ServiceKit
import Synchronization

/// The instances of each upstream service (`MESSAGES_URL=http://a:8083,http://b:8083`) and which
/// of them answer. Requests take the answering ones in turn; when none answers, all of them in
/// turn, so a health check that is wrong delays a service instead of cutting it off.
final class UpstreamPool: Sendable {
    private struct State {
        var turn = 0
        var down: Set<String> = []
    }

    /// Base URLs per service, in the order configured.
    let instances: [String: [String]]
    private let states: Mutex<[String: State]>

    init(instances: [String: [String]]) {
        self.instances = instances.mapValues { $0.filter { !$0.isEmpty } }
        self.states = Mutex(instances.mapValues { _ in State() })
    }

    /// The instance the next request to `service` goes to; nil when none is configured.
    func instance(of service: String) -> String? {
        guard let all = instances[service], !all.isEmpty else { return nil }
        return states.withLock { states in
            var state = states[service, default: State()]
            defer { states[service] = state }
            let answering = all.filter { !state.down.contains($0) }
            let candidates = answering.isEmpty ? all : answering
            state.turn &+= 1
            return candidates[Int(UInt(bitPattern: state.turn) % UInt(candidates.count))]
        }
    }

    /// The instance the next request to `service` goes to, or 503 when none is configured.
    func requireInstance(of service: String) throws -> String {
        guard let instance = instance(of: service) else { throw AppError.serviceUnavailable(service, internalDetail: "no URL configured") }
        return instance
    }

    /// The services with more than one instance: the only ones worth checking.
    var replicated: [(service: String, instances: [String])] {
        instances.filter { $0.value.count > 1 }.map { ($0.key, $0.value) }.sorted { $0.service < $1.service }
    }

    /// Whether `instance` of `service` answers, as a health check or a refused connection found.
    func mark(_ instance: String, of service: String, answering: Bool) {
        states.withLock { states in
            if answering { states[service]?.down.remove(instance) } else { states[service]?.down.insert(instance) }
        }
    }
}
