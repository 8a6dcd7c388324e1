// Sustained answers per second through the response collector, with a COMMIT per accepted
// change (target >= 500/s), and how large the WAL grows (it must stay bounded).
//
// A class of 60 keeps changing answers: every read is a change, so every read is a
// transaction with an INSERT/UPDATE of responses and an INSERT into response_changes.
// Variants: synchronous=FULL (what cardpoll uses) and NORMAL (for comparison), and FULL with a
// reader thread re-loading the whole session on its own connection as fast as it can (the
// projector / an export during the lesson).
//
// Counters: items_per_second = committed answers per second; wal_max_bytes = largest -wal
// file seen (sampled every 100 commits); wal_end_bytes = its size at the end.
//
// The database lives in $CARDPOLL_BENCH_DIR, else the current folder: run it from a folder on
// the disk you care about (a tmpfs would make fsync free and the figures meaningless).
//   ./bench_responses --benchmark_min_time=3
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>
#include <unistd.h>

#include "core/store/collector.h"
#include "core/store/storage.h"

using namespace cardpoll;
namespace fs = std::filesystem;

namespace {

constexpr int kClass = 60;

fs::path bench_dir() {
  const char* d = std::getenv("CARDPOLL_BENCH_DIR");
  return fs::path(d && *d ? d : ".") / ("bench_responses-" + std::to_string(::getpid()));
}

struct Lesson {
  fs::path dir, file;
  Id session = 0;
};

Lesson make_lesson(Durability durability) {
  Lesson l;
  l.dir = bench_dir();
  fs::remove_all(l.dir);
  l.file = l.dir / "class.db";
  OpenOptions o;
  o.durability = durability;
  Database db(l.file, o);
  Transaction tx(db);
  const auto k = create_class(db, "Bench", "large");
  for (int i = 1; i <= kClass; ++i) {
    Student s;
    s.class_id = k.id;
    s.display_name = "Student " + std::to_string(i);
    s.card = i;
    add_student(db, s);
  }
  const auto set = create_question_set(db, "Bench");
  Question q;
  q.text = "Pick";
  q.choices = {"a", "b", "c", "d"};
  add_question(db, set.id, q);
  l.session = start_session(db, k.id, set.id, 1).id;
  tx.commit();
  return l;
}

int64_t file_size_or_zero(const fs::path& p) {
  std::error_code ec;
  const auto n = fs::file_size(p, ec);
  return ec ? 0 : static_cast<int64_t>(n);
}

void run(benchmark::State& state, Durability durability, bool with_reader, int per_frame = 1) {
  const Lesson l = make_lesson(durability);
  OpenOptions o;
  o.durability = durability;
  Database db(l.file, o);
  Collector c(db, l.session);
  c.next_ask(1);

  std::atomic<bool> stop{false};
  std::atomic<int64_t> reader_loads{0};
  std::thread reader;
  if (with_reader)
    reader = std::thread([&] {
      Database rdb(l.file, o);
      while (!stop) {
        benchmark::DoNotOptimize(load_session_data(rdb, l.session));
        ++reader_loads;
      }
    });

  int64_t i = 0, wal_max = 0;
  std::vector<Collector::Read> frame;
  for (auto _ : state) {
    // Card i % 60 turns to the next answer each time it comes round: always a change.
    // Per frame: `per_frame` such reads in one record_all() (one commit).
    frame.clear();
    for (int k = 0; k < per_frame; ++k, ++i)
      frame.push_back({static_cast<int>(i % kClass) + 1, static_cast<Answer>((i / kClass) % 4), 1000 + i});
    for (const auto& r : c.record_all(frame))
      if (!r.stored()) state.SkipWithError("a read was not stored");
    if ((i / per_frame) % 100 == 0) wal_max = std::max(wal_max, file_size_or_zero(wal_path(l.file)));
  }
  stop = true;
  if (reader.joinable()) reader.join();
  state.SetItemsProcessed(state.iterations() * per_frame);
  state.counters["wal_max_bytes"] = static_cast<double>(std::max(wal_max, file_size_or_zero(wal_path(l.file))));
  state.counters["wal_end_bytes"] = static_cast<double>(file_size_or_zero(wal_path(l.file)));
  if (with_reader) state.counters["reader_loads"] = static_cast<double>(reader_loads.load());
  std::error_code ec;
  fs::remove_all(l.dir, ec);
}

void BM_Responses_Full(benchmark::State& s) { run(s, Durability::Full, false); }
void BM_Responses_Normal(benchmark::State& s) { run(s, Durability::Normal, false); }
void BM_Responses_FullWithReader(benchmark::State& s) { run(s, Durability::Full, true); }
// The whole class of 60 turning cards in the same camera frame: one commit for 60 answers.
void BM_Responses_FullFrameOf60(benchmark::State& s) { run(s, Durability::Full, false, kClass); }

}  // namespace

BENCHMARK(BM_Responses_Full)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Responses_Normal)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Responses_FullWithReader)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Responses_FullFrameOf60)->Unit(benchmark::kMicrosecond)->UseRealTime();

BENCHMARK_MAIN();
