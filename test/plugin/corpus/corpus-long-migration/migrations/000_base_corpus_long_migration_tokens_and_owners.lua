return {
  postgres = {
    up = [[
      CREATE TABLE IF NOT EXISTS "corpus_long_migration_tokens" (
        "id"         UUID                         PRIMARY KEY,
        "created_at" TIMESTAMP WITH TIME ZONE     DEFAULT (CURRENT_TIMESTAMP(0) AT TIME ZONE 'UTC'),
        "owner"      TEXT                         NOT NULL,
        "token"      TEXT                         UNIQUE
      );
    ]],
  },
}
