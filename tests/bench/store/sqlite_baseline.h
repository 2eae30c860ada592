/* SQLite's own limit for the store's sample insert, written in plain C: one transaction, one
 * prepared statement, no queue, no thread. store_bench compares StoreWriter against it. */
#ifndef STAGECAST_BENCH_SQLITE_BASELINE_H
#define STAGECAST_BENCH_SQLITE_BASELINE_H

#ifdef __cplusplus
extern "C" {
#endif

/* Inserts `rows` rows into health_samples of the existing Stagecast database at `path`
 * (stream ids 1..streams must exist), the same values store_bench enqueues. Returns rows
 * per second, or a negative number after printing the error to stderr. */
double sqlite_baseline_insert_samples(const char* path, long rows, int streams);

/* One moderation item as the baseline inserts it (the row and its search-index row). */
struct baseline_item {
    const char* kind;
    long long stream_id;
    const char* author;
    const char* text;
    const char* state;
    long long created_at;
};

/* Fills `out` with the next item; returns 0 when there are no more. The strings must stay
 * valid until the next call. */
typedef int (*baseline_next_item)(void* context, struct baseline_item* out);

/* Inserts every item `next` yields into moderation_items and moderation_items_fts of the
 * existing Stagecast database at `path`, in one transaction with two prepared statements.
 * Returns items per second, or a negative number after printing the error to stderr. */
double sqlite_baseline_insert_items(const char* path, baseline_next_item next, void* context);

#ifdef __cplusplus
}
#endif

#endif
