#include "scanner/tracker.h"

#include <algorithm>
#include <cmath>

namespace cardpoll {

namespace {

cv::Point2f centre_of(const std::array<cv::Point2f, 4>& c) {
  return (c[0] + c[1] + c[2] + c[3]) * 0.25f;
}

float distance(cv::Point2f a, cv::Point2f b) { return std::hypot(a.x - b.x, a.y - b.y); }

// Two reads at one place: centres within `sides` card sides of each other (the larger
// card's side, so a small misdetected quad inside a real card still counts as one place).
bool same_place(cv::Point2f ca, float sa, cv::Point2f cb, float sb, float sides) {
  return distance(ca, cb) <= sides * std::max({sa, sb, 1.0f});
}

void block(CardTrack& t, int64_t until_ms) {
  t.run_ms.clear();
  t.run_length = 0;
  t.blocked = true;
  t.blocked_until_ms = std::max(t.blocked_until_ms, until_ms);
}

void dispute(CardTrack& t, int64_t at_ms) { t.disputed_ms = std::max(t.disputed_ms.value_or(at_ms), at_ms); }

// Low-distance decks: another card read over this card's place (within undisputed_ms)
// disputes both of them.
void dispute_overlaps(Tracker& tracker, int card, CardTrack& t, int64_t frame_ms) {
  const TrackerParams& p = tracker.params;
  for (auto& [other, o] : tracker.cards) {
    if (other == card || !o.seen || frame_ms - o.last_read_ms > p.undisputed_ms) continue;
    if (distance(t.centre, o.centre) >= p.overlap_sides * std::max({t.side, o.side, 1.0f})) continue;
    dispute(t, o.last_read_ms);
    dispute(o, frame_ms);
  }
}

}  // namespace

TrackerParams tracker_params_for(const Deck& deck, TrackerParams base) {
  base.min_frames = std::max(base.min_frames, deck.read_rules.min_agreeing_reads);
  base.undisputed_ms = std::max(base.undisputed_ms, deck.read_rules.undisputed_ms);
  return base;
}

float card_side(const std::array<cv::Point2f, 4>& c) {
  float sum = 0;
  for (int i = 0; i < 4; ++i) sum += distance(c[static_cast<size_t>(i)], c[static_cast<size_t>((i + 1) % 4)]);
  return sum / 4;
}

std::vector<StableRead> track_frame(Tracker& tracker, const std::vector<CardRead>& reads,
                                    int64_t frame_ms) {
  const TrackerParams& p = tracker.params;
  const size_t keep = static_cast<size_t>(std::max(1, p.min_frames));

  // Group this frame's reads by card number (reads of one card are few: normally one).
  std::map<int, std::vector<const CardRead*>> by_card;
  for (const CardRead& r : reads) by_card[r.card].push_back(&r);

  std::vector<StableRead> out;
  for (auto& [card, rs] : by_card) {
    CardTrack& t = tracker.cards[card];

    // One read per card per frame. Several reads at one place with one answer are the same
    // card found twice: keep the clearest. Two places, or two answers: conflict.
    const CardRead* best = rs.front();
    bool conflict = false;
    for (const CardRead* r : rs) {
      if (r == best) continue;
      const bool one_place = same_place(centre_of(r->corners), card_side(r->corners),
                                        centre_of(best->corners), card_side(best->corners),
                                        p.same_place_sides);
      if (!one_place || r->answer != best->answer) {
        conflict = true;
        break;
      }
      if (r->margin > best->margin) best = r;
    }
    const cv::Point2f c = centre_of(best->corners);
    const float side = card_side(best->corners);
    // A read at another place while the card's last read is recent: two cards carry this
    // number (or one of them is a misread). Which one is the student's is unknown.
    const bool moved = t.seen && !same_place(c, side, t.centre, t.side, p.same_place_sides);
    if (moved && frame_ms - t.last_read_ms <= p.window_ms) conflict = true;

    const int64_t previous_read_ms = t.last_read_ms;
    t.seen = true;
    t.last_read_ms = frame_ms;
    t.centre = c;
    t.side = side;
    t.corners = best->corners;
    if (p.undisputed_ms > 0) dispute_overlaps(tracker, card, t, frame_ms);
    if (conflict) {
      ++tracker.conflicts;
      block(t, frame_ms + p.window_ms);
      continue;
    }
    if (t.blocked) {
      if (frame_ms < t.blocked_until_ms) continue;  // still cooling down: reads ignored
      t.blocked = false;
    }

    if (t.run_length > 0 && best->answer == t.answer && !moved) {
      ++t.run_length;
    } else {  // first read, the card turned (or a misread), or it moved while unseen
      if (p.undisputed_ms > 0 && t.run_length > 0 && best->answer != t.answer) dispute(t, previous_read_ms);
      t.answer = best->answer;
      t.run_length = 1;
      t.run_ms.clear();
    }
    t.run_ms.push_back(frame_ms);
    if (t.run_ms.size() > keep) t.run_ms.erase(t.run_ms.begin());

    const bool enough = t.run_ms.size() >= keep && frame_ms - t.run_ms.front() <= p.window_ms;
    const bool undisputed = p.undisputed_ms <= 0 || !t.disputed_ms || frame_ms - *t.disputed_ms > p.undisputed_ms;
    if (enough && undisputed && t.reported != t.answer) {
      t.reported = t.answer;
      out.push_back({card, t.answer, frame_ms, t.run_length, t.corners});
    }
  }
  return out;
}

void reset_tracker(Tracker& tracker) {
  tracker.cards.clear();
  tracker.conflicts = 0;
}

}  // namespace cardpoll
