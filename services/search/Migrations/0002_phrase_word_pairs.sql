-- Phrases of common words: the GIN index on `document` finds every message holding all of a
-- phrase's words, and Postgres estimates a phrase as often as those, so "his do" read a million
-- rows newest first (or every message with both words) to find a few hundred in a row. Each
-- message also keeps the pairs of words that follow each other in it, hashed into 2^18 buckets
-- (a key space small enough for GIN's posting lists to stay cheap to insert into): all of a
-- phrase's pairs narrow it to the few messages that can hold it, and the phrase check on
-- `document` reads only those.

-- The buckets of each pair of lexemes at neighbouring positions of `document` (what `<->` in a
-- phrase query looks for), the same for a stored message and for a phrase parsed alike.
CREATE FUNCTION search_word_pairs(document tsvector) RETURNS integer[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(hashtext(previous || ' ' || lexeme) & 262143), '{}')
    FROM (SELECT lexeme, position, lag(lexeme) OVER by_position AS previous, lag(position) OVER by_position AS previous_position
          FROM unnest(document) AS word, unnest(word.positions) AS position
          WINDOW by_position AS (ORDER BY position)) AS words
    WHERE previous_position = position - 1
$$;

ALTER TABLE search_messages ADD COLUMN word_pairs integer[];
UPDATE search_messages SET word_pairs = search_word_pairs(document);
ALTER TABLE search_messages ALTER COLUMN word_pairs SET NOT NULL;
CREATE INDEX search_messages_word_pairs ON search_messages USING gin (word_pairs);
