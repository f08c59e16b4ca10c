-- Version 4: who said it. Each document's speakers with a role and,
-- optionally, a case (a participant with attributes of their own); time
-- anchors inside turns (each subtitle cue's start); and the path each
-- document was imported from, so that only the same file makes a new
-- version.

CREATE TABLE cases (
    id         INTEGER PRIMARY KEY,
    guid       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);
CREATE UNIQUE INDEX cases_name ON cases (name);

CREATE TABLE case_attributes (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    key      TEXT    NOT NULL,
    type     TEXT    NOT NULL CHECK (type IN ('text', 'integer', 'float', 'date', 'boolean')),
    value    TEXT    NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (case_id, key)
);

-- A speaker is a name used in a document's turns (turns.speaker).
CREATE TABLE speakers (
    id      INTEGER PRIMARY KEY,
    doc_id  INTEGER NOT NULL REFERENCES documents (id),
    name    TEXT    NOT NULL,
    role    TEXT    NOT NULL CHECK (role IN ('interviewer', 'participant', 'other')),
    case_id INTEGER REFERENCES cases (id),
    UNIQUE (doc_id, name)
);
CREATE INDEX speakers_case ON speakers (case_id);

CREATE TABLE anchors (
    doc_id  INTEGER NOT NULL REFERENCES documents (id),
    pos     INTEGER NOT NULL, -- code point
    time_ms INTEGER NOT NULL,
    PRIMARY KEY (doc_id, pos)
) WITHOUT ROWID;

-- Not in the history: set once at import, outside any action.
CREATE TABLE document_origins (
    doc_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    path   TEXT    NOT NULL -- absolute, cleaned
);
CREATE INDEX document_origins_path ON document_origins (path);

-- cases
CREATE TRIGGER cases_ins AFTER INSERT ON cases
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'cases', NEW.id, NULL,
        json_object('id', NEW.id, 'guid', NEW.guid, 'name', NEW.name, 'created_at', NEW.created_at)
    FROM op_state;
END;
CREATE TRIGGER cases_upd AFTER UPDATE ON cases
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'cases', NEW.id,
        json_object('id', OLD.id, 'guid', OLD.guid, 'name', OLD.name, 'created_at', OLD.created_at),
        json_object('id', NEW.id, 'guid', NEW.guid, 'name', NEW.name, 'created_at', NEW.created_at)
    FROM op_state;
END;
CREATE TRIGGER cases_del AFTER DELETE ON cases
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'cases', OLD.id,
        json_object('id', OLD.id, 'guid', OLD.guid, 'name', OLD.name, 'created_at', OLD.created_at),
        NULL
    FROM op_state;
END;

-- case_attributes
CREATE TRIGGER case_attributes_ins AFTER INSERT ON case_attributes
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'case_attributes', NEW.id, NULL,
        json_object('id', NEW.id, 'case_id', NEW.case_id, 'key', NEW.key, 'type', NEW.type, 'value', NEW.value, 'position', NEW.position)
    FROM op_state;
END;
CREATE TRIGGER case_attributes_upd AFTER UPDATE ON case_attributes
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'case_attributes', NEW.id,
        json_object('id', OLD.id, 'case_id', OLD.case_id, 'key', OLD.key, 'type', OLD.type, 'value', OLD.value, 'position', OLD.position),
        json_object('id', NEW.id, 'case_id', NEW.case_id, 'key', NEW.key, 'type', NEW.type, 'value', NEW.value, 'position', NEW.position)
    FROM op_state;
END;
CREATE TRIGGER case_attributes_del AFTER DELETE ON case_attributes
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'case_attributes', OLD.id,
        json_object('id', OLD.id, 'case_id', OLD.case_id, 'key', OLD.key, 'type', OLD.type, 'value', OLD.value, 'position', OLD.position),
        NULL
    FROM op_state;
END;

-- speakers
CREATE TRIGGER speakers_ins AFTER INSERT ON speakers
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'speakers', NEW.id, NULL,
        json_object('id', NEW.id, 'doc_id', NEW.doc_id, 'name', NEW.name, 'role', NEW.role, 'case_id', NEW.case_id)
    FROM op_state;
END;
CREATE TRIGGER speakers_upd AFTER UPDATE ON speakers
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'speakers', NEW.id,
        json_object('id', OLD.id, 'doc_id', OLD.doc_id, 'name', OLD.name, 'role', OLD.role, 'case_id', OLD.case_id),
        json_object('id', NEW.id, 'doc_id', NEW.doc_id, 'name', NEW.name, 'role', NEW.role, 'case_id', NEW.case_id)
    FROM op_state;
END;
CREATE TRIGGER speakers_del AFTER DELETE ON speakers
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'speakers', OLD.id,
        json_object('id', OLD.id, 'doc_id', OLD.doc_id, 'name', OLD.name, 'role', OLD.role, 'case_id', OLD.case_id),
        NULL
    FROM op_state;
END;

-- anchors (no id column: row_id is the document's id)
CREATE TRIGGER anchors_ins AFTER INSERT ON anchors
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'anchors', NEW.doc_id, NULL,
        json_object('doc_id', NEW.doc_id, 'pos', NEW.pos, 'time_ms', NEW.time_ms)
    FROM op_state;
END;
CREATE TRIGGER anchors_upd AFTER UPDATE ON anchors
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'anchors', NEW.doc_id,
        json_object('doc_id', OLD.doc_id, 'pos', OLD.pos, 'time_ms', OLD.time_ms),
        json_object('doc_id', NEW.doc_id, 'pos', NEW.pos, 'time_ms', NEW.time_ms)
    FROM op_state;
END;
CREATE TRIGGER anchors_del AFTER DELETE ON anchors
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'anchors', OLD.doc_id,
        json_object('doc_id', OLD.doc_id, 'pos', OLD.pos, 'time_ms', OLD.time_ms),
        NULL
    FROM op_state;
END;

-- Every document already in the project gets its speakers, from its
-- turns, with the default roles; a document with a single speaker other
-- than the interviewer has that speaker as its participant.
INSERT INTO speakers (doc_id, name, role)
SELECT DISTINCT doc_id, speaker,
    -- lower() folds only ASCII: the Russian forms are listed as written.
    CASE WHEN lower(speaker) IN ('interviewer', 'int', 'int.', 'i', 'q', 'question', 'moderator', 'mod.', 'facilitator')
           OR speaker IN ('Интервьюер', 'ИНТЕРВЬЮЕР', 'интервьюер', 'И', 'В', 'Вопрос', 'ВОПРОС', 'Инт', 'Инт.', 'ИНТ',
                          'Модератор', 'МОДЕРАТОР', 'Мод.', 'Ведущий', 'Ведущая', 'ВЕДУЩИЙ', 'ВЕДУЩАЯ')
         THEN 'interviewer' ELSE 'participant' END
FROM turns WHERE speaker <> '';
