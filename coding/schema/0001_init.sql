-- qcode project schema, version 1.
-- Positions (start, body, end) are Unicode code points of documents.text,
-- end exclusive. Times are RFC 3339 in UTC.

CREATE TABLE project (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    guid       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    -- generation counts committed changes; derived data (the search
    -- index) compares it with the generation it last saw.
    generation INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE coders (
    id         INTEGER PRIMARY KEY,
    guid       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL UNIQUE,
    created_at TEXT    NOT NULL
);

CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    guid          TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    format        TEXT    NOT NULL,
    lang          TEXT    NOT NULL,
    source        TEXT    NOT NULL, -- file name under sources/
    source_sha256 TEXT    NOT NULL, -- of the original file's bytes
    text          TEXT    NOT NULL,
    text_sha256   TEXT    NOT NULL,
    length        INTEGER NOT NULL, -- code points
    words         INTEGER NOT NULL,
    imported_at   TEXT    NOT NULL,
    imported_by   INTEGER REFERENCES coders (id),
    UNIQUE (name, version)
);
CREATE INDEX documents_source_sha256 ON documents (source_sha256);

CREATE TABLE turns (
    doc_id  INTEGER NOT NULL REFERENCES documents (id),
    n       INTEGER NOT NULL, -- 1-based, in document order
    speaker TEXT    NOT NULL,
    start   INTEGER NOT NULL,
    body    INTEGER NOT NULL,
    end     INTEGER NOT NULL,
    time_ms INTEGER,
    end_ms  INTEGER,
    PRIMARY KEY (doc_id, n)
) WITHOUT ROWID;

CREATE TABLE attributes (
    id       INTEGER PRIMARY KEY,
    doc_id   INTEGER NOT NULL REFERENCES documents (id),
    key      TEXT    NOT NULL,
    type     TEXT    NOT NULL CHECK (type IN ('text', 'integer', 'float', 'date', 'boolean')),
    value    TEXT    NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (doc_id, key)
);

CREATE TABLE codes (
    id          INTEGER PRIMARY KEY,
    guid        TEXT    NOT NULL UNIQUE,
    parent_id   INTEGER REFERENCES codes (id),
    name        TEXT    NOT NULL,
    color       TEXT    NOT NULL DEFAULT '',
    description TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL,
    created_by  INTEGER REFERENCES coders (id)
);
CREATE UNIQUE INDEX codes_sibling_name ON codes (ifnull(parent_id, 0), name COLLATE NOCASE);

CREATE TABLE codings (
    id         INTEGER PRIMARY KEY,
    guid       TEXT    NOT NULL UNIQUE,
    doc_id     INTEGER NOT NULL REFERENCES documents (id),
    code_id    INTEGER NOT NULL REFERENCES codes (id),
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    coder_id   INTEGER NOT NULL REFERENCES coders (id),
    created_at TEXT    NOT NULL,
    CHECK (start >= 0 AND end > start)
);
CREATE UNIQUE INDEX codings_once ON codings (doc_id, code_id, coder_id, start, end);
CREATE INDEX codings_doc ON codings (doc_id, start);
CREATE INDEX codings_code ON codings (code_id);

CREATE TABLE memos (
    id         INTEGER PRIMARY KEY,
    guid       TEXT    NOT NULL UNIQUE,
    target     TEXT    NOT NULL CHECK (target IN ('project', 'document', 'code', 'coding')),
    target_id  INTEGER, -- NULL for the project
    text       TEXT    NOT NULL,
    coder_id   INTEGER NOT NULL REFERENCES coders (id),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE INDEX memos_target ON memos (target, target_id);

-- The operation history behind undo and redo. Each user action is one
-- row in ops; while it runs, op_state.op_id names it and the triggers
-- below record every row it inserts, updates or deletes in the tracked
-- tables, as JSON before and after. Undo applies the befores in reverse,
-- redo the afters in order.
CREATE TABLE ops (
    id       INTEGER PRIMARY KEY,
    coder_id INTEGER NOT NULL REFERENCES coders (id),
    label    TEXT    NOT NULL,
    at       TEXT    NOT NULL,
    undone   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ops_coder ON ops (coder_id, undone, id);

CREATE TABLE op_state (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    op_id INTEGER
);
INSERT INTO op_state (id, op_id) VALUES (1, NULL);

CREATE TABLE changes (
    seq    INTEGER PRIMARY KEY,
    op_id  INTEGER NOT NULL REFERENCES ops (id),
    tbl    TEXT    NOT NULL,
    row_id INTEGER NOT NULL,
    before TEXT,
    after  TEXT
);
CREATE INDEX changes_op ON changes (op_id);

-- codes
CREATE TRIGGER codes_ins AFTER INSERT ON codes
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'codes', NEW.id, NULL,
        json_object('id', NEW.id, 'guid', NEW.guid, 'parent_id', NEW.parent_id, 'name', NEW.name,
            'color', NEW.color, 'description', NEW.description, 'created_at', NEW.created_at,
            'created_by', NEW.created_by)
    FROM op_state;
END;
CREATE TRIGGER codes_upd AFTER UPDATE ON codes
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'codes', NEW.id,
        json_object('id', OLD.id, 'guid', OLD.guid, 'parent_id', OLD.parent_id, 'name', OLD.name,
            'color', OLD.color, 'description', OLD.description, 'created_at', OLD.created_at,
            'created_by', OLD.created_by),
        json_object('id', NEW.id, 'guid', NEW.guid, 'parent_id', NEW.parent_id, 'name', NEW.name,
            'color', NEW.color, 'description', NEW.description, 'created_at', NEW.created_at,
            'created_by', NEW.created_by)
    FROM op_state;
END;
CREATE TRIGGER codes_del AFTER DELETE ON codes
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'codes', OLD.id,
        json_object('id', OLD.id, 'guid', OLD.guid, 'parent_id', OLD.parent_id, 'name', OLD.name,
            'color', OLD.color, 'description', OLD.description, 'created_at', OLD.created_at,
            'created_by', OLD.created_by),
        NULL
    FROM op_state;
END;

-- codings
CREATE TRIGGER codings_ins AFTER INSERT ON codings
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'codings', NEW.id, NULL,
        json_object('id', NEW.id, 'guid', NEW.guid, 'doc_id', NEW.doc_id, 'code_id', NEW.code_id,
            'start', NEW.start, 'end', NEW.end, 'coder_id', NEW.coder_id, 'created_at', NEW.created_at)
    FROM op_state;
END;
CREATE TRIGGER codings_upd AFTER UPDATE ON codings
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'codings', NEW.id,
        json_object('id', OLD.id, 'guid', OLD.guid, 'doc_id', OLD.doc_id, 'code_id', OLD.code_id,
            'start', OLD.start, 'end', OLD.end, 'coder_id', OLD.coder_id, 'created_at', OLD.created_at),
        json_object('id', NEW.id, 'guid', NEW.guid, 'doc_id', NEW.doc_id, 'code_id', NEW.code_id,
            'start', NEW.start, 'end', NEW.end, 'coder_id', NEW.coder_id, 'created_at', NEW.created_at)
    FROM op_state;
END;
CREATE TRIGGER codings_del AFTER DELETE ON codings
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'codings', OLD.id,
        json_object('id', OLD.id, 'guid', OLD.guid, 'doc_id', OLD.doc_id, 'code_id', OLD.code_id,
            'start', OLD.start, 'end', OLD.end, 'coder_id', OLD.coder_id, 'created_at', OLD.created_at),
        NULL
    FROM op_state;
END;

-- attributes
CREATE TRIGGER attributes_ins AFTER INSERT ON attributes
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'attributes', NEW.id, NULL,
        json_object('id', NEW.id, 'doc_id', NEW.doc_id, 'key', NEW.key, 'type', NEW.type,
            'value', NEW.value, 'position', NEW.position)
    FROM op_state;
END;
CREATE TRIGGER attributes_upd AFTER UPDATE ON attributes
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'attributes', NEW.id,
        json_object('id', OLD.id, 'doc_id', OLD.doc_id, 'key', OLD.key, 'type', OLD.type,
            'value', OLD.value, 'position', OLD.position),
        json_object('id', NEW.id, 'doc_id', NEW.doc_id, 'key', NEW.key, 'type', NEW.type,
            'value', NEW.value, 'position', NEW.position)
    FROM op_state;
END;
CREATE TRIGGER attributes_del AFTER DELETE ON attributes
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'attributes', OLD.id,
        json_object('id', OLD.id, 'doc_id', OLD.doc_id, 'key', OLD.key, 'type', OLD.type,
            'value', OLD.value, 'position', OLD.position),
        NULL
    FROM op_state;
END;

-- memos
CREATE TRIGGER memos_ins AFTER INSERT ON memos
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'memos', NEW.id, NULL,
        json_object('id', NEW.id, 'guid', NEW.guid, 'target', NEW.target, 'target_id', NEW.target_id,
            'text', NEW.text, 'coder_id', NEW.coder_id, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at)
    FROM op_state;
END;
CREATE TRIGGER memos_upd AFTER UPDATE ON memos
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'memos', NEW.id,
        json_object('id', OLD.id, 'guid', OLD.guid, 'target', OLD.target, 'target_id', OLD.target_id,
            'text', OLD.text, 'coder_id', OLD.coder_id, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at),
        json_object('id', NEW.id, 'guid', NEW.guid, 'target', NEW.target, 'target_id', NEW.target_id,
            'text', NEW.text, 'coder_id', NEW.coder_id, 'created_at', NEW.created_at,
            'updated_at', NEW.updated_at)
    FROM op_state;
END;
CREATE TRIGGER memos_del AFTER DELETE ON memos
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'memos', OLD.id,
        json_object('id', OLD.id, 'guid', OLD.guid, 'target', OLD.target, 'target_id', OLD.target_id,
            'text', OLD.text, 'coder_id', OLD.coder_id, 'created_at', OLD.created_at,
            'updated_at', OLD.updated_at),
        NULL
    FROM op_state;
END;
