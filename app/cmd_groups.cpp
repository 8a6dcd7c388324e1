// cardpoll groups: suggest needs-based or mixed groups from sessions, save them for the live
// view, show and export them for printing, and measure whether the small-group work helped.
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "app/cli.h"
#include "app/cmd_data.h"
#include "core/csv.h"
#include "core/groups/groups.h"
#include "core/groups/groups_choices.h"
#include "core/groups/groups_effect.h"
#include "core/groups/groups_input.h"
#include "core/store/groups_store.h"
#include "core/json.h"
#include "core/teacher_tasks.h"

namespace cardpoll::app {
namespace {

const char* kUsage =
    "Usage: cardpoll groups suggest --class NAME --session ID[,ID...]\n"
    "                              [--mode needs|mixed|misconception|discuss]\n"
    "                              [--by skill|question|quiz] [--ask N]\n"
    "                              [--size N|MIN-MAX] [--constraints FILE] [--skills A,B]\n"
    "                              [--seed N] [--json] [--save]\n"
    "       cardpoll groups show --class NAME [--grouping ID|latest] [--json]\n"
    "       cardpoll groups export --class NAME [--grouping ID|latest] --out FILE.csv\n"
    "       cardpoll groups effect --before ID --after ID [--grouping ID] [--json]\n"
    "       cardpoll groups reflect --session ID [--grouping ID]\n"
    "\n"
    "suggest  Groups the students of class NAME from what they answered in the sessions\n"
    "         (ids from `cardpoll session list`, or latest).\n"
    "         --mode needs (default): students who share a skill they have not mastered yet,\n"
    "           the most urgent skill first (most students not yet, then the lowest class\n"
    "           mean); each group gets its focus skill and the questions it missed; students\n"
    "           with no gap form extension groups.\n"
    "         --mode mixed: every group holds someone who mastered each skill (where the\n"
    "           class allows), group means are balanced, last time's partners are avoided and\n"
    "           roles (facilitator, recorder, reporter, skeptic/timekeeper) rotate.\n"
    "         --mode misconception: students who made the same wrong choice on a question sit\n"
    "           together; the choice is the focus (\"Q3 chose B: 2/8\"); students right\n"
    "           everywhere form extension groups.\n"
    "         --mode discuss: peer discussion of one question (--ask N of the last session\n"
    "           given, default the question nearest 50% right): every group holds students\n"
    "           who chose differently and at least one who was right; then vote again.\n"
    "         --by skill (default): group by skill tags; a quiz without any groups by\n"
    "           question. --by question: each question its own focus. --by quiz: the whole\n"
    "           quiz as one focus. (needs and mixed modes)\n"
    "         In needs mode nobody is put in a reteach group for a focus they answered right\n"
    "           every time (docs/groups.md, \"Short checks\").\n"
    "         --size N: groups of N-1 to N students (default 3-4); --size MIN-MAX exactly.\n"
    "         --constraints FILE: lines `size: 3-4`, `apart: Ana, Ben`, `together: Cy, Dee`,\n"
    "           `anchor: off`, `# comments` (see docs/groups.md). --size beats the file's size.\n"
    "         --skills A,B: only these skills (default: every skill asked).\n"
    "         --seed N: the same seed and data always give the same groups (default 1).\n"
    "         Students with no answer in the sessions are left out and listed as absent.\n"
    "         Constraints that cannot be met are listed with the reason.\n"
    "         --json prints {\"mode\", \"groups\": [{\"name\", \"focus\", \"reason\", \"members\":\n"
    "           [{\"student\", \"card\", \"role\"}]}], \"absent\", \"unsatisfied\"}.\n"
    "         --save stores the grouping: the live view shows it (G key) and the next mixed\n"
    "           suggestion rotates roles and partners away from it.\n"
    "show     Prints a saved grouping (default: the newest of the class).\n"
    "export   Writes a saved grouping as CSV for printing: group, focus, card, student, role,\n"
    "         reason.\n"
    "effect   Re-assessment: for each group of the grouping in use (the newest saved before\n"
    "         session --after started, or --grouping ID), the right rate on its focus skill in\n"
    "         session --before and in session --after, per group and per student, then the\n"
    "         class change per focus skill; then the reflection polls of --after by group.\n"
    "reflect  The survey questions (no right answer) of a session, answers counted per group.\n";

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, ','))
    if (!trim_blanks(cur).empty()) out.push_back(trim_blanks(cur));
  return out;
}

std::string read_text_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error(path + ": cannot read the constraints file");
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string grouping_json(const Grouping& g) {
  JsonWriter w;
  w.begin_object();
  w.key("mode").value(std::string(group_mode_name(g.mode)));
  w.key("groups").begin_array();
  for (const auto& grp : g.groups) {
    w.begin_object();
    w.key("name").value(grp.name);
    w.key("focus");
    grp.focus.empty() ? w.null() : w.value(grp.focus);
    w.key("reason").value(grp.reason);
    w.key("members").begin_array();
    for (const auto& m : grp.members) {
      w.begin_object();
      w.key("student").value(m.name);
      w.key("card").value(m.card);
      w.key("role");
      m.role.empty() ? w.null() : w.value(m.role);
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("absent").begin_array();
  for (const auto& a : g.absent) w.value(a);
  w.end_array();
  w.key("unsatisfied").begin_array();
  for (const auto& u : g.unsatisfied) w.value(u);
  w.end_array();
  w.end_object();
  return w.str();
}

void print_grouping(const Grouping& g, const std::string& class_name) {
  std::fputs(grouping_text(g, class_name).c_str(), stdout);
}

// "4" -> 3-4 (any class size splits into groups of N-1 to N); "3-5" as given.
void apply_size(const std::string& text, GroupConstraints& c) {
  const size_t dash = text.find('-');
  if (dash == std::string::npos) {
    const int n = static_cast<int>(parse_whole_number(text, "--size"));
    if (n < 1 || n > 50) throw UsageError("--size " + text + ": expected 1 to 50");
    c.max_size = n;
    c.min_size = std::max(1, n - 1);
    return;
  }
  const int lo = static_cast<int>(parse_whole_number(text.substr(0, dash), "--size"));
  const int hi = static_cast<int>(parse_whole_number(text.substr(dash + 1), "--size"));
  if (lo < 1 || hi < lo || hi > 50) throw UsageError("--size " + text + ": expected MIN-MAX with 1 <= MIN <= MAX <= 50");
  c.min_size = lo;
  c.max_size = hi;
}

std::optional<Grouping> pick_grouping(Database& db, const ClassInfo& k, const std::string& which) {
  if (which == "latest") return load_latest_grouping(db, k.id);
  const Id id = parse_whole_number(which, "--grouping");
  auto g = load_grouping(db, id);
  if (g && g->class_id != k.id)
    throw std::runtime_error("grouping " + which + " belongs to another class, not \"" + k.name + "\"");
  if (!g) throw std::runtime_error("no saved grouping " + which + " in " + db.path().string());
  return g;
}

Grouping require_grouping(Database& db, const ClassInfo& k, const std::string& which) {
  auto g = pick_grouping(db, k, which);
  if (!g)
    throw std::runtime_error("class \"" + k.name + "\" has no saved grouping yet (cardpoll groups suggest ... --save)");
  return *g;
}

int run_suggest(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"class", true}, {"session", true}, {"mode", true}, {"size", true},
                                   {"constraints", true}, {"skills", true}, {"seed", true}, {"json"}, {"save"},
                                   {"by", true}, {"ask", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const std::string class_name = require_option(a, "class", "NAME");
  const auto session_words = split_commas(require_option(a, "session", "ID[,ID...]"));
  if (session_words.empty()) throw UsageError("--session needs at least one session id");
  GroupSuggestion o;
  const std::string mode = a.get_or("mode", "needs");
  auto m = group_mode_from_name(mode);
  if (!m) throw UsageError("--mode " + mode + ": expected needs, mixed, misconception or discuss");
  o.mode = *m;
  const std::string by = a.get_or("by", "skill");
  if (by == "skill") o.focus = GroupFocus::Skills;
  else if (by == "question") o.focus = GroupFocus::Questions;
  else if (by == "quiz") o.focus = GroupFocus::Quiz;
  else throw UsageError("--by " + by + ": expected skill, question or quiz");
  o.focus_given = a.has("by");
  const bool choice_mode = *m == GroupMode::Misconception || *m == GroupMode::Discuss;
  if (a.has("ask") && *m != GroupMode::Discuss) throw UsageError("--ask N is for --mode discuss");
  if (choice_mode && (a.has("skills") || a.has("by")))
    throw UsageError("--skills and --by are for the needs and mixed modes; " + mode + " groups by the choices made");
  if (choice_mode && a.has("constraints")) throw UsageError("--constraints is for the needs and mixed modes");
  o.seed = a.has("seed") ? static_cast<uint64_t>(parse_whole_number(*a.get("seed"), "--seed")) : 1;
  if (a.has("skills")) o.skills = split_commas(*a.get("skills"));
  if (a.has("ask")) o.ask = a.get_int("ask", 0, 1, 1000000);
  if (a.has("size")) {
    GroupConstraints c;
    apply_size(*a.get("size"), c);
    o.min_size = c.min_size;
    o.max_size = c.max_size;
  }
  if (a.has("constraints")) {
    o.constraints_file = *a.get("constraints");
    o.constraints_text = read_text_file(o.constraints_file);
  }

  Database db = open_class_database(ctx);
  const ClassInfo k = require_class(db, class_name);
  std::vector<Id> ids;
  for (const auto& w : session_words) ids.push_back(resolve_session(db, w, k.id).id);
  Grouping g = suggest_class_groups(db, k.id, ids, o);
  if (a.has("save")) {
    g.id = save_grouping(db, g);
  }
  if (a.has("json")) {
    std::fputs(grouping_json(g).c_str(), stdout);
  } else {
    print_grouping(g, k.name);
    if (g.id) std::printf("\nsaved as grouping %lld\n", static_cast<long long>(g.id));
  }
  std::fflush(stdout);  // the JSON first, then the note on stderr, also when both go to one pipe
  if (a.has("json") && g.id) std::fprintf(stderr, "saved as grouping %lld\n", static_cast<long long>(g.id));
  return 0;
}

int run_show(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"class", true}, {"grouping", true}, {"json"}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  Database db = open_class_database(ctx);
  const ClassInfo k = require_class(db, require_option(a, "class", "NAME"));
  const Grouping g = require_grouping(db, k, a.get_or("grouping", "latest"));
  if (a.has("json")) {
    std::fputs(grouping_json(g).c_str(), stdout);
  } else {
    std::printf("grouping %lld, saved %s\n", static_cast<long long>(g.id), local_time_text(g.created_at).c_str());
    print_grouping(g, k.name);
  }
  return 0;
}

int run_export(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"class", true}, {"grouping", true}, {"out", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const std::string out = require_option(a, "out", "FILE");
  Database db = open_class_database(ctx);
  const ClassInfo k = require_class(db, require_option(a, "class", "NAME"));
  const Grouping g = require_grouping(db, k, a.get_or("grouping", "latest"));
  const std::string csv = grouping_csv(g);
  write_file_atomically(out, csv);
  std::printf("wrote %s: %zu groups of \"%s\" (grouping %lld)\n", out.c_str(), g.groups.size(), k.name.c_str(),
              static_cast<long long>(g.id));
  return 0;
}

std::string rate_text(const RightRate& r) {
  auto v = r.rate();
  if (!v) return "  -  ";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%3.0f%% (%d/%d)", *v * 100, r.right, r.answered);
  return buf;
}

std::string change_text(const RightRate& b, const RightRate& a) {
  if (!b.rate() || !a.rate()) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.0f points", (*a.rate() - *b.rate()) * 100);
  return buf;
}

void rate_json(JsonWriter& w, const char* key, const RightRate& r) {
  w.key(key).begin_object();
  w.key("right").value(r.right);
  w.key("answered").value(r.answered);
  w.key("rate").value(r.rate());
  w.end_object();
}

void print_reflection(const std::vector<ReflectionTally>& tallies) {
  for (const auto& t : tallies) {
    std::printf("\nreflection poll (ask %d): %s\n", t.ask_number, t.question.c_str());
    for (const auto& g : t.groups) {
      std::printf("  %-16s", g.name.c_str());
      for (size_t c = 0; c < t.choices.size() && c < 4; ++c)
        std::printf("  %c %-12s %2d", "ABCD"[c], t.choices[c].substr(0, 12).c_str(), g.counts[c]);
      std::printf("   (%d of %d answered)\n", g.answered, g.members);
    }
  }
}

SessionData session_of(Database& db, const std::string& word) {
  return load_session_data(db, resolve_session(db, word).id);
}

int run_effect(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"before", true}, {"after", true}, {"grouping", true}, {"json"}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  Database db = open_class_database(ctx);
  const SessionData before = session_of(db, require_option(a, "before", "ID"));
  const SessionData after = session_of(db, require_option(a, "after", "ID"));
  if (before.klass.id != after.klass.id)
    throw std::runtime_error("sessions " + std::to_string(before.session.id) + " and " +
                             std::to_string(after.session.id) + " are of different classes");
  Grouping g;
  if (a.has("grouping")) {
    g = require_grouping(db, before.klass, *a.get("grouping"));
  } else {
    auto found = grouping_in_use_at(db, before.klass.id, after.session.started_at);
    if (!found)
      throw std::runtime_error("no grouping of \"" + before.klass.name + "\" was saved before session " +
                               std::to_string(after.session.id) +
                               " started: pass --grouping ID (cardpoll groups show --class ...)");
    g = *found;
  }
  const GroupingEffect e = grouping_effect(g, before, after);
  const auto reflection = reflection_by_group(g, after);
  if (a.has("json")) {
    JsonWriter w;
    w.begin_object();
    w.key("grouping").value(static_cast<int64_t>(g.id));
    w.key("before").value(static_cast<int64_t>(before.session.id));
    w.key("after").value(static_cast<int64_t>(after.session.id));
    w.key("groups").begin_array();
    for (const auto& ge : e.groups) {
      w.begin_object();
      w.key("name").value(ge.name);
      w.key("focus").value(ge.focus);
      rate_json(w, "before", ge.before);
      rate_json(w, "after", ge.after);
      w.key("students").begin_array();
      for (const auto& s : ge.students) {
        w.begin_object();
        w.key("student").value(s.name);
        w.key("card").value(s.card);
        rate_json(w, "before", s.before);
        rate_json(w, "after", s.after);
        w.end_object();
      }
      w.end_array();
      w.end_object();
    }
    w.end_array();
    w.key("class").begin_array();
    for (const auto& c : e.skills) {
      w.begin_object();
      w.key("skill").value(c.skill);
      rate_json(w, "before", c.before);
      rate_json(w, "after", c.after);
      w.end_object();
    }
    w.end_array();
    w.key("reflection").begin_array();
    for (const auto& t : reflection) {
      w.begin_object();
      w.key("question").value(t.question);
      w.key("ask").value(t.ask_number);
      w.key("groups").begin_array();
      for (const auto& rg : t.groups) {
        w.begin_object();
        w.key("name").value(rg.name);
        w.key("counts").begin_object();
        for (size_t c = 0; c < t.choices.size() && c < 4; ++c) w.key(t.choices[c]).value(rg.counts[c]);
        w.end_object();
        w.key("answered").value(rg.answered);
        w.end_object();
      }
      w.end_array();
      w.end_object();
    }
    w.end_array();
    w.end_object();
    std::fputs(w.str().c_str(), stdout);
    return 0;
  }
  std::printf("effect of grouping %lld on \"%s\": session %lld (before) -> session %lld (after)\n",
              static_cast<long long>(g.id), before.klass.name.c_str(), static_cast<long long>(before.session.id),
              static_cast<long long>(after.session.id));
  for (const auto& ge : e.groups) {
    std::printf("\n%s  %-24s before %-14s after %-14s %s\n", ge.name.c_str(),
                ge.focus.empty() ? "(all skills)" : ge.focus.c_str(), rate_text(ge.before).c_str(),
                rate_text(ge.after).c_str(), change_text(ge.before, ge.after).c_str());
    for (const auto& s : ge.students)
      std::printf("  %4d  %-24s before %-14s after %-14s %s\n", s.card, s.name.c_str(), rate_text(s.before).c_str(),
                  rate_text(s.after).c_str(), change_text(s.before, s.after).c_str());
  }
  std::printf("\nclass\n");
  for (const auto& c : e.skills)
    std::printf("  %-30s before %-14s after %-14s %s\n", c.skill.c_str(), rate_text(c.before).c_str(),
                rate_text(c.after).c_str(), change_text(c.before, c.after).c_str());
  print_reflection(reflection);
  return 0;
}

int run_reflect(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"session", true}, {"grouping", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  Database db = open_class_database(ctx);
  const SessionData s = session_of(db, require_option(a, "session", "ID"));
  Grouping g;
  if (a.has("grouping")) {
    g = require_grouping(db, s.klass, *a.get("grouping"));
  } else {
    auto found = grouping_in_use_at(db, s.klass.id, s.session.ended_at ? *s.session.ended_at + 1 : now_ms() + 1);
    if (!found) throw std::runtime_error("class \"" + s.klass.name + "\" has no saved grouping yet: pass --grouping ID");
    g = *found;
  }
  const auto tallies = reflection_by_group(g, s);
  if (tallies.empty()) {
    std::printf("session %lld asked no survey question (a question without a right answer)\n",
                static_cast<long long>(s.session.id));
    return 0;
  }
  std::printf("reflection polls of session %lld by the groups of grouping %lld\n", static_cast<long long>(s.session.id),
              static_cast<long long>(g.id));
  print_reflection(tallies);
  return 0;
}

int run_groups(const Context& ctx, const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError("groups needs a subcommand: suggest, show, export, effect or reflect");
  const std::string sub = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (sub == "suggest") return run_suggest(ctx, rest);
    if (sub == "show") return run_show(ctx, rest);
    if (sub == "export") return run_export(ctx, rest);
    if (sub == "effect") return run_effect(ctx, rest);
    if (sub == "reflect") return run_reflect(ctx, rest);
  } catch (const GroupingError& e) {
    throw std::runtime_error(e.what());
  }
  throw UsageError("unknown groups subcommand '" + sub + "'");
}

const bool registered = register_command({"groups", "suggest, save, show, export and evaluate small groups", kUsage, run_groups});

}  // namespace
}  // namespace cardpoll::app
