import RoomsAPI

/// Whom calls depends on: auth (the keys that sign callers' tokens, users) and rooms (members,
/// their levels, blocks), over HTTP in the executable and stood in for by calls's own tests.
public typealias CallsNeighbours = MemberServiceNeighbours
