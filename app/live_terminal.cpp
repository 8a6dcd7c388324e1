// What `cardpoll live` says on the terminal: one line per event, the headless tally, and
// the database refusing or accepting writes again.
#include <cstdio>
#include <thread>

#include "app/live_run.h"
#include "core/store/recovery_file.h"
#include "core/store/storage.h"
#include "display/offscreen.h"

namespace cardpoll::app {

void snapshot(Live& L, const std::string& stem) {
  if (!L.snapshot_dir) return;
  auto canvas = display::make_offscreen(1280, 720);
  display::write_png(display::render_projector(*canvas, display::projector_view(L.session.state)),
                     *L.snapshot_dir / (stem + "-projector.png"));
  display::write_png(display::render_teacher(*canvas, display::teacher_view(L.session.state), L.preview,
                                             L.preview_frame),
                     *L.snapshot_dir / (stem + "-teacher.png"));
}

std::string tally_text(const display::LiveState& s) {
  const auto t = display::tally_of(s.roster);
  std::string out;
  const int n = std::max(2, static_cast<int>(std::min<size_t>(4, s.choices.size())));
  for (int i = 0; i < n; ++i)
    out += std::string(i ? "  " : "") + static_cast<char>('A' + i) + " " + std::to_string(t[static_cast<size_t>(i)]);
  return out;
}

void print_event(Live& L, const std::string& what) {
  if (L.tty) std::printf("\r\033[K");
  std::printf("live: %s\n", what.c_str());
  std::fflush(stdout);
}

// The headless tally. A terminal gets one line rewritten in place (progress bar, counts,
// fps); a log or pipe gets plain lines, no control characters: one per tenth of a file, or,
// from a camera, when the counts changed (at most every 5 seconds).
void print_progress(Live& L) {
  const auto& s = L.session.state;
  const auto v = display::projector_view(s);
  const std::string counts = v.header + "  " + v.answered + "  " +
                             (s.revealed ? tally_text(s) : (s.scanning ? "scanning" : "paused"));
  if (!L.tty) {
    const auto now = Clock::now();
    if (s.progress >= 0) {
      const int tenth = static_cast<int>(s.progress * 10);
      if (tenth <= L.logged_tenth) return;
      L.logged_tenth = tenth;
      std::printf("live: %3d%%  %s\n", tenth * 10, counts.c_str());
    } else {
      if (counts == L.logged_counts || now - L.logged_at < std::chrono::seconds(5)) return;
      std::printf("live: %s  %.0f fps\n", counts.c_str(), s.fps);
    }
    L.logged_counts = counts;
    L.logged_at = now;
    std::fflush(stdout);
    return;
  }
  std::string bar;
  if (s.progress >= 0) {
    const int filled = static_cast<int>(s.progress * 20);
    bar = "[" + std::string(static_cast<size_t>(filled), '#') + std::string(static_cast<size_t>(20 - filled), '-') +
          "] " + std::to_string(static_cast<int>(s.progress * 100)) + "%  ";
  }
  std::printf("\r\033[K%s%s  %.0f fps", bar.c_str(), counts.c_str(), s.fps);
  std::fflush(stdout);
}

// Retries writes the database refused, and says on the terminal when answers start and stop
// waiting (once each way, not every frame). True when the views changed.
bool retry_and_report(Live& L, TimeMs now) {
  const bool changed = lesson::retry_saves(L.session, now);
  const int waiting = lesson::unsaved_answers(L.session);
  // Trouble is a refused try: a commit still in progress on the writer thread is not.
  const bool any_waiting = L.session.writes && !L.session.writes->empty() && !L.session.writes->problem().empty();
  if (any_waiting && !L.saving_trouble) {
    L.saving_trouble = true;
    print_event(L, "NOT YET SAVED: " + L.session.writes->problem() +
                       "; the lesson goes on, answers wait in memory and are saved as soon as it allows");
  } else if (!any_waiting && L.saving_trouble) {
    L.saving_trouble = false;
    print_event(L, "the database accepts writes again: every waiting answer is saved");
  } else if (any_waiting && waiting != L.logged_waiting && now - L.logged_waiting_at >= 5000) {
    print_event(L, std::to_string(waiting) + " answers NOT YET SAVED (" + L.session.writes->problem() + ")");
    L.logged_waiting = waiting;
    L.logged_waiting_at = now;
  }
  return changed;
}

// Besides answers, the writes waiting that a teacher would miss (a quick question, its right
// answer): " and quick question 6" ("" when none).
namespace {
std::string also_waiting(const Live& L) {
  return L.session.state.unsaved_writes.empty() ? "" : " and " + L.session.state.unsaved_writes;
}
}  // namespace

// The end of the lesson with writes still waiting: keep trying for `wait_s`, then put them
// in a recovery file beside the database. True when everything is saved.
bool finish_saving(Live& L, Database& db, int wait_s) {
  auto& q = *L.session.writes;
  if (q.empty()) return true;
  print_event(L, std::to_string(lesson::unsaved_answers(L.session)) + " answers" + also_waiting(L) +
                     " are NOT YET SAVED (" + q.problem() + "); trying for " + std::to_string(wait_s) + " s more (Ctrl-C again to stop waiting)");
  g_stop = false;
  const auto until = Clock::now() + std::chrono::seconds(wait_s);
  while (!q.empty() && Clock::now() < until && !g_stop) {
    lesson::retry_saves(L.session, now_ms(), 500);
    if (!q.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // The writer stops after its try in progress: what is left waiting was never committed.
  q.stop_writer();
  lesson::retry_saves(L.session, now_ms(), 0);
  if (q.empty()) {
    print_event(L, "every answer is saved");
    return true;
  }
  const std::vector<LessonWrite> waiting(q.waiting().begin(), q.waiting().end());
  try {
    const fs::path file = write_recovery_file(db.path(), L.session.collector->session_id(), waiting);
    print_event(L, std::to_string(lesson::unsaved_answers(L.session)) + " answers" + also_waiting(L) +
                       " could not be saved (" + q.problem() +
                       "); they are in " + file.string() + " and will be saved the next time cardpoll live starts");
  } catch (const std::exception& e) {
    // Even the recovery file cannot be written (the disk may be what is full): the
    // terminal is the last place the answers can go.
    print_event(L, std::string("could not write a recovery file either: ") + e.what());
    std::printf("%s", recovery_file_text(L.session.collector->session_id(), waiting).c_str());
  }
  return false;
}

}  // namespace cardpoll::app
