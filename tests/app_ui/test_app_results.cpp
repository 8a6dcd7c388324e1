// After the lesson, with the mouse: an answer corrected and a question re-keyed (the stored
// answers and the words as `cardpoll response set` / `ask key` say them), a gradebook export
// (the file `cardpoll export --format canvas` writes), groups suggested, a student dragged to
// another group, saved and printed (as `cardpoll groups show` prints them). Screen regions are
// compared before and after each change.
#include <gtest/gtest.h>

#include <fstream>

#include "core/store/collector.h"
#include "core/exchange/export_gradebook.h"
#include "core/local_time.h"
#include "core/store/groups_store.h"
#include "core/store/storage.h"
#include "core/tally.h"
#include "core/teacher_tasks.h"
#include "tests/app_ui/app_driver.h"
#include "tests/support/cardpoll_cli.h"

using namespace cardpoll;
namespace fs = std::filesystem;
using namespace cardpoll::test_support;

namespace {

// Six students with ids and emails; question 1 (key A) right for cards 1-3, question 2 (key B)
// right for cards 4-6; the lesson ended.
Id ended_lesson(Database& db, const fs::path& dir) {
  std::ofstream(dir / "p3.csv") << "student id,last name,first name,email,card\n"
                                   "1001,Garcia,Ana,ana@s.example,1\n1002,Okafor,Ben,ben@s.example,2\n"
                                   "1003,Martin,Chloe,chloe@s.example,3\n1004,Berg,Daan,daan@s.example,4\n"
                                   "1005,Silva,Eva,eva@s.example,5\n1006,Khan,Faisal,faisal@s.example,6\n";
  std::ofstream(dir / "q.csv") << "question,A,B,C,D,answer,skill\n"
                                  "Which is 1/2?,2/4,1/3,3/4,,A,fractions\n"
                                  "Which is 0.5?,1/5,1/2,5,,B,decimals\n";
  EXPECT_TRUE(import_roster_task(db, dir / "p3.csv", {"P3", "", false}).ok());
  EXPECT_TRUE(import_questions_task(db, dir / "q.csv", QuestionFormat::Auto, {"Check", false}).ok());
  const Session sess = start_session(db, find_class(db, "P3")->id, find_question_set(db, "Check")->id, now_ms());
  {
    Collector c(db, sess.id);
    c.ask_position(1, now_ms());
    for (int card = 1; card <= 6; ++card) c.record(card, card <= 3 ? Answer::A : Answer::B, now_ms());
    c.ask_position(2, now_ms());
    for (int card = 1; card <= 6; ++card) c.record(card, card <= 3 ? Answer::C : Answer::B, now_ms());
  }
  end_session(db, sess.id, now_ms());
  return sess.id;
}

std::optional<Answer> answer_of(Database& db, Id session, int ask, int card) {
  const SessionData d = load_session_data(db, session);
  const auto st = find_student_by_card(db, d.klass.id, card);
  for (const auto& a : d.asks)
    if (a.number == ask)
      if (const Response* r = response_of(d, a.id, st->id)) return r->answer;
  return std::nullopt;
}

}  // namespace

TEST(AppResults, CorrectAnAnswerReKeyAQuestionExportAGradebook) {
  TempDir dir;
  OPEN_OR_SKIP(d, dir.path);
  const Id sess = ended_lesson(d->s.db, dir.path);
  ++d->s.data_version;
  d->click("nav.results");
  const display::Image before = d->shot();
  const ui::Rect who = d->at("results.who.1");

  // Ben (card 2) answered A; the teacher saw him hold C.
  d->click("results.answer.1.2");
  d->click("results.pick.C");
  ASSERT_EQ(answer_of(d->s.db, sess, 1, 2), Answer::C) << d->s.results.report.error;
  EXPECT_EQ(d->s.results.report.summary, "session " + std::to_string(sess) + ", ask 1, Ben Okafor: A -> C (kept in the history)");
  const display::Image corrected = d->shot();
  EXPECT_NE(region(before, who), region(corrected, who)) << "the table still shows the old answer";

  // Question 1's key becomes C: Ben is right now, everyone else wrong.
  const ui::Rect bars = d->at("results.ask.1");
  d->click("results.key.1");
  d->click("results.pick.C");
  const Id q1 = load_session_data(d->s.db, sess).asks.front().question_id;
  ASSERT_EQ(find_question(d->s.db, q1)->correct, Answer::C) << d->s.results.report.error;
  EXPECT_EQ(d->s.results.report.summary.rfind("ask 1 of session " + std::to_string(sess) + ": right answer A -> C", 0), 0u)
      << d->s.results.report.summary;
  const display::Image rekeyed = d->shot();
  const ui::Rect table = d->at("results.who.1");
  EXPECT_NE(region(corrected, table), region(rekeyed, table)) << "right and wrong did not follow the new key";
  (void)bars;

  // A Canvas gradebook of this lesson, through the chooser's suggested name.
  d->click("results.format");
  d->click("results.pick.canvas");
  d->s.last_folder = dir.path;
  d->click("results.export");
  d->click("chooser.ok");
  const fs::path out = dir / ("p3-session-" + std::to_string(sess) + "-canvas.csv");
  ASSERT_TRUE(fs::exists(out)) << d->s.results.report.error << d->s.chooser.error;
  EXPECT_EQ(read_text(out), export_gradebook({load_session_data(d->s.db, sess)}, Gradebook::Canvas, AssignmentPer::Session));
  const auto cli_out = dir / "cli-canvas.csv";
  const auto cli = run_cardpoll_on(d->s.db.path(), {"export", "--session", std::to_string(sess), "--format", "canvas",
                                                     "--out", cli_out.string()});
  ASSERT_EQ(cli.exit_code, 0) << cli.all();
  EXPECT_EQ(read_text(out), read_text(cli_out));

  // The lessons of some days: none in January 2020 (said; nothing written), then the lesson's
  // own day, as `export --class P3 --from DAY --to DAY` writes it.
  const std::string day = local_date_label(load_session_data(d->s.db, sess).session.started_at);
  d->click("results.lessons.days");
  auto retype = [&](const std::string& field, const std::string& text) {
    d->click(field);
    d->key(SDL_SCANCODE_A, KMOD_CTRL);
    d->type(text);
  };
  retype("results.from_day", "2020-01-01");
  retype("results.to_day", "2020-01-31");
  fs::remove(out);
  d->click("results.export");
  d->click("chooser.ok");
  EXPECT_EQ(d->s.results.report.error,
            "the class has no lesson from 2020-01-01 to 2020-01-31 (see cardpoll session list)");
  EXPECT_FALSE(fs::exists(out));
  retype("results.from_day", day);
  retype("results.to_day", day);
  d->click("results.export");
  d->click("chooser.ok");
  ASSERT_TRUE(fs::exists(out)) << d->s.results.report.error << d->s.chooser.error;
  const auto days_out = dir / "cli-days.csv";
  const auto days = run_cardpoll_on(d->s.db.path(), {"export", "--class", "P3", "--from", day, "--to", day, "--format",
                                                      "canvas", "--out", days_out.string()});
  ASSERT_EQ(days.exit_code, 0) << days.all();
  EXPECT_EQ(read_text(out), read_text(days_out));
}

TEST(AppResults, SuggestGroupsDragAStudentSaveAndPrint) {
  TempDir dir;
  OPEN_OR_SKIP(d, dir.path);
  const Id sess = ended_lesson(d->s.db, dir.path);
  ++d->s.data_version;
  d->click("nav.results");
  d->click("results.tab.groups");
  d->click("results.suggest");
  ASSERT_TRUE(d->s.results.grouping) << d->s.results.report.error;
  ASSERT_GE(d->s.results.grouping->groups.size(), 2u);
  const Grouping suggested = *d->s.results.grouping;
  // The CLI suggests the same groups.
  const auto cli = run_cardpoll_on(d->s.db.path(), {"groups", "suggest", "--class", "P3", "--session", std::to_string(sess)});
  EXPECT_EQ(cli.out, grouping_text(suggested, "P3"));

  const GroupMember moved = suggested.groups[0].members[0];
  const display::Image before = d->shot();
  const ui::Rect second = d->at("results.group.2");
  d->drag("results.member." + std::to_string(moved.card), "results.group.2");
  const Grouping& now = *d->s.results.grouping;
  bool in_second = false;
  for (const auto& m : now.groups.at(1).members) in_second = in_second || m.student == moved.student;
  for (const auto& m : now.groups.at(0).members) EXPECT_NE(m.student, moved.student);
  ASSERT_TRUE(in_second) << "the dragged student is not in group 2";
  const display::Image after = d->shot();
  EXPECT_NE(region(before, second), region(after, second)) << "group 2 looks as before the drag";

  d->click("results.save_groups");
  const auto saved = load_latest_grouping(d->s.db, find_class(d->s.db, "P3")->id);
  ASSERT_TRUE(saved) << d->s.results.report.error;
  in_second = false;
  for (const auto& m : saved->groups.at(1).members) in_second = in_second || m.student == moved.student;
  EXPECT_TRUE(in_second) << "the saved grouping is the suggestion, not the teacher's";

  d->s.last_folder = dir.path;
  d->click("results.print_groups");
  d->click("chooser.ok");
  const fs::path txt = dir / "groups-P3.txt";
  ASSERT_TRUE(fs::exists(txt)) << d->s.results.report.error << d->s.chooser.error;
  const auto show = run_cardpoll_on(d->s.db.path(), {"groups", "show", "--class", "P3"});
  // `groups show` prints its grouping's number and date first, then what the app printed.
  EXPECT_EQ(show.out.substr(show.out.find('\n') + 1), read_text(txt));
}

// The suggestion's options with the mouse: a group size, rules typed in the rules box (apart,
// together), another arrangement (the next seed), the question a discussion is about. Each
// gives the groups `cardpoll groups suggest` gives with the same --size, --constraints, --seed
// and --ask; a rule naming nobody is refused with the box's line, and the groups shown stay.
TEST(AppResults, GroupSizesRulesAnotherArrangementAndTheDiscussionsQuestion) {
  TempDir dir;
  OPEN_OR_SKIP(d, dir.path);
  const Id sess = ended_lesson(d->s.db, dir.path);
  const std::string session = std::to_string(sess);
  ++d->s.data_version;
  d->click("nav.results");
  d->click("results.tab.groups");
  auto cli_groups = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"groups", "suggest", "--class", "P3", "--session", session};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_cardpoll_on(d->s.db.path(), args);
    EXPECT_EQ(r.exit_code, 0) << r.all();
    return r.out;
  };

  // Mixed groups (each holds someone who mastered each skill) in pairs.
  d->click("results.group_mode");
  d->click("results.pick.mixed");
  d->click("results.group_size");
  d->click("results.size.pairs");
  d->click("results.suggest");
  ASSERT_TRUE(d->s.results.grouping) << d->s.results.report.error;
  EXPECT_EQ(d->s.results.grouping->groups.size(), 3u);
  for (const auto& g : d->s.results.grouping->groups) EXPECT_EQ(g.members.size(), 2u) << g.name;
  EXPECT_EQ(grouping_text(*d->s.results.grouping, "P3"), cli_groups({"--mode", "mixed", "--size", "2-2"}));

  // Rules: Ana and Ben apart, Chloe with Daan; as a constraints file for the CLI.
  d->click("results.rules");
  d->click("results.group_rules");
  d->type("apart: Ana Garcia, Ben Okafor");
  d->key(SDL_SCANCODE_RETURN);
  d->type("together: Chloe Martin, Daan Berg");
  d->click("results.suggest");
  ASSERT_TRUE(d->s.results.grouping) << d->s.results.report.error;
  std::ofstream(dir / "rules.txt") << "apart: Ana Garcia, Ben Okafor\ntogether: Chloe Martin, Daan Berg";
  const std::string with_rules = cli_groups({"--mode", "mixed", "--size", "2-2", "--constraints", (dir / "rules.txt").string()});
  EXPECT_EQ(grouping_text(*d->s.results.grouping, "P3"), with_rules);
  auto group_of = [&](const std::string& name) {
    for (size_t i = 0; i < d->s.results.grouping->groups.size(); ++i)
      for (const auto& m : d->s.results.grouping->groups[i].members)
        if (m.name == name) return static_cast<int>(i);
    return -1;
  };
  EXPECT_NE(group_of("Ana Garcia"), group_of("Ben Okafor"));
  EXPECT_EQ(group_of("Chloe Martin"), group_of("Daan Berg"));
  EXPECT_TRUE(d->s.results.grouping->unsatisfied.empty()) << d->s.results.grouping->unsatisfied.front();

  // Another arrangement: the next seed, the rules still kept.
  d->click("results.another");
  ASSERT_TRUE(d->s.results.grouping) << d->s.results.report.error;
  EXPECT_EQ(grouping_text(*d->s.results.grouping, "P3"),
            cli_groups({"--mode", "mixed", "--size", "2-2", "--constraints", (dir / "rules.txt").string(), "--seed", "2"}));
  EXPECT_EQ(group_of("Chloe Martin"), group_of("Daan Berg"));

  // A rule naming a student the class does not have: refused with the box's line.
  d->click("results.group_rules");
  d->key(SDL_SCANCODE_END, KMOD_CTRL);  // the box's end, wherever the click put the cursor
  d->key(SDL_SCANCODE_RETURN);
  d->type("apart: Zed Nobody, Ana Garcia");
  d->click("results.suggest");
  EXPECT_FALSE(d->s.results.grouping);
  EXPECT_NE(d->s.results.report.error.find("the rules box:3"), std::string::npos) << d->s.results.report.error;
  EXPECT_NE(d->s.results.report.error.find("Zed Nobody"), std::string::npos) << d->s.results.report.error;

  // Discuss: question 2 chosen from the list.
  d->click("results.group_mode");
  d->click("results.pick.discuss");
  d->click("results.discuss_ask");
  d->click("results.ask.2");
  d->click("results.suggest");
  ASSERT_TRUE(d->s.results.grouping) << d->s.results.report.error;
  EXPECT_EQ(grouping_text(*d->s.results.grouping, "P3"), cli_groups({"--mode", "discuss", "--ask", "2", "--size", "2-2"}));
}
