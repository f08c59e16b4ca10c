-- Version 3: the history also records documents, their turns and coders,
-- so that undoing a merge removes the documents and coders it brought in.
-- Imports run outside any op (op_state.op_id is NULL) and stay unrecorded.
-- turns has no id column: its changes carry the document's id as row_id
-- and name the turn by (doc_id, n) inside the JSON.

-- documents
CREATE TRIGGER documents_ins AFTER INSERT ON documents
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'documents', NEW.id, NULL,
        json_object('id', NEW.id, 'guid', NEW.guid, 'name', NEW.name, 'version', NEW.version,
            'format', NEW.format, 'lang', NEW.lang, 'source', NEW.source, 'source_sha256', NEW.source_sha256,
            'text', NEW.text, 'text_sha256', NEW.text_sha256, 'length', NEW.length, 'words', NEW.words,
            'imported_at', NEW.imported_at, 'imported_by', NEW.imported_by)
    FROM op_state;
END;
CREATE TRIGGER documents_upd AFTER UPDATE ON documents
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'documents', NEW.id,
        json_object('id', OLD.id, 'guid', OLD.guid, 'name', OLD.name, 'version', OLD.version,
            'format', OLD.format, 'lang', OLD.lang, 'source', OLD.source, 'source_sha256', OLD.source_sha256,
            'text', OLD.text, 'text_sha256', OLD.text_sha256, 'length', OLD.length, 'words', OLD.words,
            'imported_at', OLD.imported_at, 'imported_by', OLD.imported_by),
        json_object('id', NEW.id, 'guid', NEW.guid, 'name', NEW.name, 'version', NEW.version,
            'format', NEW.format, 'lang', NEW.lang, 'source', NEW.source, 'source_sha256', NEW.source_sha256,
            'text', NEW.text, 'text_sha256', NEW.text_sha256, 'length', NEW.length, 'words', NEW.words,
            'imported_at', NEW.imported_at, 'imported_by', NEW.imported_by)
    FROM op_state;
END;
CREATE TRIGGER documents_del AFTER DELETE ON documents
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'documents', OLD.id,
        json_object('id', OLD.id, 'guid', OLD.guid, 'name', OLD.name, 'version', OLD.version,
            'format', OLD.format, 'lang', OLD.lang, 'source', OLD.source, 'source_sha256', OLD.source_sha256,
            'text', OLD.text, 'text_sha256', OLD.text_sha256, 'length', OLD.length, 'words', OLD.words,
            'imported_at', OLD.imported_at, 'imported_by', OLD.imported_by),
        NULL
    FROM op_state;
END;

-- turns
CREATE TRIGGER turns_ins AFTER INSERT ON turns
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'turns', NEW.doc_id, NULL,
        json_object('doc_id', NEW.doc_id, 'n', NEW.n, 'speaker', NEW.speaker, 'start', NEW.start,
            'body', NEW.body, 'end', NEW.end, 'time_ms', NEW.time_ms, 'end_ms', NEW.end_ms)
    FROM op_state;
END;
CREATE TRIGGER turns_upd AFTER UPDATE ON turns
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'turns', NEW.doc_id,
        json_object('doc_id', OLD.doc_id, 'n', OLD.n, 'speaker', OLD.speaker, 'start', OLD.start,
            'body', OLD.body, 'end', OLD.end, 'time_ms', OLD.time_ms, 'end_ms', OLD.end_ms),
        json_object('doc_id', NEW.doc_id, 'n', NEW.n, 'speaker', NEW.speaker, 'start', NEW.start,
            'body', NEW.body, 'end', NEW.end, 'time_ms', NEW.time_ms, 'end_ms', NEW.end_ms)
    FROM op_state;
END;
CREATE TRIGGER turns_del AFTER DELETE ON turns
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'turns', OLD.doc_id,
        json_object('doc_id', OLD.doc_id, 'n', OLD.n, 'speaker', OLD.speaker, 'start', OLD.start,
            'body', OLD.body, 'end', OLD.end, 'time_ms', OLD.time_ms, 'end_ms', OLD.end_ms),
        NULL
    FROM op_state;
END;

-- coders
CREATE TRIGGER coders_ins AFTER INSERT ON coders
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'coders', NEW.id, NULL,
        json_object('id', NEW.id, 'guid', NEW.guid, 'name', NEW.name, 'created_at', NEW.created_at)
    FROM op_state;
END;
CREATE TRIGGER coders_upd AFTER UPDATE ON coders
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'coders', NEW.id,
        json_object('id', OLD.id, 'guid', OLD.guid, 'name', OLD.name, 'created_at', OLD.created_at),
        json_object('id', NEW.id, 'guid', NEW.guid, 'name', NEW.name, 'created_at', NEW.created_at)
    FROM op_state;
END;
CREATE TRIGGER coders_del AFTER DELETE ON coders
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'coders', OLD.id,
        json_object('id', OLD.id, 'guid', OLD.guid, 'name', OLD.name, 'created_at', OLD.created_at),
        NULL
    FROM op_state;
END;
