// The lesson's sources: one pipeline per camera, stream or file, each on its own threads;
// the UI thread polls them all, and their frames go to the lesson in capture-time order
// (lesson/camera_merge.h), so a command card or a key acts between the right frames of every
// camera and the answers the cameras agree on are recorded once.
#include <algorithm>
#include <cstdio>
#include <numeric>

#include <opencv2/imgproc.hpp>

#include "app/lesson.h"
#include "app/live_run.h"
#include "core/store/storage.h"

namespace cardpoll::app {

std::vector<SourceChoice> choose_sources(const std::vector<std::string>& sources) {
  std::vector<SourceChoice> out;
  for (const auto& s : sources) out.push_back({s, s});
  if (!out.empty()) return out;
  // A camera only when the system has one: OpenCV would otherwise spend seconds probing.
  if (fs::exists("/dev/video0")) return {{"0", "camera 0"}};
  const fs::path demo = demo_dir() / "demo.mp4";
  std::printf("live: no camera found; playing the demo recording %s\n", demo.c_str());
  return {{demo.string(), "demo recording"}};
}

namespace {

// Cameras and streams stamp each frame on the lesson's one clock (steady ms since *epoch,
// set when the lesson starts), so "latest" means the same for every camera. Files keep their
// frame positions: recordings of one lesson start together.
FrameSource on_lesson_clock(FrameSource inner, std::shared_ptr<Clock::time_point> epoch) {
  if (!inner.live) return inner;
  FrameSource out = inner;
  auto read = std::make_shared<std::function<SourceRead(Frame&)>>(std::move(inner.read));
  auto last = std::make_shared<int64_t>(-1);
  out.read = [read, last, epoch](Frame& f) {
    SourceRead r = (*read)(f);
    if (r.status == SourceStatus::Frame) {
      const auto t = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - *epoch).count();
      f.time_ms = std::max<int64_t>(*last + 1, t);
      *last = f.time_ms;
    }
    return r;
  };
  return out;
}

display::PreviewImage preview_of(const cv::Mat& image) {
  display::PreviewImage p;
  if (image.empty()) return p;
  cv::Mat g;
  if (image.channels() == 3)
    cv::cvtColor(image, g, cv::COLOR_BGR2GRAY);
  else
    g = image;
  // The preview never needs more than ~960 px: smaller uploads keep the UI thread light.
  if (g.cols > 960) cv::resize(g, g, cv::Size(), 960.0 / g.cols, 960.0 / g.cols, cv::INTER_AREA);
  if (!g.isContinuous()) g = g.clone();
  p.width = g.cols;
  p.height = g.rows;
  p.grey.assign(g.data, g.data + static_cast<size_t>(g.cols) * g.rows);
  return p;
}

bool is_lost(const LiveCamera& c) { return c.monitor && c.monitor->snapshot().state == ConnectionState::Lost; }

}  // namespace

void open_cameras(Live& L, const std::vector<SourceChoice>& choices) {
  for (size_t i = 0; i < choices.size(); ++i) {
    LiveCamera cam;
    cam.spec = choices[i].spec;
    cam.label = choices.size() > 1 ? "camera " + std::to_string(i + 1) + " (" + choices[i].label + ")" : choices[i].label;
    SourceOptions so;
    so.keep_colour = false;
    cam.monitor = std::make_shared<ConnectionMonitor>();
    FrameSource source = open_resilient_source(cam.spec, so, cam.monitor);
    cam.live = source.live;
    cam.source_fps = source.fps;
    cam.frame_count = source.live ? -1 : source.frame_count;
    cam.qr = std::make_shared<QrMailbox>();
    cam.source = with_qr_reader(on_lesson_clock(std::move(source), L.epoch), cam.qr);
    L.cameras.push_back(std::move(cam));
  }
  L.order = lesson::FrameOrder(static_cast<int>(L.cameras.size()));
  L.merge = lesson::AnswerMerge{lesson::merge_params_for(static_cast<int>(L.cameras.size()))};
}

void start_cameras(Live& L, PipelineOptions po, bool pace_files) {
  // Cameras read from now on: this is the lesson clock's 0, base_wall its wall time. (Set
  // before any pipeline thread starts, which orders it before every read of it.)
  L.base_wall = now_ms();
  *L.epoch = Clock::now();
  const int n = static_cast<int>(L.cameras.size());
  if (n > 1) po.workers = std::max(1, 2 / n);  // two cores shared between the pipelines
  const TrackerParams tp = po.detect_params.deck ? tracker_params_for(*po.detect_params.deck, po.tracker) : po.tracker;
  for (LiveCamera& cam : L.cameras) {
    cam.tracker = Tracker{};
    cam.tracker.params = tp;
    PipelineOptions p = po;
    // In a window a recording plays at its own speed, as if it came from a camera.
    if (pace_files && !cam.live && cam.source_fps > 0) p.pace_fps = cam.source_fps;
    if (cam.live) p.max_failures_in_a_row = 1 << 30;  // the resilient source retries
    cam.pipeline = std::make_unique<Pipeline>(std::move(*cam.source), p);
    cam.source.reset();
    cam.last_delivery = Clock::now();
  }
}

void apply(Live& L, const lesson::LiveInput& in, TimeMs at) {
  const auto fx = lesson::apply_input(L.session, in, at);
  if (fx.reset_tracker) {
    // Everyone answers anew: every camera's tracker and the merge forget what they held, at
    // the frame the question opened on.
    for (LiveCamera& cam : L.cameras) cardpoll::reset_tracker(cam.tracker);
    lesson::reset_merge(L.merge);
    ++L.opened;
    L.collecting_snapshot_at = at + 3000;
  }
  print_event(L, L.session.state.status);
  if (fx.revealed) {
    const auto& s = L.session.state;
    print_event(L, "question " + std::to_string(s.position) + ": " + tally_text(s) + "  (" +
                       display::projector_view(s).answered + ")");
    L.collecting_snapshot_at.reset();
    // Named after the ask, like its mid-question picture: revealing twice replaces it.
    snapshot(L, "ask" + std::to_string(std::max(1, L.opened)));
  }
  if (fx.quit) g_stop = true;
}

namespace {

// One frame of one camera, in capture-time order among all cameras: the command cards any
// camera saw up to it act first, then held keys, then the answers the cameras agree on (in
// one commit: a class turning cards together is one disk flush).
bool handle_frame(Live& L, lesson::CameraFrame f) {
  bool changed = false;
  std::vector<QrSighting> seen;
  for (LiveCamera& cam : L.cameras)
    for (QrSighting& s : cam.qr->take_until(f.time_ms)) seen.push_back(std::move(s));
  std::stable_sort(seen.begin(), seen.end(), [](const QrSighting& a, const QrSighting& b) { return a.time_ms < b.time_ms; });
  for (const QrSighting& s : seen)
    for (const auto& c : lesson::debounce_commands(L.commands, s.texts, s.time_ms)) {
      apply(L, lesson::input_for_command(c.command), L.base_wall + c.time_ms);
      changed = true;
    }
  changed |= apply_held_keys(L, [&](const Live::HeldKey& k) { return k.frame_ms <= f.time_ms; });
  // The camera's tracker, after any command of this moment: the reads of one frame become
  // that camera's stable answers.
  LiveCamera& cam = L.cameras[static_cast<size_t>(f.camera)];
  if (!cam.waiting.empty() && cam.waiting.front().time_ms == f.time_ms) {
    for (const StableRead& s : track_frame(cam.tracker, cam.waiting.front().reads, f.time_ms))
      f.stable.push_back({s.card, s.answer});
    cam.waiting.pop_front();
  }
  std::vector<Collector::Read> reads;
  for (const auto& a : lesson::merge_frame(L.merge, f)) reads.push_back({a.card, a.answer, L.base_wall + a.time_ms});
  const auto results = lesson::record_reads(L.session, reads);
  for (size_t i = 0; i < results.size(); ++i)
    if (results[i].outcome == ReadOutcome::Unassigned && L.unassigned_reported.insert(reads[i].card).second)
      print_event(L, describe(results[i]));
  changed |= !results.empty();
  L.last_frame_ms = std::max(L.last_frame_ms, f.time_ms);
  if (L.collecting_snapshot_at && L.base_wall + f.time_ms >= *L.collecting_snapshot_at) {
    L.collecting_snapshot_at.reset();
    snapshot(L, "ask" + std::to_string(L.opened) + "-collecting");
  }
  return changed;
}

lesson::CameraFrame camera_frame(int camera, const FrameResult& fr) {
  lesson::CameraFrame f;
  f.camera = camera;
  f.time_ms = fr.time_ms;
  for (const auto& r : fr.reads) f.reads.push_back({r.card, r.answer});
  return f;
}

// The teacher's picture and outlines come from one camera: the first that is neither lost
// nor ended (the next one takes over when it drops).
int preview_camera(const Live& L) {
  for (size_t c = 0; c < L.cameras.size(); ++c)
    if (!L.cameras[c].finished && !is_lost(L.cameras[c])) return static_cast<int>(c);
  return L.preview_camera;
}

void show_picture(Live& L, const FrameResult& newest, std::vector<float>& sides) {
  auto& st = L.session.state;
  if (!newest.image.empty()) {
    L.preview = preview_of(newest.image);
    L.preview_scale = L.preview.width / static_cast<double>(newest.image.cols);
    ++L.preview_frame;
  }
  st.seen.clear();
  for (const auto& r : newest.reads) {
    display::SeenCard c;
    c.card = r.card;
    c.answer = r.answer;
    for (int k = 0; k < 4; ++k) {
      c.corners[static_cast<size_t>(2 * k)] = static_cast<float>(r.corners[static_cast<size_t>(k)].x * L.preview_scale);
      c.corners[static_cast<size_t>(2 * k + 1)] = static_cast<float>(r.corners[static_cast<size_t>(k)].y * L.preview_scale);
    }
    c.student = lesson::student_name_for_card(L.session, r.card);
    st.seen.push_back(std::move(c));
    sides.push_back(card_side(r.corners));
  }
}

double mean_grey(const cv::Mat& image) {
  if (image.empty()) return -1;
  cv::Mat small;
  cv::resize(image, small, cv::Size(), 0.125, 0.125, cv::INTER_AREA);
  const cv::Scalar m = cv::mean(small);
  return image.channels() == 3 ? (m[0] + m[1] + m[2]) / 3 : m[0];
}

// Warnings a teacher can act on, and each camera's state when there are several.
void show_camera_states(Live& L, std::vector<float>& sides) {
  auto& st = L.session.state;
  st.warnings.clear();
  if (L.cameras.size() == 1) {
    if (is_lost(L.cameras[0])) st.warnings.push_back("Camera lost - reconnecting");
    if (!L.preview.grey.empty()) {
      double sum = 0;
      for (uint8_t v : L.preview.grey) sum += v;
      if (sum / static_cast<double>(L.preview.grey.size()) < 45) st.warnings.push_back("Too dark: turn on the lights");
    }
  } else {
    st.cameras.clear();
    for (const LiveCamera& cam : L.cameras) {
      lesson::CameraState c;
      c.name = cam.label;
      c.lost = is_lost(cam);
      c.ended = cam.finished;
      c.too_dark = cam.mean_grey >= 0 && cam.mean_grey < 45;
      c.fps = cam.finished ? 0 : cam.fps;
      st.cameras.push_back(std::move(c));
    }
    st.disputed_cards.assign(L.merge.disputed.begin(), L.merge.disputed.end());
  }
  if (!sides.empty()) {
    std::nth_element(sides.begin(), sides.begin() + static_cast<std::ptrdiff_t>(sides.size() / 2), sides.end());
    const float median = sides[sides.size() / 2];
    if (median < 18)
      st.warnings.push_back("Cards look small (" + std::to_string(static_cast<int>(median)) + " px): move the camera closer");
  }
}

}  // namespace

bool pump_cameras(Live& L, int wait_ms, bool& finished) {
  bool changed = false;
  const auto polled = Clock::now();
  std::vector<PipelineOutput> outs(L.cameras.size());
  bool waited = false;
  for (size_t c = 0; c < L.cameras.size(); ++c) {
    LiveCamera& cam = L.cameras[c];
    if (cam.finished) continue;
    outs[c] = wait_ms > 0 && !waited ? cam.pipeline->wait(wait_ms) : cam.pipeline->poll();
    waited = true;
    PipelineOutput& out = outs[c];
    for (const auto& fr : out.frames) {
      lesson::add_frame(L.order, camera_frame(static_cast<int>(c), fr));
      cam.waiting.push_back({fr.time_ms, fr.reads});
    }
    cam.frames_done += static_cast<int64_t>(out.frames.size());
    if (!out.frames.empty()) {
      cam.last_delivery = Clock::now();
      if (L.cameras.size() > 1) cam.mean_grey = mean_grey(out.frames.back().image);
    }
    cam.fps = out.stats.fps;
    if (out.finished) cam.finished = true;
    for (const auto& p : out.problems) print_event(L, L.cameras.size() > 1 ? cam.label + ": " + p : p);
  }
  // A camera that is lost, has ended or has sent nothing for a second does not hold the
  // others back: the lesson goes on without it.
  bool all_finished = true;
  for (size_t c = 0; c < L.cameras.size(); ++c) {
    const LiveCamera& cam = L.cameras[c];
    all_finished &= cam.finished;
    const bool quiet = cam.live && Clock::now() - cam.last_delivery > std::chrono::seconds(1);
    lesson::set_holding(L.order, static_cast<int>(c), !cam.finished && !is_lost(cam) && !quiet);
  }
  for (const auto& f : all_finished ? lesson::release_all(L.order) : lesson::release_frames(L.order))
    changed |= handle_frame(L, f);

  auto& st = L.session.state;
  const int pc = preview_camera(L);
  std::vector<float> sides;
  if (pc >= 0 && !outs[static_cast<size_t>(pc)].frames.empty()) {
    L.preview_camera = pc;
    const FrameResult& newest = outs[static_cast<size_t>(pc)].frames.back();
    show_picture(L, newest, sides);
    const double ui_ms = std::chrono::duration<double, std::milli>(Clock::now() - polled).count();
    st.latency_ms = newest.latency_ms + ui_ms;
    changed = true;
  }
  bool any_frames = false;
  for (const auto& out : outs) any_frames |= !out.frames.empty();
  if (any_frames) {
    show_camera_states(L, sides);
    double fps = 0;
    int running = 0;
    for (const LiveCamera& cam : L.cameras)
      if (!cam.finished) fps += cam.fps, ++running;
    st.fps = running ? fps / running : 0;
    changed = true;
  }
  // How far through the files (the one furthest behind).
  double progress = 2;
  for (const LiveCamera& cam : L.cameras)
    if (cam.frame_count > 0) progress = std::min(progress, std::min(1.0, cam.frames_done / static_cast<double>(cam.frame_count)));
  if (progress <= 1) st.progress = progress;
  finished = all_finished;
  return changed;
}

void stop_cameras(Live& L) {
  for (LiveCamera& cam : L.cameras)
    if (cam.pipeline) cam.pipeline->stop();
  // Frames still waiting for another camera are the lesson's too.
  for (const auto& f : lesson::release_all(L.order)) handle_frame(L, f);
  apply_held_keys(L, [](const Live::HeldKey&) { return true; });
  // Commands seen on the very last frames.
  std::vector<QrSighting> seen;
  for (LiveCamera& cam : L.cameras)
    for (QrSighting& s : cam.qr->take_all()) seen.push_back(std::move(s));
  std::stable_sort(seen.begin(), seen.end(), [](const QrSighting& a, const QrSighting& b) { return a.time_ms < b.time_ms; });
  for (const QrSighting& s : seen)
    for (const auto& c : lesson::debounce_commands(L.commands, s.texts, s.time_ms))
      apply(L, lesson::input_for_command(c.command), L.base_wall + c.time_ms);
}

}  // namespace cardpoll::app
