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
