#pragma once
/// Schema version 1 (issue "Store, monitoring and moderation"). Shipped steps never change;
/// a later version is a new SchemaVn.h listed in Migrations.cpp.
///
/// Conventions: times are INTEGER Unix ms; enums are lower-case TEXT validated in C++ (a
/// CHECK would make adding a value a table rebuild); JSON lives in TEXT checked by
/// json_valid(). Chat messages and Q&A questions are moderation_items (kind 'chat' /
/// 'question'), so one queue and one search cover them.

#include <string_view>

namespace stagecast::store {

inline constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE streams (
    id INTEGER PRIMARY KEY,
    app TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (app, name)
);

CREATE TABLE publish_sessions (
    id INTEGER PRIMARY KEY,
    stream_id INTEGER NOT NULL REFERENCES streams(id),
    client_id INTEGER NOT NULL,
    protocol TEXT NOT NULL,
    address TEXT NOT NULL,
    video_codec TEXT,
    audio_codec TEXT,
    width INTEGER,
    height INTEGER,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    end_reason TEXT
);
CREATE INDEX publish_sessions_stream_started ON publish_sessions(stream_id, started_at);
CREATE INDEX publish_sessions_started ON publish_sessions(started_at);
CREATE INDEX publish_sessions_open ON publish_sessions(stream_id, client_id)
    WHERE ended_at IS NULL;

CREATE TABLE viewer_sessions (
    id INTEGER PRIMARY KEY,
    stream_id INTEGER NOT NULL REFERENCES streams(id),
    client_id INTEGER NOT NULL,
    protocol TEXT NOT NULL,
    address TEXT NOT NULL,
    user_agent TEXT NOT NULL DEFAULT '',
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    bytes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX viewer_sessions_stream_started ON viewer_sessions(stream_id, started_at);
CREATE INDEX viewer_sessions_started ON viewer_sessions(started_at);
CREATE INDEX viewer_sessions_open ON viewer_sessions(stream_id, client_id)
    WHERE ended_at IS NULL;

-- One row per stream per sampling tick. The named REAL columns are what charts and alert
-- rules use; anything else a probe measures goes into `extras` (a JSON object).
CREATE TABLE health_samples (
    id INTEGER PRIMARY KEY,
    stream_id INTEGER NOT NULL REFERENCES streams(id),
    at INTEGER NOT NULL,
    video_kbps REAL,
    audio_kbps REAL,
    fps REAL,
    keyframe_interval_s REAL,
    viewers INTEGER,
    dropped_bytes INTEGER,
    extras TEXT CHECK (extras IS NULL OR json_valid(extras))
);
CREATE INDEX health_samples_stream_at ON health_samples(stream_id, at);

-- Raw samples older than the retention period, rolled up per minute.
CREATE TABLE health_minutes (
    stream_id INTEGER NOT NULL REFERENCES streams(id),
    minute INTEGER NOT NULL,
    samples INTEGER NOT NULL,
    video_kbps_avg REAL, video_kbps_min REAL, video_kbps_max REAL,
    audio_kbps_avg REAL, audio_kbps_min REAL, audio_kbps_max REAL,
    fps_avg REAL, fps_min REAL, fps_max REAL,
    keyframe_interval_s_avg REAL, keyframe_interval_s_min REAL, keyframe_interval_s_max REAL,
    viewers_avg REAL, viewers_min INTEGER, viewers_max INTEGER,
    dropped_bytes_sum INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (stream_id, minute)
) WITHOUT ROWID;

-- stream_id NULL: an alert about the whole studio (disk full, store queue overflowing).
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    stream_id INTEGER REFERENCES streams(id),
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    closed_at INTEGER,
    details TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX alerts_one_open ON alerts(ifnull(stream_id, 0), kind)
    WHERE closed_at IS NULL;
CREATE INDEX alerts_opened ON alerts(opened_at);
CREATE INDEX alerts_stream_opened ON alerts(stream_id, opened_at);

CREATE TABLE moderation_items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    stream_id INTEGER REFERENCES streams(id),
    author TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    media_ts_ms INTEGER,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    upvotes INTEGER NOT NULL DEFAULT 0,
    labels TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(labels))
);
-- Queue order is arrival order (id); an index on (x) is an index on (x, id), so each of
-- these serves "filter by x, newest (or oldest) first" without sorting. Time ranges use
-- created_at.
CREATE INDEX moderation_items_state ON moderation_items(state);
CREATE INDEX moderation_items_stream_state ON moderation_items(stream_id, state);
CREATE INDEX moderation_items_kind_state ON moderation_items(kind, state);
CREATE INDEX moderation_items_author ON moderation_items(author);
CREATE INDEX moderation_items_created ON moderation_items(created_at);
CREATE INDEX moderation_items_stream_created ON moderation_items(stream_id, created_at);

-- Substring search over item text, Chinese included (trigram: any 3+ character substring).
-- Moderation::insert adds the index row itself: an AFTER INSERT trigger would make every
-- insert a statement-journalled one, and FTS5 flushes its pending index at each of those
-- (measured: 5.6k instead of 31k inserts/s). Edits and deletes are rare and use triggers.
CREATE VIRTUAL TABLE moderation_items_fts USING fts5(
    text, content = 'moderation_items', content_rowid = 'id', tokenize = 'trigram');
CREATE TRIGGER moderation_items_fts_delete AFTER DELETE ON moderation_items BEGIN
    INSERT INTO moderation_items_fts(moderation_items_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER moderation_items_fts_update AFTER UPDATE OF text ON moderation_items BEGIN
    INSERT INTO moderation_items_fts(moderation_items_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
    INSERT INTO moderation_items_fts(rowid, text) VALUES (new.id, new.text);
END;

CREATE TABLE moderation_decisions (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES moderation_items(id) ON DELETE CASCADE,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL
);
CREATE INDEX moderation_decisions_item_at ON moderation_decisions(item_id, at);
CREATE INDEX moderation_decisions_at ON moderation_decisions(at);

CREATE TABLE recordings (
    id INTEGER PRIMARY KEY,
    stream_id INTEGER NOT NULL REFERENCES streams(id),
    path TEXT NOT NULL UNIQUE,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    duration_ms INTEGER,
    size_bytes INTEGER,
    codecs TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX recordings_state_started ON recordings(state, started_at);
CREATE INDEX recordings_stream_started ON recordings(stream_id, started_at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor_at ON audit_log(actor, at);
CREATE INDEX audit_log_action_at ON audit_log(action, at);
)sql";

} // namespace stagecast::store
