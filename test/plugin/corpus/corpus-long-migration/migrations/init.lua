return {
  "000_base_corpus_long_migration_tokens_and_owners",
}
