// A lesson to write into, and the lesson writes the write-queue and storage-fault tests
// hand the queue: a class of ten students with cards 1-10, a set of two questions and a
// session started on it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/store/collector.h"
#include "core/store/storage.h"
#include "core/store/write_queue.h"

namespace cardpoll::testing_store {

inline constexpr int kStudents = 10;

struct Lesson {
  Id session_id = 0;
  std::vector<Id> questions;
};

inline Lesson make_lesson(Database& db) {
  const auto k = create_class(db, "P3");
  for (int i = 1; i <= kStudents; ++i) {
    Student s;
    s.class_id = k.id;
    s.display_name = "Student " + std::to_string(i);
    s.card = i;
    add_student(db, s);
  }
  const auto set = create_question_set(db, "Two");
  Lesson l;
  for (const char* text : {"First?", "Second?"}) {
    Question q;
    q.text = text;
    q.choices = {"a", "b", "c", "d"};
    l.questions.push_back(add_question(db, set.id, q).id);
  }
  l.session_id = start_session(db, k.id, set.id, 1000).id;
  return l;
}

inline LessonWrite reads_of(std::vector<Collector::Read> reads, uint64_t tag = 0) {
  LessonWrite w;
  w.kind = LessonWrite::Kind::Reads;
  w.reads = std::move(reads);
  w.tag = tag;
  return w;
}

inline LessonWrite ask_of(Id question, TimeMs at) {
  LessonWrite w;
  w.kind = LessonWrite::Kind::Ask;
  w.question_id = question;
  w.at = at;
  return w;
}

}  // namespace cardpoll::testing_store
