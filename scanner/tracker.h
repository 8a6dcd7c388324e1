// The per-card tracker: where single-frame misreads die.
//
// The detector reads every frame on its own; a card caught mid-turn, under motion blur or
// half behind a hand can now and then read as another answer or, far more rarely, as
// another card. A wrong answer recorded for a student is worse than a missed one, so
// nothing is reported from one frame. The tracker reports an answer (a StableRead) only
// when the card was read that same way, at the same place, in the last `min_frames` reads
// of that card, all within `window_ms`. docs/pipeline.md has the simulation that chose
// the numbers.
//
//   Tracker t;                                        // default TrackerParams
//   for (each frame) for (const StableRead& s : track_frame(t, reads, frame_ms)) record(s);
//   reset_tracker(t);                                 // new question: everyone answers again
//
// Rules (each is a test in tests/scanner/test_tracker.cpp):
// - stable: the last min_frames reads of the card agree (answer and place), spanning at
//   most window_ms. Frames where the card is not read at all (hand, blur) do not break it.
// - one event per answer: a card stable on B is not reported again while it stays B; when
//   it turns to C, C must become stable in its own right before it is reported.
// - flicker (A, B, A, B...) never becomes stable.
// - undisputed (only with undisputed_ms > 0, for low-distance decks): an answer also waits
//   until, for undisputed_ms, no read of the card had another answer and no other card was
//   read over its place. A misread, however often it repeats, then has to be the only read
//   of that place for the whole time.
// - conflicts, handled conservatively: the same card number read at two places in one
//   frame, two answers at one place in one frame, or a read at another place while the
//   last one is less than window_ms old. The card's reads are dropped and it cannot become
//   stable until window_ms has passed with no conflict; a persistent duplicate (two
//   printed copies of one card in view) therefore never gives an answer.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "core/deck.h"
#include "scanner/card_read.h"

namespace cardpoll {

struct TrackerParams {
  // N and T from the simulation in bench/bench_pipeline.cpp (docs/pipeline.md): N must
  // outlast a burst of identical misreads (glare on one cell for a few frames); T leaves
  // room for drop-outs and for a pipeline that reads fewer than 30 frames a second.
  int min_frames = 6;        // N: agreeing reads needed
  int64_t window_ms = 600;   // T: ...all within this long
  // Two reads of one card whose centres are further apart than this many card sides are
  // two places (two cards, or a misread elsewhere), not one card that moved.
  float same_place_sides = 1.5f;
  // For decks where one misread can be another card (low distance; ReadRules::undisputed_ms):
  // an answer counts only when, for this long before it, the card was read no other way and
  // no other card was read at its place. 0: off (the classroom decks).
  int64_t undisputed_ms = 0;
  // Reads of two different cards whose centres are closer than this many card sides are at
  // one place: two real cards cannot overlap that much, so one of them is a misread.
  float overlap_sides = 0.5f;
};

// `base` made at least as strict as the deck's ReadRules ask (more agreeing reads, the
// undisputed time). Pipelines apply it to their deck; a bare Tracker must be given it.
TrackerParams tracker_params_for(const Deck& deck, TrackerParams base = {});

struct StableRead {
  int card = 0;
  Answer answer = Answer::A;
  int64_t time_ms = 0;      // time of the frame that made the answer stable
  int frames_seen = 0;      // agreeing reads in a row behind this answer (>= min_frames)
  std::array<cv::Point2f, 4> corners{};  // of the latest read, in card order
};

// What the tracker knows of one card.
struct CardTrack {
  Answer answer = Answer::A;     // answer of the current run of agreeing reads
  std::vector<int64_t> run_ms;   // times of the run's reads (only the last min_frames kept)
  int run_length = 0;            // reads in the run (all of them)
  cv::Point2f centre;            // of the last read
  float side = 0;                // of the last read, in pixels
  std::array<cv::Point2f, 4> corners{};
  int64_t last_read_ms = 0;
  bool seen = false;
  int64_t blocked_until_ms = 0;  // after a conflict: no answer before this time
  bool blocked = false;
  std::optional<Answer> reported;  // the last answer given as a StableRead
  // Latest read that disputes the current run (another answer of this card, another card
  // at its place); only kept when TrackerParams::undisputed_ms > 0.
  std::optional<int64_t> disputed_ms;
};

struct Tracker {
  TrackerParams params;
  std::map<int, CardTrack> cards;  // by card number
  int64_t conflicts = 0;           // conflicting frames seen (for statistics and tests)
};

// Feeds one frame's reads (frames in time order; frame_ms never decreasing) and returns the
// answers that became stable in this frame, by card number.
std::vector<StableRead> track_frame(Tracker& tracker, const std::vector<CardRead>& reads,
                                    int64_t frame_ms);

// Forgets everything (a new question starts: every card must become stable again).
void reset_tracker(Tracker& tracker);

// Mean side length of a read's quadrilateral, in pixels.
float card_side(const std::array<cv::Point2f, 4>& corners);

}  // namespace cardpoll
