-- The PostgreSQL search engine (src/server/modules/kb/search/pg-engine.ts), part 2.

-- Text search configurations that fold accents token by token: Spanish, English and simple, with
-- unaccent in front of every dictionary. The index, the queries and ts_headline all use them.
-- Unaccenting the whole text before parsing (to_tsvector(cfg, vt_unaccent(text))) loses words:
-- unaccent turns « » into << >>, and the parser then reads «Aceptar» as an XML tag and drops it
-- (Spanish help articles name every button that way: pulse «Guardar»). And ts_headline, which
-- must parse the original accented text, could not highlight "contraseña" for the index's
-- "contrasen" (the Spanish stemmer drops acute accents itself, not ñ or ü).
CREATE TEXT SEARCH CONFIGURATION vt_spanish (COPY = pg_catalog.spanish);
ALTER TEXT SEARCH CONFIGURATION vt_spanish
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH public.unaccent, spanish_stem;
ALTER TEXT SEARCH CONFIGURATION vt_spanish
  ALTER MAPPING FOR numword, numhword, hword_numpart, email, file, host, url, url_path WITH public.unaccent, simple;
CREATE TEXT SEARCH CONFIGURATION vt_english (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION vt_english
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH public.unaccent, english_stem;
ALTER TEXT SEARCH CONFIGURATION vt_english
  ALTER MAPPING FOR numword, numhword, hword_numpart, email, file, host, url, url_path WITH public.unaccent, simple;
-- Words as written, lower-cased and unaccented, not stemmed: the typo vocabulary.
CREATE TEXT SEARCH CONFIGURATION vt_simple (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION vt_simple
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword, hword_numpart,
                    email, file, host, url, url_path WITH public.unaccent, simple;

-- "head": the title (weight A) and tags (weight B) alone. It is small enough to stay inline in
-- the row, so "does the title or a tag match?" and its rank cost no detoasting of the (large)
-- document; title and tag matches rank above body matches without reading any body.
ALTER TABLE "KbSearchDocument" ADD COLUMN "head" tsvector NOT NULL DEFAULT ''::tsvector;
CREATE INDEX "KbSearchDocument_head_idx" ON "KbSearchDocument" USING GIN ("head") WITH (fastupdate = off);

-- No GIN "pending list" on the search indexes. With it (the default), new entries wait in an
-- unsorted list that every search scans in full until a VACUUM merges it: after indexing 10,000
-- articles, each search read 230 pages of it and took 6 ms instead of 0.2 ms. Articles change a
-- few times a day; paying at write time is the right trade.
ALTER INDEX "KbSearchDocument_document_idx" SET (fastupdate = off);
ALTER INDEX "KbSearchDocument_tags_idx" SET (fastupdate = off);
ALTER INDEX "KbSearchTerm_term_trgm_idx" SET (fastupdate = off);
SELECT gin_clean_pending_list('"KbSearchDocument_document_idx"'::regclass),
       gin_clean_pending_list('"KbSearchDocument_tags_idx"'::regclass),
       gin_clean_pending_list('"KbSearchTerm_term_trgm_idx"'::regclass);

-- The vocabulary ("KbSearchTerm": the distinct words of each language's documents, title, tags
-- and body, lower-cased and unaccented but not stemmed, with how many documents hold each). A
-- misspelt word is compared with words, not stems: "blling" is close to "billing" (0.5) but not to
-- its stem "bill" (0.1). It follows every write to "KbSearchDocument" by trigger, so it stays right
-- whichever way a row goes: the engine's upsert/remove, or the ON DELETE CASCADE from "Article",
-- which the engine never sees. Only the difference between the old and new words is written, in
-- term order (concurrent indexers lock shared terms in the same order).
CREATE OR REPLACE FUNCTION vt_kb_words(title text, tags text[], body text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT tsvector_to_array(to_tsvector('public.vt_simple', concat_ws(' ', title, array_to_string(tags, ' '), body))) $$;

CREATE OR REPLACE FUNCTION vt_kb_terms_sync() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  old_lang text;
  old_terms text[];
  new_lang text;
  new_terms text[];
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    old_lang := OLD."language";
    old_terms := vt_kb_words(OLD."title", OLD."tags", OLD."plainBody");
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    new_lang := NEW."language";
    new_terms := vt_kb_words(NEW."title", NEW."tags", NEW."plainBody");
  END IF;
  INSERT INTO "KbSearchTerm" AS t ("language", "term", "documents")
    SELECT lang, term, delta FROM (
      SELECT lang, term, sum(d)::int AS delta FROM (
        SELECT old_lang AS lang, x AS term, -1 AS d FROM unnest(old_terms) AS x
        UNION ALL
        SELECT new_lang, x, 1 FROM unnest(new_terms) AS x
      ) s GROUP BY lang, term HAVING sum(d) <> 0
    ) changes
    ORDER BY lang, term
  ON CONFLICT ("language", "term") DO UPDATE SET "documents" = t."documents" + EXCLUDED."documents";
  IF old_terms IS NOT NULL THEN
    DELETE FROM "KbSearchTerm" WHERE "language" = old_lang AND "term" = ANY (old_terms) AND "documents" <= 0;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "KbSearchDocument_terms_write"
  AFTER INSERT OR DELETE ON "KbSearchDocument"
  FOR EACH ROW EXECUTE FUNCTION vt_kb_terms_sync();
CREATE TRIGGER "KbSearchDocument_terms_update"
  AFTER UPDATE OF "title", "tags", "plainBody", "language" ON "KbSearchDocument"
  FOR EACH ROW
  WHEN (OLD."title" IS DISTINCT FROM NEW."title" OR OLD."tags" IS DISTINCT FROM NEW."tags"
        OR OLD."plainBody" IS DISTINCT FROM NEW."plainBody" OR OLD."language" IS DISTINCT FROM NEW."language")
  EXECUTE FUNCTION vt_kb_terms_sync();

-- Rows written before this migration (none are expected: nothing wrote the table yet).
UPDATE "KbSearchDocument" SET
  "head" = setweight(to_tsvector(CASE WHEN "language" = 'en' THEN 'vt_english' ELSE 'vt_spanish' END::regconfig, "title"), 'A') ||
           setweight(to_tsvector(CASE WHEN "language" = 'en' THEN 'vt_english' ELSE 'vt_spanish' END::regconfig, array_to_string("tags", ', ')), 'B'),
  "document" = setweight(to_tsvector(CASE WHEN "language" = 'en' THEN 'vt_english' ELSE 'vt_spanish' END::regconfig, "title"), 'A') ||
               setweight(to_tsvector(CASE WHEN "language" = 'en' THEN 'vt_english' ELSE 'vt_spanish' END::regconfig, array_to_string("tags", ', ')), 'B') ||
               setweight(to_tsvector(CASE WHEN "language" = 'en' THEN 'vt_english' ELSE 'vt_spanish' END::regconfig, "plainBody"), 'C');
DELETE FROM "KbSearchTerm";
INSERT INTO "KbSearchTerm" ("language", "term", "documents")
  SELECT d."language", x, count(*)::int FROM "KbSearchDocument" d, unnest(vt_kb_words(d."title", d."tags", d."plainBody")) AS x GROUP BY 1, 2;
