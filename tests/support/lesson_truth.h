// A rendered lesson's ground truth (tools/make_demo's truth.csv) against what cardpoll stored:
// shared by the end-to-end lesson tests (tests/display/test_live_e2e*.cpp).
// truth.csv: position,card,answers; answers "A>D" = answered A, then changed to D.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/csv.h"
#include "core/store/db.h"
#include "core/store/storage.h"
#include "tests/support/cardpoll_cli.h"

namespace cardpoll::test_support {

// (question position, card) -> the answer history, "A>D".
using History = std::map<std::pair<int, int>, std::string>;

inline History read_truth(const std::filesystem::path& file) {
  const CsvTable t = parse_csv(read_text(file), file.string());
  History h;
  for (size_t i = 1; i < t.records.size(); ++i) {
    const auto& f = t.records[i].fields;
    if (f.size() != 3) continue;
    h[{std::stoi(f[0]), std::stoi(f[1])}] = f[2];
  }
  return h;
}

inline std::string final_answer(const std::string& history) {
  const auto gt = history.rfind('>');
  return gt == std::string::npos ? history : history.substr(gt + 1);
}

// Differences between what was stored and the truth, one line each (empty: equal).
inline std::vector<std::string> differences(const History& got, const History& want) {
  std::vector<std::string> out;
  for (const auto& [key, w] : want) {
    const auto it = got.find(key);
    const std::string g = it == got.end() ? "(nothing)" : it->second;
    if (g != w)
      out.push_back("question " + std::to_string(key.first) + " card " + std::to_string(key.second) + ": stored " +
                    g + ", truth " + w);
  }
  for (const auto& [key, g] : got)
    if (!want.count(key))
      out.push_back("question " + std::to_string(key.first) + " card " + std::to_string(key.second) + ": stored " +
                    g + ", truth: no answer");
  return out;
}

inline std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

// Every answer change of a session, in time order, as (ask number, card) -> "A>D". The
// lesson tests ask questions 1, 2, 3 in order, once each, so ask number = position.
inline History stored_changes(const std::filesystem::path& db_path, Id session) {
  OpenOptions read_only;
  read_only.read_only = true;
  Database db(db_path, read_only);
  const SessionData data = load_session_data(db, session);
  std::map<Id, int> number_of_ask;
  for (const auto& a : data.asks) number_of_ask[a.id] = a.number;
  std::map<Id, int> card_of;
  for (const auto& s : data.students) card_of[s.id] = s.card;
  History stored;
  for (const auto& c : data.changes) {
    std::string& h = stored[{number_of_ask.at(c.ask_id), card_of.at(c.student_id)}];
    h += std::string(h.empty() ? "" : ">") + answer_letter(c.answer);
  }
  return stored;
}

}  // namespace cardpoll::test_support
