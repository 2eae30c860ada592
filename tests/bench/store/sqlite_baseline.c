#include "sqlite_baseline.h"

#include <sqlite3.h>
#include <stdio.h>
#include <time.h>

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int check(sqlite3* db, int rc, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "baseline: %s: %s\n", what, sqlite3_errmsg(db));
        return 0;
    }
    return 1;
}

double sqlite_baseline_insert_samples(const char* path, long rows, int streams) {
    sqlite3* db = NULL;
    sqlite3_stmt* insert = NULL;
    double started, elapsed;
    long i;
    int ok;

    if (!check(db, sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), "open")) {
        sqlite3_close(db);
        return -1.0;
    }
    /* The same settings as the store's writer connection. */
    ok = check(db,
               sqlite3_exec(db,
                            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                            "PRAGMA foreign_keys=ON;",
                            NULL, NULL, NULL),
               "pragmas");
    ok = ok && check(db,
                     sqlite3_prepare_v2(db,
                                        "INSERT INTO health_samples(stream_id, at, video_kbps, "
                                        "audio_kbps, fps, keyframe_interval_s, viewers, "
                                        "dropped_bytes, extras) VALUES(?1, ?2, ?3, ?4, ?5, ?6, "
                                        "?7, ?8, NULL)",
                                        -1, &insert, NULL),
                     "prepare");
    started = now_seconds();
    ok = ok && check(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), "begin");
    for (i = 0; ok && i < rows; ++i) {
        sqlite3_bind_int64(insert, 1, 1 + i % streams);
        sqlite3_bind_int64(insert, 2, 1767225600000LL + i);
        sqlite3_bind_double(insert, 3, (double)(2500 + i % 1000));
        sqlite3_bind_double(insert, 4, 128.0);
        sqlite3_bind_double(insert, 5, 30.0);
        sqlite3_bind_double(insert, 6, 2.0);
        sqlite3_bind_int64(insert, 7, i % 500);
        sqlite3_bind_int64(insert, 8, 0);
        ok = check(db, sqlite3_step(insert), "insert");
        sqlite3_reset(insert);
    }
    ok = ok && check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
    elapsed = now_seconds() - started;
    sqlite3_finalize(insert);
    sqlite3_close(db);
    if (!ok || elapsed <= 0.0) {
        return -1.0;
    }
    return (double)rows / elapsed;
}

double sqlite_baseline_insert_items(const char* path, baseline_next_item next, void* context) {
    sqlite3* db = NULL;
    sqlite3_stmt* insert = NULL;
    sqlite3_stmt* index = NULL;
    struct baseline_item item;
    double started, elapsed;
    long rows = 0;
    int ok;

    if (!check(db, sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), "open")) {
        sqlite3_close(db);
        return -1.0;
    }
    ok = check(db,
               sqlite3_exec(db,
                            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                            "PRAGMA foreign_keys=ON;",
                            NULL, NULL, NULL),
               "pragmas");
    ok = ok && check(db,
                     sqlite3_prepare_v2(db,
                                        "INSERT INTO moderation_items(kind, stream_id, author, "
                                        "text, state, created_at, updated_at, labels) "
                                        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?6, '[]')",
                                        -1, &insert, NULL),
                     "prepare item");
    ok = ok && check(db,
                     sqlite3_prepare_v2(db,
                                        "INSERT INTO moderation_items_fts(rowid, text) "
                                        "VALUES(?1, ?2)",
                                        -1, &index, NULL),
                     "prepare index");
    started = now_seconds();
    ok = ok && check(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), "begin");
    while (ok && next(context, &item)) {
        sqlite3_bind_text(insert, 1, item.kind, -1, SQLITE_STATIC);
        sqlite3_bind_int64(insert, 2, item.stream_id);
        sqlite3_bind_text(insert, 3, item.author, -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 4, item.text, -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 5, item.state, -1, SQLITE_STATIC);
        sqlite3_bind_int64(insert, 6, item.created_at);
        ok = check(db, sqlite3_step(insert), "insert item");
        sqlite3_reset(insert);
        sqlite3_bind_int64(index, 1, sqlite3_last_insert_rowid(db));
        sqlite3_bind_text(index, 2, item.text, -1, SQLITE_STATIC);
        ok = ok && check(db, sqlite3_step(index), "index item");
        sqlite3_reset(index);
        ++rows;
    }
    ok = ok && check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
    elapsed = now_seconds() - started;
    sqlite3_finalize(insert);
    sqlite3_finalize(index);
    sqlite3_close(db);
    if (!ok || elapsed <= 0.0) {
        return -1.0;
    }
    return (double)rows / elapsed;
}
