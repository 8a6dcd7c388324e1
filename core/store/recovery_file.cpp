#include "core/store/recovery_file.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/store/atomic_file.h"
#include "core/store/storage.h"

namespace cardpoll {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "cardpoll-recovery 1";

std::string recovery_prefix(const fs::path& database) { return database.filename().string() + ".recovery-"; }

}  // namespace

std::string recovery_file_text(Id session_id, std::span<const LessonWrite> writes) {
  std::ostringstream out;
  out << kMagic << "\nsession " << session_id << "\n";
  for (const LessonWrite& w : writes) {
    switch (w.kind) {
      case LessonWrite::Kind::Ask: out << "ask " << w.question_id << " " << w.at << "\n"; break;
      case LessonWrite::Kind::Close: out << "close " << w.at << "\n"; break;
      case LessonWrite::Kind::ReopenLast: out << "reopen-last " << w.at << "\n"; break;
      case LessonWrite::Kind::End: out << "end " << w.at << "\n"; break;
      case LessonWrite::Kind::AskQuick: out << "ask-quick " << w.quick_number << " " << w.at << "\n"; break;
      case LessonWrite::Kind::SetQuickKey: out << "quick-key " << w.quick_number << " " << w.key << "\n"; break;
      case LessonWrite::Kind::Reads:
        for (const auto& r : w.reads)
          out << "read " << r.card << " " << static_cast<int>(r.answer) << " " << r.at << "\n";
        break;
    }
  }
  return out.str();
}

RecoveryFile parse_recovery_file(std::string_view text, const std::string& name) {
  RecoveryFile f;
  std::istringstream in{std::string(text)};
  std::string line;
  int number = 0;
  auto bad = [&](const std::string& why) {
    return std::runtime_error(name + ":" + std::to_string(number) + ": " + why);
  };
  bool last_was_read = false;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1) {
      if (line != kMagic) throw bad("not a cardpoll recovery file");
      continue;
    }
    std::istringstream words(line);
    std::string word;
    words >> word;
    int64_t a = 0, b = 0, c = 0;
    auto numbers = [&](int n) {
      bool ok = n < 1 || static_cast<bool>(words >> a);
      ok = ok && (n < 2 || static_cast<bool>(words >> b));
      ok = ok && (n < 3 || static_cast<bool>(words >> c));
      std::string extra;
      if (!ok || (words >> extra)) throw bad("expected " + std::to_string(n) + " numbers after '" + word + "'");
    };
    if (number == 2) {
      if (word != "session") throw bad("expected 'session <id>'");
      numbers(1);
      f.session_id = a;
      continue;
    }
    const bool is_read = word == "read";
    LessonWrite w;
    if (word == "ask") {
      numbers(2);
      w.kind = LessonWrite::Kind::Ask;
      w.question_id = a;
      w.at = b;
    } else if (word == "ask-quick") {
      numbers(2);
      if (a < 1) throw bad("a quick question's number starts at 1");
      w.kind = LessonWrite::Kind::AskQuick;
      w.quick_number = static_cast<int>(a);
      w.at = b;
    } else if (word == "quick-key") {
      numbers(2);
      if (a < 1 || b < -1 || b > 3) throw bad("a quick question's right answer needs its number >= 1 and 0-3 (-1: none)");
      w.kind = LessonWrite::Kind::SetQuickKey;
      w.quick_number = static_cast<int>(a);
      w.key = static_cast<int>(b);
    } else if (word == "close" || word == "reopen-last" || word == "end") {
      numbers(1);
      w.kind = word == "close" ? LessonWrite::Kind::Close
               : word == "end" ? LessonWrite::Kind::End
                               : LessonWrite::Kind::ReopenLast;
      w.at = a;
    } else if (is_read) {
      numbers(3);
      if (a < 1 || b < 0 || b > 3) throw bad("a read needs a card >= 1 and an answer 0-3");
      const Collector::Read r{static_cast<int>(a), static_cast<Answer>(b), c};
      if (last_was_read) {
        f.writes.back().reads.push_back(r);
      } else {
        w.kind = LessonWrite::Kind::Reads;
        w.reads.push_back(r);
      }
    } else {
      throw bad("unknown line '" + line + "'");
    }
    if (!(is_read && last_was_read)) f.writes.push_back(std::move(w));
    last_was_read = is_read;
  }
  if (number < 2) throw bad("the file is cut short (no session line)");
  return f;
}

fs::path write_recovery_file(const fs::path& database, Id session_id, std::span<const LessonWrite> writes) {
  const fs::path file = database.parent_path() /
                        (recovery_prefix(database) + std::to_string(session_id) + "-" + std::to_string(now_ms()));
  const std::string text = recovery_file_text(session_id, writes);
  replace_file_atomically(file, [&](const fs::path& tmp) {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) throw std::runtime_error(file.string() + ": cannot write the recovery file");
  });
  return file;
}

std::vector<fs::path> find_recovery_files(const fs::path& database) {
  std::vector<fs::path> out;
  const fs::path dir = database.has_parent_path() ? database.parent_path() : fs::path(".");
  const std::string prefix = recovery_prefix(database);
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string n = it->path().filename().string();
    if (n.rfind(prefix, 0) == 0 && n.find(".tmp-") == std::string::npos && it->is_regular_file(ec))
      out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

RecoveryImport import_recovery_file(Database& db, const fs::path& file) {
  RecoveryImport r;
  r.file = file;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot read the recovery file");
  std::ostringstream text;
  text << in.rdbuf();
  const RecoveryFile f = parse_recovery_file(text.str(), file.string());
  r.session_id = f.session_id;
  const std::string key = file.filename().string();
  {
    Transaction tx(db);
    Statement seen(db, "SELECT 1 FROM recovery_imports WHERE name = ?");
    seen.bind(1, key);
    if (seen.step()) {
      r.already_imported = true;
    } else {
      seen.reset();
      try {
        Collector c(db, f.session_id);
        for (const LessonWrite& w : f.writes) {
          apply_lesson_write(c, w);
          r.answers += static_cast<int>(w.reads.size());
        }
      } catch (const DbError&) {
        throw;
      } catch (const std::exception& e) {
        throw std::runtime_error(file.string() + ": cannot import: " + e.what());
      }
      Statement mark(db, "INSERT INTO recovery_imports (name, session_id, imported_at, answers) VALUES (?, ?, ?, ?)");
      mark.bind(1, key).bind(2, f.session_id).bind(3, now_ms()).bind(4, r.answers).run();
    }
    tx.commit();
  }
  std::error_code ec;
  fs::remove(file, ec);
  return r;
}

std::vector<std::string> import_recovery_files(Database& db) {
  std::vector<std::string> lines;
  for (const fs::path& file : find_recovery_files(db.path())) {
    try {
      const RecoveryImport r = import_recovery_file(db, file);
      lines.push_back(r.already_imported
                          ? file.string() + ": already imported; removed"
                          : "imported " + std::to_string(r.answers) + " answers of session " +
                                std::to_string(r.session_id) + " that could not be saved during the lesson, from " +
                                file.string());
    } catch (const std::exception& e) {
      lines.push_back(std::string("recovery file left in place: ") + e.what());
    }
  }
  return lines;
}

}  // namespace cardpoll
