#include "lesson/camera_merge.h"

#include <algorithm>
#include <limits>

namespace cardpoll::lesson {

FrameOrder::FrameOrder(int cameras)
    : waiting(static_cast<size_t>(std::max(1, cameras))),
      newest(static_cast<size_t>(std::max(1, cameras))),
      holding(static_cast<size_t>(std::max(1, cameras)), true) {}

void add_frame(FrameOrder& o, CameraFrame f) {
  const auto c = static_cast<size_t>(f.camera);
  if (c >= o.waiting.size()) return;
  if (!o.newest[c] || f.time_ms > *o.newest[c]) o.newest[c] = f.time_ms;
  o.waiting[c].push_back(std::move(f));
}

void set_holding(FrameOrder& o, int camera, bool holding) {
  if (camera >= 0 && static_cast<size_t>(camera) < o.holding.size()) o.holding[static_cast<size_t>(camera)] = holding;
}

namespace {

// The oldest newest-frame time among holding cameras: every frame up to it is complete.
// A holding camera that has delivered nothing yet holds everything back.
std::optional<int64_t> watermark(const FrameOrder& o, bool& any_holding) {
  any_holding = false;
  int64_t w = std::numeric_limits<int64_t>::max();
  for (size_t c = 0; c < o.holding.size(); ++c) {
    if (!o.holding[c]) continue;
    any_holding = true;
    if (!o.newest[c]) return std::nullopt;
    w = std::min(w, *o.newest[c]);
  }
  return w;
}

std::vector<CameraFrame> take_up_to(FrameOrder& o, int64_t until) {
  std::vector<CameraFrame> out;
  for (auto& q : o.waiting)
    while (!q.empty() && q.front().time_ms <= until) {
      out.push_back(std::move(q.front()));
      q.pop_front();
    }
  std::stable_sort(out.begin(), out.end(), [](const CameraFrame& a, const CameraFrame& b) {
    return a.time_ms != b.time_ms ? a.time_ms < b.time_ms : a.camera < b.camera;
  });
  return out;
}

}  // namespace

std::vector<CameraFrame> release_frames(FrameOrder& o) {
  bool any_holding = false;
  const std::optional<int64_t> w = watermark(o, any_holding);
  if (!any_holding) return release_all(o);
  if (!w) return {};
  return take_up_to(o, *w);
}

std::vector<CameraFrame> release_all(FrameOrder& o) { return take_up_to(o, std::numeric_limits<int64_t>::max()); }

std::optional<int64_t> released_until(const FrameOrder& o) {
  bool any_holding = false;
  const std::optional<int64_t> w = watermark(o, any_holding);
  if (any_holding) return w;
  std::optional<int64_t> newest;
  for (const auto& n : o.newest)
    if (n && (!newest || *n > *newest)) newest = n;
  return newest;
}

namespace {

bool holds_at(const CameraHold& h, int64_t t, const MergeParams& p) {
  return h.stable && t - h.last_read <= p.hold_ms;
}

// Two cameras stable on different answers that both went on reading them after both had
// become stable (plus the grace of a turning card): one of them misreads; neither decides alone.
void mark_contests(std::map<int, CameraHold>& cams, const MergeParams& p) {
  for (auto a = cams.begin(); a != cams.end(); ++a)
    for (auto b = std::next(a); b != cams.end(); ++b) {
      CameraHold& x = a->second;
      CameraHold& y = b->second;
      if (!x.stable || !y.stable || *x.stable == *y.stable) continue;
      const int64_t both_stable = std::max(x.stable_at, y.stable_at) + p.grace_ms;
      if (x.last_read >= both_stable && y.last_read >= both_stable) x.contested = y.contested = true;
    }
}

// What the cameras holding `card` at time t say: one answer they agree on, or none.
std::optional<Answer> verdict(const std::map<int, CameraHold>& cams, int64_t t, const MergeParams& p,
                              bool& disputed) {
  disputed = false;
  std::optional<Answer> answer;
  int supporters = 0;
  bool uncontested = false;
  for (const auto& [camera, h] : cams) {
    if (!holds_at(h, t, p)) continue;
    if (answer && *answer != *h.stable) {
      disputed = true;
      return std::nullopt;
    }
    answer = h.stable;
    ++supporters;
    uncontested |= !h.contested;
  }
  if (answer && !uncontested && supporters < 2) return std::nullopt;
  return answer;
}

}  // namespace

std::vector<MergedAnswer> merge_frame(AnswerMerge& m, const CameraFrame& f) {
  const int64_t t = f.time_ms;
  std::set<int> touched;
  for (const CameraRead& s : f.stable) {
    CameraHold& h = m.holds[s.card][f.camera];
    h.stable = s.answer;
    h.stable_at = t;
    h.last_read = t;
    h.contested = false;
    touched.insert(s.card);
  }
  for (const CameraRead& r : f.reads) {
    auto card = m.holds.find(r.card);
    if (card == m.holds.end()) continue;
    auto cam = card->second.find(f.camera);
    if (cam == card->second.end()) continue;
    if (cam->second.stable == r.answer) cam->second.last_read = std::max(cam->second.last_read, t);
    touched.insert(r.card);
  }
  std::vector<MergedAnswer> out;
  for (int card : touched) {
    auto& cams = m.holds[card];
    mark_contests(cams, m.params);
    bool disputed = false;
    const std::optional<Answer> a = verdict(cams, t, m.params, disputed);
    if (disputed)
      m.disputed.insert(card);
    else
      m.disputed.erase(card);
    if (!a) {
      m.candidates.erase(card);
      continue;
    }
    auto cand = m.candidates.find(card);
    if (cand == m.candidates.end() || cand->second.answer != *a) cand = m.candidates.insert_or_assign(card, AnswerMerge::Candidate{*a, t}).first;
    if (t - cand->second.since < m.params.confirm_ms) continue;
    auto given = m.given.find(card);
    if (given != m.given.end() && given->second == *a) continue;
    m.given[card] = *a;
    out.push_back({card, *a, t});
  }
  return out;
}

void reset_merge(AnswerMerge& m) {
  m.holds.clear();
  m.given.clear();
  m.disputed.clear();
  m.candidates.clear();
}

MergeParams merge_params_for(int cameras) {
  MergeParams p;
  p.confirm_ms = cameras > 1 ? p.grace_ms : 0;
  return p;
}

}  // namespace cardpoll::lesson
