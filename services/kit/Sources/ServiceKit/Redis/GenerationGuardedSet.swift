extension RedisClient {
    /// Caches `value` under `key` for `ttlSeconds`, unless `generationKey` has moved on from
    /// `generation` (read before the value was fetched): an answer fetched before an
    /// invalidation bumped the generation is never cached after it.
    public func set(_ key: String, to value: String, ttlSeconds: Int, ifGeneration generationKey: String, is generation: String) async throws {
        _ = try await send(["EVAL", Self.setIfGenerationUnchanged, "2", generationKey, key, generation, value, String(ttlSeconds)])
    }

    private static let setIfGenerationUnchanged = """
        if (redis.call('GET', KEYS[1]) or '0') == ARGV[1] then
            redis.call('SET', KEYS[2], ARGV[2], 'EX', tonumber(ARGV[3]))
        end
        return 0
        """
}
