// cardpoll session: list and show sessions; and, without a camera, run one by hand (start,
// ask, record, close, reopen, end) through the same response collector the live view uses.
#include <cstdio>
#include <iostream>
#include <sstream>

#include "app/cli.h"
#include "app/cmd_corrections.h"
#include "app/cmd_data.h"
#include "core/store/collector.h"
#include "core/store/corrections.h"
#include "core/exchange/item_analysis.h"
#include "core/tally.h"

namespace cardpoll::app {
namespace {

const char* const kUsage =
    "Usage: cardpoll session list [--class NAME]\n"
    "       cardpoll session show ID|latest\n"
    "       cardpoll session start --class NAME --set SET\n"
    "       cardpoll session ask --session ID|latest (--question N | --next)\n"
    "       cardpoll session record --session ID|latest --card N --answer A|B|C|D [--ask N] [--at MS]\n"
    "       cardpoll session record --session ID|latest --stdin\n"
    "       cardpoll session close --session ID|latest\n"
    "       cardpoll session reopen --session ID|latest --ask N\n"
    "       cardpoll session end --session ID|latest\n"
    "\n"
    "list     Sessions, newest first: id, class, question set, start, asks, answers, name.\n"
    "show     Each ask of a session: question, answers per choice, answered, percent right,\n"
    "         cards read that no student holds, and the item analysis: per question the share\n"
    "         right, the discrimination (correlation with the rest of the quiz), each choice's\n"
    "         pull among low and high scorers and flags such as \"check the key\".\n"
    "\n"
    "The rest run a session without a camera (demos, tests, typing in answers from paper),\n"
    "through the same collector as the live view, with the same rules: answers count only\n"
    "while an ask is open; the latest answer wins and every change is kept; a card no\n"
    "student holds is counted (\"card 37 is not assigned\") but is nobody's answer. Each\n"
    "answer is committed to disk before the command reports it.\n"
    "start    Starts a session of class NAME with question set SET; prints its id.\n"
    "ask      Opens question N of the set (or the one after the last asked, --next) as the\n"
    "         next ask of the session, closing the open ask. Asking a question again is fine.\n"
    "record   One card read: card N showing ANSWER. --ask N refuses the read unless ask N is\n"
    "         the open one. --at MS: the time of the read (ms since 1970, default now).\n"
    "         --stdin reads lines \"CARD ANSWER [MS]\" and prints one outcome per line.\n"
    "         Exit 0 when the answer is stored or unchanged, 1 when it is ignored.\n"
    "close    Closes the open ask: later reads are ignored.\n"
    "reopen   Opens ask N again (answers it has are kept).\n"
    "end      Closes the open ask and ends the session.\n"
    "\n"
    "Global: --db PATH (the class database). Exit 0 done, 1 failure, 2 bad command line.\n";

Answer parse_answer(const std::string& word) {
  if (word.size() == 1)
    if (auto a = answer_from_letter(word[0] >= 'a' && word[0] <= 'd' ? static_cast<char>(word[0] - 32) : word[0]))
      return *a;
  throw UsageError("answer '" + word + "': expected A, B, C or D");
}

int run_list(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"class", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  Database db = open_class_database(ctx);
  std::optional<Id> class_id;
  if (auto c = a.get("class")) class_id = require_class(db, *c).id;
  const auto sessions = list_session_summaries(db, class_id);
  if (sessions.empty()) {
    std::printf("no sessions yet\n");
    return 0;
  }
  std::printf("%5s  %-20s %-24s %-16s %5s %7s %s\n", "id", "class", "question set", "started", "asks", "answers", "");
  for (const auto& s : sessions)
    std::printf("%5lld  %-20s %-24s %-16s %5d %7d %s\n", static_cast<long long>(s.session.id), s.class_name.c_str(),
                s.set_name.c_str(), local_time_text(s.session.started_at).c_str(), s.asks, s.responses,
                (std::string(s.session.ended_at ? "" : "(open) ") + session_name(db, s.session.id)).c_str());
  return 0;
}

int run_show(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {});
  if (a.positional.size() != 1) throw UsageError("session show needs one session ID or 'latest'");
  Database db = open_class_database(ctx);
  const Session x = resolve_session(db, a.positional[0]);
  const SessionData d = load_session_data(db, x.id);
  std::printf("session %lld: class \"%s\", question set \"%s\", started %s%s\n", static_cast<long long>(x.id),
              d.klass.name.c_str(), d.set.name.c_str(), local_time_text(x.started_at).c_str(),
              x.ended_at ? (", ended " + local_time_text(*x.ended_at)).c_str() : " (still open)");
  std::printf("%zu students, %zu asks\n", d.students.size(), d.asks.size());
  for (const AskTally& t : tally_asks(d)) {
    const Ask* ask = nullptr;
    for (const auto& k : d.asks)
      if (k.id == t.ask_id) ask = &k;
    std::printf("\nask %d: question %d. %s%s\n", t.ask_number, t.question ? t.question->position : 0,
                t.question ? t.question->text.c_str() : "?", ask && !ask->closed_at ? "   (open)" : "");
    for (int c = 0; c < t.choices; ++c) {
      const bool right = t.correct && static_cast<int>(*t.correct) == c;
      std::printf("   %c%c %3d  %5.1f%%  %s\n", right ? '*' : ' ', answer_letter(static_cast<Answer>(c)), t.counts[c],
                  t.percent[c], t.question && c < static_cast<int>(t.question->choices.size()) ? t.question->choices[c].c_str() : "");
    }
    std::printf("   answered %zu of %d (%.0f%%)", t.answered.size(), t.class_size, t.percent_answered);
    if (t.percent_right) std::printf(", right %d (%.0f%% of those who answered)", t.right.value_or(0), *t.percent_right);
    else if (!t.correct) std::printf(", survey (no right answer)");
    std::printf("\n");
  }
  if (!d.asks.empty()) std::printf("\n%s", item_analysis_text(analyse_items(d)).c_str());
  if (!d.unassigned_cards.empty()) {
    std::vector<std::string> cards;
    for (int c : d.unassigned_cards) cards.push_back(std::to_string(c));
    std::printf("\ncards read that no student holds: %s (see cardpoll class assign)\n", join_words(cards, ", ").c_str());
  }
  return 0;
}

int run_start(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"class", true}, {"set", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const std::string class_name = require_option(a, "class", "NAME");
  const std::string set_name = require_option(a, "set", "SET");
  Database db = open_class_database(ctx);
  const ClassInfo k = require_class(db, class_name);
  const QuestionSet set = require_question_set(db, set_name);
  if (set.questions.empty()) throw std::runtime_error("question set \"" + set.name + "\" has no questions");
  const Session s = start_session(db, k.id, set.id, now_ms());
  std::printf("%lld\n", static_cast<long long>(s.id));
  return 0;
}

int run_ask(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"session", true}, {"question", true}, {"next"}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  if (a.has("question") == a.has("next")) throw UsageError("give --question N or --next");
  Database db = open_class_database(ctx);
  Collector c(db, resolve_session(db, require_option(a, "session", "ID"), std::nullopt, true).id);
  const Ask k = a.has("next") ? c.next_ask(now_ms()) : c.ask_position(a.get_int("question", 1, 1, 1000000), now_ms());
  const auto q = find_question(db, k.question_id);
  std::printf("ask %d open: question %d. %s\n", k.number, q ? q->position : 0, q ? q->text.c_str() : "");
  return 0;
}

int record_one(Collector& c, const std::string& card_word, const std::string& answer_word, TimeMs at, int only_ask) {
  const int card = static_cast<int>(parse_whole_number(card_word, "card"));
  const Answer answer = parse_answer(answer_word);
  if (only_ask > 0 && (!c.open_ask() || c.open_ask()->number != only_ask)) {
    std::printf("card %d: ignored, ask %d is not open%s\n", card, only_ask,
                c.open_ask() ? (" (ask " + std::to_string(c.open_ask()->number) + " is)").c_str() : "");
    return 1;
  }
  const ReadResult r = c.record(card, answer, at);
  std::printf("%s\n", describe(r).c_str());
  return r.stored() || r.outcome == ReadOutcome::Unchanged ? 0 : 1;
}

int run_record(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"session", true}, {"card", true}, {"answer", true}, {"ask", true}, {"at", true}, {"stdin"}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const int only_ask = a.get_int("ask", 0, 1, 1000000);
  if (a.has("stdin") && (a.has("card") || a.has("answer")))
    throw UsageError("--stdin reads cards and answers from standard input");
  if (!a.has("stdin")) {  // check the words before touching the database
    parse_whole_number(require_option(a, "card", "N"), "card");
    parse_answer(require_option(a, "answer", "A|B|C|D"));
  }
  Database db = open_class_database(ctx);
  Collector c(db, resolve_session(db, require_option(a, "session", "ID"), std::nullopt, true).id);
  if (a.has("stdin")) {
    int worst = 0, line_no = 0;
    std::string line;
    while (std::getline(std::cin, line)) {
      ++line_no;
      std::istringstream in(line);
      std::string card, answer, at;
      if (!(in >> card)) continue;
      if (!(in >> answer)) throw std::runtime_error("stdin:" + std::to_string(line_no) + ": expected \"CARD ANSWER [MS]\"");
      in >> at;
      try {
        worst = std::max(worst, record_one(c, card, answer, at.empty() ? now_ms() : parse_whole_number(at, "time"), only_ask));
      } catch (const UsageError& e) {
        throw std::runtime_error("stdin:" + std::to_string(line_no) + ": " + e.what());
      }
      std::fflush(stdout);  // each line is reported only after its answer is committed
    }
    return worst;
  }
  const std::string card = require_option(a, "card", "N");
  const std::string answer = require_option(a, "answer", "A|B|C|D");
  const TimeMs at = a.has("at") ? parse_whole_number(*a.get("at"), "--at") : now_ms();
  return record_one(c, card, answer, at, only_ask);
}

int run_close(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"session", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  Database db = open_class_database(ctx);
  Collector c(db, resolve_session(db, require_option(a, "session", "ID"), std::nullopt, true).id);
  if (!c.open_ask()) {
    std::printf("no ask is open\n");
    return 0;
  }
  const int n = c.open_ask()->number;
  c.close_ask(now_ms());
  std::printf("ask %d closed\n", n);
  return 0;
}

int run_reopen(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"session", true}, {"ask", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const int n = a.get_int("ask", 0, 1, 1000000);
  if (n == 0) throw UsageError("--ask N is required");
  Database db = open_class_database(ctx);
  Collector c(db, resolve_session(db, require_option(a, "session", "ID"), std::nullopt, true).id);
  c.reopen_ask(n, now_ms());
  std::printf("ask %d open again\n", n);
  return 0;
}

int run_end(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"session", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  Database db = open_class_database(ctx);
  const Session s = resolve_session(db, require_option(a, "session", "ID"), std::nullopt, true);
  end_session(db, s.id, now_ms());
  std::printf("session %lld ended\n", static_cast<long long>(s.id));
  return 0;
}

int run_session(const Context& ctx, const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError("session needs an action: list, show, start, ask, record, close, reopen or end");
  const std::string action = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (action == "list") return run_list(ctx, rest);
  if (action == "show") return run_show(ctx, rest);
  if (action == "start") return run_start(ctx, rest);
  if (action == "ask") return run_ask(ctx, rest);
  if (action == "record") return run_record(ctx, rest);
  if (action == "close") return run_close(ctx, rest);
  if (action == "reopen") return run_reopen(ctx, rest);
  if (action == "end") return run_end(ctx, rest);
  if (const int rc = run_session_correction(ctx, action, rest); rc >= 0) return rc;
  throw UsageError("unknown action '" + action + "' (list, show, start, ask, record, close, reopen, end)");
}

const bool registered = register_command(
    {"session", "list and show sessions; run one by hand without a camera", std::string(kUsage) + "\nCorrections:\n" + session_corrections_usage(), run_session});

}  // namespace
}  // namespace cardpoll::app
