// Recovery files: the lesson writes that could not be saved before `cardpoll live` ended
// (the database stayed locked, the disk stayed full), kept beside the database and imported
// by the next start.
//
//   <database>.recovery-<session>-<ms since epoch>     mode 0600, written atomically
//
// Text, one write per line, in order (format in docs/reliability.md):
//   cardpoll-recovery 1
//   session 12
//   ask <question id> <at>  |  close <at>  |  reopen-last <at>
//   ask-quick <quick question number> <at>  (added if the session lacks it, then asked)
//   quick-key <quick question number> <right answer 0-3, -1: none>
//   read <card> <answer 0-3> <at>           (consecutive reads: one camera frame each line)
//   end <at>
//
// Import is idempotent: the writes are replayed through the collector (the same rules as
// during the lesson) in ONE transaction together with a row in recovery_imports naming the
// file; the file is deleted afterwards. A file whose name is already in recovery_imports
// (cardpoll stopped between the commit and the delete) is only deleted.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/store/db.h"
#include "core/store/write_queue.h"

namespace cardpoll {

struct RecoveryFile {
  Id session_id = 0;
  std::vector<LessonWrite> writes;
};

// The text of a recovery file (see above).
std::string recovery_file_text(Id session_id, std::span<const LessonWrite> writes);
// Parses a recovery file's text. Throws std::runtime_error naming `name` and the line.
RecoveryFile parse_recovery_file(std::string_view text, const std::string& name);

// Writes the file beside `database` (0600, atomically) and returns its path. Throws
// std::runtime_error naming the path when it cannot (the disk may be what is full).
std::filesystem::path write_recovery_file(const std::filesystem::path& database, Id session_id,
                                          std::span<const LessonWrite> writes);

// The recovery files waiting beside `database`, oldest first.
std::vector<std::filesystem::path> find_recovery_files(const std::filesystem::path& database);

struct RecoveryImport {
  std::filesystem::path file;
  Id session_id = 0;
  int answers = 0;          // reads replayed
  bool already_imported = false;
};
// Imports one file (see above). Throws (naming the file) when it is malformed or its session
// cannot take it; nothing is stored then and the file stays.
RecoveryImport import_recovery_file(Database& db, const std::filesystem::path& file);

// Imports every waiting file; returns one line per file for the terminal ("imported 14
// answers of session 12 from ...", or why a file was left). Never throws for a bad file.
std::vector<std::string> import_recovery_files(Database& db);

}  // namespace cardpoll
