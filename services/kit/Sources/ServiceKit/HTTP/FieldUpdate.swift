/// A field of a partial update: left alone (key absent), set, or cleared (`null`).
public enum FieldUpdate<Value: Sendable>: Sendable {
    case unchanged
    case set(Value)
    case clear
}

extension KeyedDecodingContainer {
    /// Reads an optional field of a partial update: absent is `.unchanged`, `null` is `.clear`,
    /// anything else is decoded and passed through `validate`.
    public func fieldUpdate<Value: Decodable & Sendable>(
        _ type: Value.Type, forKey key: Key, validate: (Value) throws -> Value
    ) throws -> FieldUpdate<Value> {
        guard contains(key) else { return .unchanged }
        if try decodeNil(forKey: key) { return .clear }
        return .set(try validate(try decode(Value.self, forKey: key)))
    }
}
