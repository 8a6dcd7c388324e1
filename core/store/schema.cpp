#include "core/store/schema.h"

#include <string>

#include "core/store/db.h"

namespace cardpoll {

namespace {

// Times are milliseconds since the Unix epoch (UTC). Answers are 0..3 for A..D, as
// core/deck.h's Answer. Every table a teacher's data lives in is linked by foreign keys
// (PRAGMA foreign_keys is on for every connection), so nothing can point at a missing row.
constexpr Migration kMigrations[] = {
    {1, "classes, students, question sets, sessions, asks, responses and their changes",
     R"sql(
CREATE TABLE classes (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
  deck        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

-- A student belongs to one class. `active` = 0 when a roster import with --replace left them
-- out: their past answers stay attached to them; they just hold no card any more.
CREATE TABLE students (
  id            INTEGER PRIMARY KEY,
  class_id      INTEGER NOT NULL REFERENCES classes(id),
  display_name  TEXT NOT NULL CHECK (length(trim(display_name)) > 0),
  first_name    TEXT NOT NULL DEFAULT '',
  last_name     TEXT NOT NULL DEFAULT '',
  card          INTEGER CHECK (card IS NULL OR card > 0),
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  UNIQUE (class_id, card)
);
CREATE INDEX students_by_class ON students(class_id);

CREATE TABLE student_tags (
  student_id  INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  tag         TEXT NOT NULL,
  PRIMARY KEY (student_id, tag)
) WITHOUT ROWID;

CREATE TABLE question_sets (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
  created_at  INTEGER NOT NULL
);

CREATE TABLE questions (
  id          INTEGER PRIMARY KEY,
  set_id      INTEGER NOT NULL REFERENCES question_sets(id),
  position    INTEGER NOT NULL CHECK (position > 0),
  text        TEXT NOT NULL,
  true_false  INTEGER NOT NULL DEFAULT 0 CHECK (true_false IN (0, 1)),
  correct     INTEGER CHECK (correct IS NULL OR correct BETWEEN 0 AND 3),
  image_path  TEXT NOT NULL DEFAULT '',
  UNIQUE (set_id, position)
);

CREATE TABLE question_choices (
  question_id  INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  letter       INTEGER NOT NULL CHECK (letter BETWEEN 0 AND 3),
  text         TEXT NOT NULL,
  PRIMARY KEY (question_id, letter)
) WITHOUT ROWID;

CREATE TABLE question_skills (
  question_id  INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  skill        TEXT NOT NULL,
  PRIMARY KEY (question_id, skill)
) WITHOUT ROWID;

CREATE TABLE sessions (
  id          INTEGER PRIMARY KEY,
  class_id    INTEGER NOT NULL REFERENCES classes(id),
  set_id      INTEGER NOT NULL REFERENCES question_sets(id),
  started_at  INTEGER NOT NULL,
  ended_at    INTEGER
);
CREATE INDEX sessions_by_class ON sessions(class_id, started_at);

-- One asking of a question. The same question may be asked twice in a session (before and
-- after a small-group lesson): each asking has its own number.
CREATE TABLE asks (
  id           INTEGER PRIMARY KEY,
  session_id   INTEGER NOT NULL REFERENCES sessions(id),
  question_id  INTEGER NOT NULL REFERENCES questions(id),
  number       INTEGER NOT NULL CHECK (number > 0),
  opened_at    INTEGER NOT NULL,
  closed_at    INTEGER,
  UNIQUE (session_id, number)
);

-- The current answer of each student to each ask ("latest stable answer wins")...
CREATE TABLE responses (
  ask_id        INTEGER NOT NULL REFERENCES asks(id),
  student_id    INTEGER NOT NULL REFERENCES students(id),
  answer        INTEGER NOT NULL CHECK (answer BETWEEN 0 AND 3),
  first_seen    INTEGER NOT NULL,
  last_changed  INTEGER NOT NULL,
  PRIMARY KEY (ask_id, student_id)
) WITHOUT ROWID;

-- ... and every answer they showed on the way, in order: nothing is overwritten.
CREATE TABLE response_changes (
  id          INTEGER PRIMARY KEY,
  ask_id      INTEGER NOT NULL REFERENCES asks(id),
  student_id  INTEGER NOT NULL REFERENCES students(id),
  answer      INTEGER NOT NULL CHECK (answer BETWEEN 0 AND 3),
  at          INTEGER NOT NULL
);
CREATE INDEX response_changes_by_ask ON response_changes(ask_id, student_id);

-- Cards read during a session that no student of the class holds: counted, never an answer.
CREATE TABLE unassigned_reads (
  session_id  INTEGER NOT NULL REFERENCES sessions(id),
  card        INTEGER NOT NULL,
  count       INTEGER NOT NULL,
  first_seen  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL,
  PRIMARY KEY (session_id, card)
) WITHOUT ROWID;
)sql"},
    {2, "saved groupings (cardpoll groups suggest --save): groups, members, roles, notes",
     R"sql(
-- A grouping suggested by `cardpoll groups suggest` and saved by the teacher. The live view
-- shows the newest one of its class; the next mixed suggestion rotates roles and partners
-- away from it.
CREATE TABLE groupings (
  id          INTEGER PRIMARY KEY,
  class_id    INTEGER NOT NULL REFERENCES classes(id),
  created_at  INTEGER NOT NULL,
  mode        TEXT NOT NULL CHECK (mode IN ('needs', 'mixed')),
  seed        INTEGER NOT NULL,
  min_size    INTEGER NOT NULL CHECK (min_size > 0),
  max_size    INTEGER NOT NULL CHECK (max_size >= min_size)
);
CREATE INDEX groupings_by_class ON groupings(class_id, created_at);

CREATE TABLE grouping_sessions (
  grouping_id  INTEGER NOT NULL REFERENCES groupings(id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  session_id   INTEGER NOT NULL REFERENCES sessions(id),
  PRIMARY KEY (grouping_id, position)
) WITHOUT ROWID;

-- missed: the question labels ("Q4"), one per line.
CREATE TABLE grouping_groups (
  grouping_id  INTEGER NOT NULL REFERENCES groupings(id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  name         TEXT NOT NULL,
  focus        TEXT NOT NULL DEFAULT '',
  reason       TEXT NOT NULL DEFAULT '',
  missed       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (grouping_id, position)
) WITHOUT ROWID;

CREATE TABLE grouping_members (
  grouping_id     INTEGER NOT NULL REFERENCES groupings(id) ON DELETE CASCADE,
  group_position  INTEGER NOT NULL,
  position        INTEGER NOT NULL,
  student_id      INTEGER NOT NULL REFERENCES students(id),
  role            TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (grouping_id, student_id)
) WITHOUT ROWID;

-- kind 'absent': a student's name left out; 'unsatisfied': a constraint not honoured and why.
CREATE TABLE grouping_notes (
  grouping_id  INTEGER NOT NULL REFERENCES groupings(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('absent', 'unsatisfied')),
  position     INTEGER NOT NULL,
  text         TEXT NOT NULL,
  PRIMARY KEY (grouping_id, kind, position)
) WITHOUT ROWID;
)sql"},
    {3, "integrity_check says ok: question_skills and student_tags rebuilt key columns first; "
        "recovery_imports",
     R"sql(
-- SQLite 3.40's PRAGMA integrity_check reports "NULL value in question_skills.position" (and
-- student_tags.position) for WITHOUT ROWID tables whose primary key columns do not come
-- first: a false positive, but it tells anyone checking a database's health that it is
-- corrupt. Same tables, same keys, same rows; key columns first.
CREATE TABLE question_skills_rebuilt (
  question_id  INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  skill        TEXT NOT NULL,
  position     INTEGER NOT NULL,
  PRIMARY KEY (question_id, skill)
) WITHOUT ROWID;
INSERT INTO question_skills_rebuilt (question_id, skill, position)
  SELECT question_id, skill, position FROM question_skills;
DROP TABLE question_skills;
ALTER TABLE question_skills_rebuilt RENAME TO question_skills;

CREATE TABLE student_tags_rebuilt (
  student_id  INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
  tag         TEXT NOT NULL,
  position    INTEGER NOT NULL,
  PRIMARY KEY (student_id, tag)
) WITHOUT ROWID;
INSERT INTO student_tags_rebuilt (student_id, tag, position)
  SELECT student_id, tag, position FROM student_tags;
DROP TABLE student_tags;
ALTER TABLE student_tags_rebuilt RENAME TO student_tags;

-- Recovery files (core/store/recovery_file.h) already imported, by file name: importing is done
-- in the same transaction as this row, so a file found again (the process died before it
-- could delete it) is never imported twice.
CREATE TABLE recovery_imports (
  name         TEXT PRIMARY KEY,
  session_id   INTEGER NOT NULL REFERENCES sessions(id),
  imported_at  INTEGER NOT NULL,
  answers      INTEGER NOT NULL
);
)sql"},
    {4, "students' school id and email, for gradebook exports (Canvas, Moodle, Classroom, PowerSchool)",
     R"sql(
-- sis_id: the student's id in the school's systems (PowerSchool Student_Number, Canvas SIS User
-- ID, Moodle ID number, OneRoster identifier); '' when the roster did not give one.
ALTER TABLE students ADD COLUMN sis_id TEXT NOT NULL DEFAULT '';
ALTER TABLE students ADD COLUMN email TEXT NOT NULL DEFAULT '';
)sql"},
    {5, "corrections after a lesson (who, what, when, the old value), session names, quick-question sets, choice-mode groupings",
     R"sql(
-- Every correction a teacher makes after the fact: an answer set or cleared, an answer key
-- changed, a question edited, a class, set or session renamed or deleted. Nothing here is a
-- foreign key: the history must outlive what it describes (a deleted session stays listed).
-- kind: 'answer', 'key', 'question', 'rename', 'delete'. target: what it is about, in words
-- ("session 12 ask 3 Ana Garcia"); old_value / new_value as the teacher typed them ('' none).
CREATE TABLE corrections (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  who         TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('answer', 'key', 'question', 'rename', 'delete')),
  session_id  INTEGER,
  ask_number  INTEGER,
  student_id  INTEGER,
  question_id INTEGER,
  target      TEXT NOT NULL,
  old_value   TEXT NOT NULL DEFAULT '',
  new_value   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX corrections_by_session ON corrections(session_id, at);

-- A name a teacher gives a session ("before the group work"); sessions are known by number.
CREATE TABLE session_names (
  session_id  INTEGER PRIMARY KEY REFERENCES sessions(id),
  name        TEXT NOT NULL
);

-- Quick questions (asked aloud, nothing prepared) of a session live in a question set of their
-- own: the session's set for a lesson started without one, a companion set otherwise, so a
-- prepared set never gains questions nobody wrote into it.
CREATE TABLE quick_sets (
  session_id  INTEGER PRIMARY KEY REFERENCES sessions(id),
  set_id      INTEGER NOT NULL REFERENCES question_sets(id)
);

-- Groupings made in the misconception and discuss modes: groupings.mode holds their family
-- (needs / mixed, which its CHECK allows), this table the exact mode.
CREATE TABLE grouping_kinds (
  grouping_id  INTEGER PRIMARY KEY REFERENCES groupings(id) ON DELETE CASCADE,
  mode         TEXT NOT NULL CHECK (mode IN ('misconception', 'discuss'))
);
)sql"},
    {6, "stable ids (uid) on every row that travels to a school server, the change log a push reads, the pushes made",
     R"sql(
-- Stable ids for the school server (cardpoll sync, docs/school.md): every row that travels gets
-- `uid`, 128 random bits as 32 hex digits, made here, where the row was created, never reused
-- and never changed. Rows that exist get theirs now; new rows get theirs from the triggers
-- below on insert, whichever core function inserts them, so no insert path can forget it.
-- sync_log: every insert, change and delete of a travelling row, in order (seq). A push sends
-- the rows whose log entries come after the server's high-water mark for this laptop; the
-- triggers write the log, so corrections made after a push travel on the next one. An UPDATE
-- that changes nothing (a roster imported again) logs nothing.
CREATE TABLE sync_identity (
  only        INTEGER PRIMARY KEY CHECK (only = 1),
  laptop_uid  TEXT NOT NULL,
  made_at     INTEGER NOT NULL
);
INSERT INTO sync_identity (only, laptop_uid, made_at) VALUES (1, lower(hex(randomblob(16))), CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));

CREATE TABLE sync_log (
  seq  INTEGER PRIMARY KEY,  -- never deleted from, so always growing (no AUTOINCREMENT: one write less)
  tbl  TEXT NOT NULL,
  uid  TEXT NOT NULL,
  at   INTEGER NOT NULL
);

-- The last push to each server: what `cardpoll sync --status` counts from when offline.
CREATE TABLE sync_pushes (
  server      TEXT PRIMARY KEY,
  pushed_seq  INTEGER NOT NULL,
  pushed_at   INTEGER NOT NULL
);

-- The two tables a live lesson writes to on every answer are rebuilt with the uid as a column
-- DEFAULT (same columns, keys and rows): their inserts need no second write to fill it.
ALTER TABLE classes ADD COLUMN uid TEXT;
UPDATE classes SET uid = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX classes_by_uid ON classes(uid);
INSERT INTO sync_log (tbl, uid, at) SELECT 'classes', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM classes;
CREATE TRIGGER classes_sync_insert AFTER INSERT ON classes BEGIN
  UPDATE classes SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id AND uid IS NULL;
  INSERT INTO sync_log (tbl, uid, at) SELECT 'classes', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM classes WHERE id = NEW.id;
END;

CREATE TRIGGER classes_sync_update AFTER UPDATE ON classes
  WHEN OLD.uid IS NOT NULL AND (OLD.name IS NOT NEW.name OR OLD.deck IS NOT NEW.deck OR OLD.created_at IS NOT NEW.created_at) BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('classes', NEW.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;
CREATE TRIGGER classes_sync_delete AFTER DELETE ON classes WHEN OLD.uid IS NOT NULL BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('classes', OLD.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;

ALTER TABLE question_sets ADD COLUMN uid TEXT;
UPDATE question_sets SET uid = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX question_sets_by_uid ON question_sets(uid);
INSERT INTO sync_log (tbl, uid, at) SELECT 'question_sets', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM question_sets;
CREATE TRIGGER question_sets_sync_insert AFTER INSERT ON question_sets BEGIN
  UPDATE question_sets SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id AND uid IS NULL;
  INSERT INTO sync_log (tbl, uid, at) SELECT 'question_sets', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM question_sets WHERE id = NEW.id;
END;

CREATE TRIGGER question_sets_sync_update AFTER UPDATE ON question_sets
  WHEN OLD.uid IS NOT NULL AND (OLD.name IS NOT NEW.name OR OLD.created_at IS NOT NEW.created_at) BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('question_sets', NEW.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;
CREATE TRIGGER question_sets_sync_delete AFTER DELETE ON question_sets WHEN OLD.uid IS NOT NULL BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('question_sets', OLD.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;

ALTER TABLE students ADD COLUMN uid TEXT;
UPDATE students SET uid = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX students_by_uid ON students(uid);
INSERT INTO sync_log (tbl, uid, at) SELECT 'students', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM students;
CREATE TRIGGER students_sync_insert AFTER INSERT ON students BEGIN
  UPDATE students SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id AND uid IS NULL;
  INSERT INTO sync_log (tbl, uid, at) SELECT 'students', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM students WHERE id = NEW.id;
END;

CREATE TRIGGER students_sync_update AFTER UPDATE ON students
  WHEN OLD.uid IS NOT NULL AND (OLD.class_id IS NOT NEW.class_id OR OLD.display_name IS NOT NEW.display_name OR OLD.first_name IS NOT NEW.first_name OR OLD.last_name IS NOT NEW.last_name OR OLD.card IS NOT NEW.card OR OLD.active IS NOT NEW.active OR OLD.sis_id IS NOT NEW.sis_id OR OLD.email IS NOT NEW.email) BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('students', NEW.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;
CREATE TRIGGER students_sync_delete AFTER DELETE ON students WHEN OLD.uid IS NOT NULL BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('students', OLD.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;

ALTER TABLE questions ADD COLUMN uid TEXT;
UPDATE questions SET uid = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX questions_by_uid ON questions(uid);
INSERT INTO sync_log (tbl, uid, at) SELECT 'questions', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM questions;
CREATE TRIGGER questions_sync_insert AFTER INSERT ON questions BEGIN
  UPDATE questions SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id AND uid IS NULL;
  INSERT INTO sync_log (tbl, uid, at) SELECT 'questions', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM questions WHERE id = NEW.id;
END;

CREATE TRIGGER questions_sync_update AFTER UPDATE ON questions
  WHEN OLD.uid IS NOT NULL AND (OLD.set_id IS NOT NEW.set_id OR OLD.position IS NOT NEW.position OR OLD.text IS NOT NEW.text OR OLD.true_false IS NOT NEW.true_false OR OLD.correct IS NOT NEW.correct OR OLD.image_path IS NOT NEW.image_path) BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('questions', NEW.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;
CREATE TRIGGER questions_sync_delete AFTER DELETE ON questions WHEN OLD.uid IS NOT NULL BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('questions', OLD.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;

ALTER TABLE sessions ADD COLUMN uid TEXT;
UPDATE sessions SET uid = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX sessions_by_uid ON sessions(uid);
INSERT INTO sync_log (tbl, uid, at) SELECT 'sessions', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM sessions;
CREATE TRIGGER sessions_sync_insert AFTER INSERT ON sessions BEGIN
  UPDATE sessions SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id AND uid IS NULL;
  INSERT INTO sync_log (tbl, uid, at) SELECT 'sessions', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM sessions WHERE id = NEW.id;
END;

CREATE TRIGGER sessions_sync_update AFTER UPDATE ON sessions
  WHEN OLD.uid IS NOT NULL AND (OLD.class_id IS NOT NEW.class_id OR OLD.set_id IS NOT NEW.set_id OR OLD.started_at IS NOT NEW.started_at OR OLD.ended_at IS NOT NEW.ended_at) BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('sessions', NEW.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;
CREATE TRIGGER sessions_sync_delete AFTER DELETE ON sessions WHEN OLD.uid IS NOT NULL BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('sessions', OLD.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;

ALTER TABLE asks ADD COLUMN uid TEXT;
UPDATE asks SET uid = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX asks_by_uid ON asks(uid);
INSERT INTO sync_log (tbl, uid, at) SELECT 'asks', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM asks;
CREATE TRIGGER asks_sync_insert AFTER INSERT ON asks BEGIN
  UPDATE asks SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id AND uid IS NULL;
  INSERT INTO sync_log (tbl, uid, at) SELECT 'asks', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM asks WHERE id = NEW.id;
END;

CREATE TRIGGER asks_sync_update AFTER UPDATE ON asks
  WHEN OLD.uid IS NOT NULL AND (OLD.session_id IS NOT NEW.session_id OR OLD.question_id IS NOT NEW.question_id OR OLD.number IS NOT NEW.number OR OLD.opened_at IS NOT NEW.opened_at OR OLD.closed_at IS NOT NEW.closed_at) BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('asks', NEW.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;
CREATE TRIGGER asks_sync_delete AFTER DELETE ON asks WHEN OLD.uid IS NOT NULL BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('asks', OLD.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;

CREATE TABLE responses_rebuilt (
  ask_id        INTEGER NOT NULL REFERENCES asks(id),
  student_id    INTEGER NOT NULL REFERENCES students(id),
  answer        INTEGER NOT NULL CHECK (answer BETWEEN 0 AND 3),
  first_seen    INTEGER NOT NULL,
  last_changed  INTEGER NOT NULL,
  uid           TEXT NOT NULL DEFAULT (lower(hex(randomblob(16)))),
  PRIMARY KEY (ask_id, student_id)
) WITHOUT ROWID;
INSERT INTO responses_rebuilt (ask_id, student_id, answer, first_seen, last_changed)
  SELECT ask_id, student_id, answer, first_seen, last_changed FROM responses;
DROP TABLE responses;
ALTER TABLE responses_rebuilt RENAME TO responses;
CREATE UNIQUE INDEX responses_by_uid ON responses(uid);
INSERT INTO sync_log (tbl, uid, at) SELECT 'responses', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM responses;
CREATE TRIGGER responses_sync_insert AFTER INSERT ON responses BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('responses', NEW.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;

CREATE TRIGGER responses_sync_update AFTER UPDATE ON responses
  WHEN OLD.uid IS NOT NULL AND (OLD.ask_id IS NOT NEW.ask_id OR OLD.student_id IS NOT NEW.student_id OR OLD.answer IS NOT NEW.answer OR OLD.first_seen IS NOT NEW.first_seen OR OLD.last_changed IS NOT NEW.last_changed) BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('responses', NEW.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;
CREATE TRIGGER responses_sync_delete AFTER DELETE ON responses WHEN OLD.uid IS NOT NULL BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('responses', OLD.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;

CREATE TABLE response_changes_rebuilt (
  id          INTEGER PRIMARY KEY,
  ask_id      INTEGER NOT NULL REFERENCES asks(id),
  student_id  INTEGER NOT NULL REFERENCES students(id),
  answer      INTEGER NOT NULL CHECK (answer BETWEEN 0 AND 3),
  at          INTEGER NOT NULL,
  uid         TEXT NOT NULL DEFAULT (lower(hex(randomblob(16))))
);
INSERT INTO response_changes_rebuilt (id, ask_id, student_id, answer, at)
  SELECT id, ask_id, student_id, answer, at FROM response_changes;
DROP TABLE response_changes;
ALTER TABLE response_changes_rebuilt RENAME TO response_changes;
CREATE INDEX response_changes_by_ask ON response_changes(ask_id, student_id);
CREATE UNIQUE INDEX response_changes_by_uid ON response_changes(uid);
INSERT INTO sync_log (tbl, uid, at) SELECT 'response_changes', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM response_changes;
CREATE TRIGGER response_changes_sync_insert AFTER INSERT ON response_changes BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('response_changes', NEW.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;

CREATE TRIGGER response_changes_sync_update AFTER UPDATE ON response_changes
  WHEN OLD.uid IS NOT NULL AND (OLD.ask_id IS NOT NEW.ask_id OR OLD.student_id IS NOT NEW.student_id OR OLD.answer IS NOT NEW.answer OR OLD.at IS NOT NEW.at) BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('response_changes', NEW.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;
CREATE TRIGGER response_changes_sync_delete AFTER DELETE ON response_changes WHEN OLD.uid IS NOT NULL BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('response_changes', OLD.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;

ALTER TABLE corrections ADD COLUMN uid TEXT;
UPDATE corrections SET uid = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX corrections_by_uid ON corrections(uid);
INSERT INTO sync_log (tbl, uid, at) SELECT 'corrections', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM corrections;
CREATE TRIGGER corrections_sync_insert AFTER INSERT ON corrections BEGIN
  UPDATE corrections SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id AND uid IS NULL;
  INSERT INTO sync_log (tbl, uid, at) SELECT 'corrections', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM corrections WHERE id = NEW.id;
END;

CREATE TRIGGER corrections_sync_update AFTER UPDATE ON corrections
  WHEN OLD.uid IS NOT NULL AND (OLD.at IS NOT NEW.at OR OLD.who IS NOT NEW.who OR OLD.kind IS NOT NEW.kind OR OLD.session_id IS NOT NEW.session_id OR OLD.ask_number IS NOT NEW.ask_number OR OLD.student_id IS NOT NEW.student_id OR OLD.question_id IS NOT NEW.question_id OR OLD.target IS NOT NEW.target OR OLD.old_value IS NOT NEW.old_value OR OLD.new_value IS NOT NEW.new_value) BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('corrections', NEW.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;
CREATE TRIGGER corrections_sync_delete AFTER DELETE ON corrections WHEN OLD.uid IS NOT NULL BEGIN
  INSERT INTO sync_log (tbl, uid, at) VALUES ('corrections', OLD.uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER));
END;

CREATE TRIGGER student_tags_sync_insert AFTER INSERT ON student_tags BEGIN
  INSERT INTO sync_log (tbl, uid, at) SELECT 'students', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM students WHERE id = NEW.student_id;
END;
CREATE TRIGGER student_tags_sync_update AFTER UPDATE ON student_tags BEGIN
  INSERT INTO sync_log (tbl, uid, at) SELECT 'students', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM students WHERE id = NEW.student_id;
END;
CREATE TRIGGER student_tags_sync_delete AFTER DELETE ON student_tags BEGIN
  INSERT INTO sync_log (tbl, uid, at) SELECT 'students', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM students WHERE id = OLD.student_id;
END;
CREATE TRIGGER question_choices_sync_insert AFTER INSERT ON question_choices BEGIN
  INSERT INTO sync_log (tbl, uid, at) SELECT 'questions', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM questions WHERE id = NEW.question_id;
END;
CREATE TRIGGER question_choices_sync_update AFTER UPDATE ON question_choices BEGIN
  INSERT INTO sync_log (tbl, uid, at) SELECT 'questions', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM questions WHERE id = NEW.question_id;
END;
CREATE TRIGGER question_choices_sync_delete AFTER DELETE ON question_choices BEGIN
  INSERT INTO sync_log (tbl, uid, at) SELECT 'questions', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM questions WHERE id = OLD.question_id;
END;
CREATE TRIGGER question_skills_sync_insert AFTER INSERT ON question_skills BEGIN
  INSERT INTO sync_log (tbl, uid, at) SELECT 'questions', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM questions WHERE id = NEW.question_id;
END;
CREATE TRIGGER question_skills_sync_update AFTER UPDATE ON question_skills BEGIN
  INSERT INTO sync_log (tbl, uid, at) SELECT 'questions', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM questions WHERE id = NEW.question_id;
END;
CREATE TRIGGER question_skills_sync_delete AFTER DELETE ON question_skills BEGIN
  INSERT INTO sync_log (tbl, uid, at) SELECT 'questions', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM questions WHERE id = OLD.question_id;
END;
CREATE TRIGGER session_names_sync_insert AFTER INSERT ON session_names BEGIN
  INSERT INTO sync_log (tbl, uid, at) SELECT 'sessions', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM sessions WHERE id = NEW.session_id;
END;
CREATE TRIGGER session_names_sync_update AFTER UPDATE ON session_names BEGIN
  INSERT INTO sync_log (tbl, uid, at) SELECT 'sessions', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM sessions WHERE id = NEW.session_id;
END;
CREATE TRIGGER session_names_sync_delete AFTER DELETE ON session_names BEGIN
  INSERT INTO sync_log (tbl, uid, at) SELECT 'sessions', uid, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) FROM sessions WHERE id = OLD.session_id;
END;
)sql"},
    // Append new steps here (version 2, 3, ...). See core/store/schema.h.
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

int latest_schema_version() { return kMigrations[std::size(kMigrations) - 1].version; }

int schema_version(Database& db) {
  Statement s(db, "PRAGMA user_version");
  return s.step() ? s.column_int(0) : 0;
}

void migrate(Database& db, int up_to) {
  const int target = up_to < 0 ? latest_schema_version() : up_to;
  for (const Migration& m : kMigrations) {
    if (m.version > target) break;
    if (schema_version(db) >= m.version) continue;
    Transaction tx(db);
    // Another process may have run this step while we waited for the write lock.
    const int now = schema_version(db);
    if (now >= m.version) continue;
    if (now != m.version - 1)
      throw DbError(db.path().string() + ": schema version " + std::to_string(now) +
                        " cannot be migrated by step " + std::to_string(m.version),
                    0);
    db.exec(m.sql);
    // PRAGMA takes no bound parameters; these are our own integer constants, not user data.
    db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    db.exec("PRAGMA user_version = " + std::to_string(m.version));
    tx.commit();
  }
}

}  // namespace cardpoll
