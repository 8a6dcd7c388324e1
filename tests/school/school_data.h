// A teacher's database made to order, for the school tests and bench/bench_school.cpp: classes
// of students, one question set, lessons with asks and answers (each answer with its history
// row), written through core's storage functions and the same SQL rows the collector writes,
// in one transaction (the schema's triggers give every row its uid and log entry, as live).
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "core/store/db.h"
#include "core/store/storage.h"

namespace cardpoll::school_test {

struct YearShape {
  int classes = 2;
  int lessons = 3;        // sessions per class
  int students = 10;      // per class
  int asks = 5;           // per lesson (questions of the set, in order)
  std::string set_name = "Unit quiz";
  std::string class_prefix = "Period ";
  std::string sis_prefix = "S";   // students' school ids: S<class>-<n>, "" for none
  uint32_t seed = 1;
  TimeMs start = 1772614800000;   // 2026-03-04 09:00 UTC
};

// Answer of student `s` to question `q` in lesson `l`: right (A) for the first students of a
// class, wrong for the rest, so shares right differ per question and are known in advance.
inline int planned_answer(const YearShape& y, int s, int q) { return s < (y.students * (q + 1)) / (y.asks + 1) ? 0 : 1 + (s + q) % 3; }

inline void make_year(Database& db, const YearShape& y) {
  Transaction tx(db);
  QuestionSet set = create_question_set(db, y.set_name);
  for (int q = 0; q < y.asks; ++q) {
    Question x;
    x.text = "Question " + std::to_string(q + 1);
    x.choices = {"alpha", "beta", "gamma", "delta"};
    x.correct = Answer::A;
    x.skills = {"skill." + std::to_string(q % 3)};
    set.questions.push_back(add_question(db, set.id, x));
  }
  Statement ask(db, "INSERT INTO asks (session_id, question_id, number, opened_at, closed_at) VALUES (?, ?, ?, ?, ?)");
  Statement resp(db,
                 "INSERT INTO responses (ask_id, student_id, answer, first_seen, last_changed) VALUES (?1, ?2, ?3, ?4, ?4)");
  Statement change(db, "INSERT INTO response_changes (ask_id, student_id, answer, at) VALUES (?, ?, ?, ?)");
  for (int c = 0; c < y.classes; ++c) {
    const ClassInfo k = create_class(db, y.class_prefix + std::to_string(c + 1), "classroom");
    std::vector<Student> students;
    for (int s = 0; s < y.students; ++s) {
      Student st;
      st.class_id = k.id;
      st.display_name = "Student " + std::to_string(c + 1) + "-" + std::to_string(s + 1);
      st.card = s + 1;
      if (!y.sis_prefix.empty()) st.sis_id = y.sis_prefix + std::to_string(c + 1) + "-" + std::to_string(s + 1);
      students.push_back(add_student(db, st));
    }
    for (int l = 0; l < y.lessons; ++l) {
      const TimeMs t0 = y.start + (static_cast<TimeMs>(l) * 24 + c) * 3600 * 1000;
      const Session ses = start_session(db, k.id, set.id, t0);
      for (int q = 0; q < y.asks; ++q) {
        const TimeMs opened = t0 + q * 60000;
        ask.bind(1, ses.id).bind(2, set.questions[q].id).bind(3, q + 1).bind(4, opened).bind(5, opened + 50000);
        ask.run();
        const Id ask_id = db.last_insert_id();
        for (int s = 0; s < y.students; ++s) {
          const int a = planned_answer(y, s, q);
          const TimeMs at = opened + 1000 + s * 10;
          resp.bind(1, ask_id).bind(2, students[s].id).bind(3, a).bind(4, at);
          resp.run();
          change.bind(1, ask_id).bind(2, students[s].id).bind(3, a).bind(4, at);
          change.run();
        }
      }
      end_session(db, ses.id, t0 + 3600 * 1000);
    }
  }
  tx.commit();
}

}  // namespace cardpoll::school_test
