-- Version 2: project settings (for example the citation template that
-- builds a quote's attribution from participant attributes).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO settings (key, value) VALUES ('cite', '{gender}, {age}, {occupation}');
