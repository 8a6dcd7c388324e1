// Calibration measurements (docs/calibration.md):
//   1. recall of read_cards by card width (the curve `calibrate range` uses),
//   2. recall and corner accuracy at the edges of a wide-angle lens: raw frames, whole-frame
//      undistortion, corner-only undistortion,
//   3. the cost of each undistortion (Google Benchmark timings),
//   4. reconnect time of the resilient source on a real clock.
//
//   build-calib/bench/bench_calibration                 # tables, then timings
//   build-calib/bench/bench_calibration --tables-only   # tables only
//   build-calib/bench/bench_calibration --edges         # only the wide-angle table
//   build-calib/bench/bench_calibration --timings-only  # only the Google Benchmark timings
//   build-calib/bench/bench_calibration --curve         # clean-frame curve, in the .inc format
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <thread>

#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

#include "calibration/camera_profile.h"
#include "calibration/range_check.h"
#include "calibration/synthetic_view.h"
#include "core/deck.h"
#include "scanner/read_cards.h"
#include "scanner/resilient_source.h"

using namespace cardpoll;
using namespace cardpoll::calibration;

namespace {

const Deck& deck() { return *find_deck("classroom"); }

// A plane of cards: `cols` x `rows` slots, `pitch` pattern widths apart, on a grey wall.
// Returns the picture (plane px = mm) and each slot's card, answer and pattern centre (mm).
struct Wall {
  cv::Mat picture;
  double card_mm = 0;
  struct Slot {
    int card;
    Answer answer;
    cv::Point2f centre_mm;
  };
  std::vector<Slot> slots;
};

Wall card_wall(int cols, int rows, double pitch, uint32_t seed) {
  constexpr int kPxPerCell = 8;  // picture px; 1 px = 1 plane mm
  const int g = deck().grid;
  Wall w;
  w.card_mm = g * kPxPerCell;
  const int step = int(pitch * w.card_mm);
  w.picture = cv::Mat(rows * step, cols * step, CV_8UC1, cv::Scalar(120));
  std::mt19937 rng(seed);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const int card = 1 + int(rng() % uint32_t(deck().cards()));
      const Answer a = Answer(rng() % 4);
      const cv::Mat pic = card_picture(deck(), card, a, kPxPerCell);
      const int x = c * step + (step - pic.cols) / 2, y = r * step + (step - pic.rows) / 2;
      pic.copyTo(w.picture(cv::Rect(x, y, pic.cols, pic.rows)));
      w.slots.push_back({card, a, cv::Point2f(float(x + pic.cols / 2.0), float(y + pic.rows / 2.0))});
    }
  return w;
}

cv::Vec3d pose_t(const cv::Vec3d& rvec, const cv::Vec3d& centre_cam, cv::Point2f plane_centre) {
  cv::Matx33d R;
  cv::Rodrigues(rvec, R);
  return centre_cam - R * cv::Vec3d(plane_centre.x, plane_centre.y, 0);
}

void degrade(cv::Mat& img, std::mt19937& rng) {
  cv::GaussianBlur(img, img, cv::Size(0, 0), 0.6);
  cv::Mat noise(img.size(), CV_16SC1);
  cv::randn(noise, 0, 3);
  cv::Mat tmp;
  img.convertTo(tmp, CV_16SC1);
  tmp += noise;
  tmp.convertTo(img, CV_8UC1);
  (void)rng;
}

// Matches reads to slots by the nearest expected centre (within half a pitch).
struct Score {
  int total = 0, right = 0, wrong = 0;
};
void score(const std::vector<CardRead>& reads, const std::vector<cv::Point2f>& centres,
           const std::vector<Wall::Slot>& slots, const std::vector<int>& which, double radius, Score& s) {
  std::vector<int> got(slots.size(), 0);
  for (const auto& r : reads) {
    cv::Point2f c(0, 0);
    for (auto p : r.corners) c += p * 0.25f;
    int best = -1;
    double bd = radius;
    for (size_t i = 0; i < centres.size(); ++i)
      if (double d = cv::norm(centres[i] - c); d < bd) bd = d, best = int(i);
    if (best < 0) continue;
    const bool ok = r.card == slots[size_t(best)].card && r.answer == slots[size_t(best)].answer;
    got[size_t(best)] = ok ? 1 : (got[size_t(best)] == 1 ? 1 : -1);
  }
  for (int i : which) {
    ++s.total;
    if (got[size_t(i)] == 1) ++s.right;
    if (got[size_t(i)] == -1) ++s.wrong;
  }
}

// 1. Recall by width on a pinhole camera: 8x6 cards per frame, several poses per width.
void recall_by_width(bool as_inc) {
  CameraProfile cam;
  cam.image_size = {1280, 720};
  cam.camera_matrix = cv::Matx33d(1000, 0, 639.5, 0, 1000, 359.5, 0, 0, 1);
  cam.dist_coeffs = {0, 0, 0, 0, 0};
  const LensRays rays = make_lens_rays(cam, 3);
  std::mt19937 rng(11);
  const double widths[] = {8, 10, 12, 14, 16, 18, 20, 22, 24, 28, 32, 40, 48};
  if (!as_inc) std::printf("\nRecall by card width (pinhole 1280x720, tilt <= 30 deg, blur 0.6 px, noise 3)\n%8s %8s %8s %8s\n", "width", "cards", "recall", "wrong");
  for (double w : widths) {
    Score s;
    for (int pose = 0; pose < 6; ++pose) {
      const Wall wall = card_wall(6, 4, 2.6, uint32_t(100 + pose + int(w) * 10));
      std::uniform_real_distribution<double> tilt(-0.52, 0.52), roll(-0.35, 0.35);
      const cv::Vec3d rvec(tilt(rng) * 0.7, tilt(rng) * 0.7, roll(rng));
      const double z = 1000.0 * wall.card_mm / w;
      const cv::Point2f mid(float(wall.picture.cols / 2.0), float(wall.picture.rows / 2.0));
      const cv::Vec3d t = pose_t(rvec, {0, 0, z}, mid);
      cv::Mat img = render_plane_view(rays, wall.picture, 1.0, rvec, t, 120);
      degrade(img, rng);
      std::vector<cv::Point2f> plane;
      for (const auto& sl : wall.slots) plane.push_back(sl.centre_mm);
      const auto centres = project_plane_points(cam, plane, rvec, t);
      std::vector<int> all;
      for (size_t i = 0; i < wall.slots.size(); ++i)
        if (centres[i].x > w && centres[i].y > w && centres[i].x < 1280 - w && centres[i].y < 720 - w)
          all.push_back(int(i));
      score(read_cards(img), centres, wall.slots, all, 1.2 * w, s);
    }
    const double recall = s.total ? double(s.right) / s.total : 0;
    if (as_inc)
      std::printf("    {%.0f, %.3f},\n", w, recall);
    else
      std::printf("%8.0f %8d %7.1f%% %8d\n", w, s.total, 100 * recall, s.wrong);
  }
}

// 2. A wide-angle lens: recall and corner accuracy in the centre and at the edges.
CameraProfile wide_lens() {
  CameraProfile cam;
  cam.image_size = {1280, 720};
  cam.camera_matrix = cv::Matx33d(760, 0, 644, 0, 760, 356, 0, 0, 1);
  cam.dist_coeffs = {-0.33, 0.12, 0.0005, -0.0004, 0};
  return cam;
}

void edges(double centre_width) {
  const CameraProfile cam = wide_lens();
  const LensRays rays = make_lens_rays(cam, 3);
  const FrameUndistorter und = make_frame_undistorter(cam, cam.image_size);
  std::mt19937 rng(5);
  Score raw_c, raw_e, full_c, full_e, full_e_in;
  double edge_side = 0;
  int edge_side_n = 0;
  double err_raw = 0, err_pts = 0, err_full = 0;
  int n_err = 0;
  for (int pose = 0; pose < 4; ++pose) {
    // Enough cards to fill the whole picture, and a bit beyond its edges.
    const int cols = int(std::ceil(1600 / (2.3 * centre_width))), rows = int(std::ceil(1000 / (2.3 * centre_width)));
    const Wall wall = card_wall(cols, rows, 2.3, uint32_t(7 + pose));
    const double z = 760.0 * wall.card_mm / centre_width;
    const cv::Vec3d rvec(0.05 * (pose - 1.5), -0.04 * (pose - 1.5), 0.1 * (pose % 2));
    const cv::Point2f mid(float(wall.picture.cols / 2.0), float(wall.picture.rows / 2.0));
    const cv::Vec3d t = pose_t(rvec, {0, 0, z}, mid);
    cv::Mat img = render_plane_view(rays, wall.picture, 1.0, rvec, t, 120);
    degrade(img, rng);
    std::vector<cv::Point2f> plane;
    for (const auto& sl : wall.slots) plane.push_back(sl.centre_mm);
    const auto seen = project_plane_points(cam, plane, rvec, t);  // distorted centres
    CameraProfile pin = cam;
    pin.dist_coeffs = {0, 0, 0, 0, 0};
    const auto ideal = project_plane_points(pin, plane, rvec, t);  // straightened centres
    // Centre: within 30% of the half-diagonal of the image centre; edge: beyond 70%.
    const double half_diag = std::hypot(640, 360);
    std::vector<int> centre, edge;
    for (size_t i = 0; i < seen.size(); ++i) {
      const double m = centre_width;  // the whole card inside the picture
      if (seen[i].x < m || seen[i].y < m || seen[i].x > 1280 - m || seen[i].y > 720 - m) continue;
      const double r = std::hypot(seen[i].x - 640, seen[i].y - 360) / half_diag;
      if (r < 0.3) centre.push_back(int(i));
      if (r > 0.7) edge.push_back(int(i));
    }
    auto raw_reads = read_cards(img);
    score(raw_reads, seen, wall.slots, centre, centre_width, raw_c);
    score(raw_reads, seen, wall.slots, edge, centre_width, raw_e);
    const cv::Mat straight = undistort_frame(und, img);
    auto full_reads = read_cards(straight);
    score(full_reads, ideal, wall.slots, centre, centre_width, full_c);
    score(full_reads, ideal, wall.slots, edge, centre_width, full_e);
    // Whole-frame straightening with the same camera matrix pushes the picture's corners
    // out of the frame: score it again on the edge cards that stay inside.
    std::vector<int> edge_in;
    for (int k : edge) {
      const auto q = ideal[size_t(k)];
      if (q.x > centre_width && q.y > centre_width && q.x < 1280 - centre_width && q.y < 720 - centre_width)
        edge_in.push_back(k);
    }
    score(full_reads, ideal, wall.slots, edge_in, centre_width, full_e_in);
    // How big edge cards look: the lens squeezes them.
    for (const auto& r : raw_reads) {
      cv::Point2f c(0, 0);
      for (auto p : r.corners) c += p * 0.25f;
      if (std::hypot(c.x - 640, c.y - 360) / half_diag > 0.7) {
        edge_side += card_width_px(r);
        ++edge_side_n;
      }
    }
    // Corner accuracy against the straightened (pinhole) truth, edge cards only.
    auto pts_reads = raw_reads;
    undistort_reads(cam, cam.image_size, pts_reads);
    auto centre_of = [](const CardRead& r) {
      cv::Point2f c(0, 0);
      for (auto p : r.corners) c += p * 0.25f;
      return c;
    };
    for (int i : edge) {
      auto nearest = [&](const std::vector<CardRead>& rs, cv::Point2f where) -> const CardRead* {
        const CardRead* b = nullptr;
        double bd = centre_width;
        for (const auto& r : rs)
          if (double d = cv::norm(centre_of(r) - where); d < bd) bd = d, b = &r;
        return b;
      };
      const CardRead* a = nearest(raw_reads, seen[size_t(i)]);
      const CardRead* b = nearest(pts_reads, ideal[size_t(i)]);
      const CardRead* c = nearest(full_reads, ideal[size_t(i)]);
      if (!a || !b || !c) continue;
      err_raw += cv::norm(centre_of(*a) - ideal[size_t(i)]);
      err_pts += cv::norm(centre_of(*b) - ideal[size_t(i)]);
      err_full += cv::norm(centre_of(*c) - ideal[size_t(i)]);
      ++n_err;
    }
  }
  auto pct = [](const Score& s) { return s.total ? 100.0 * s.right / s.total : 0.0; };
  std::printf("%6.0f px | edge cards %.1f px | raw (= corners-only): centre %5.1f%% (%3d) edge %5.1f%% (%3d) wrong %d | "
              "whole-frame: centre %5.1f%% edge %5.1f%% (in frame: %5.1f%% of %d) wrong %d | "
              "edge position error px: raw %.1f, corners-only %.2f, whole-frame %.2f (%d cards)\n",
              centre_width, edge_side_n ? edge_side / edge_side_n : 0, pct(raw_c), raw_c.total, pct(raw_e),
              raw_e.total, raw_c.wrong + raw_e.wrong, pct(full_c), pct(full_e), pct(full_e_in), full_e_in.total,
              full_c.wrong + full_e.wrong, n_err ? err_raw / n_err : 0, n_err ? err_pts / n_err : 0,
              n_err ? err_full / n_err : 0, n_err);
}

// 3. Timings.
void BM_MakeFrameUndistorter(benchmark::State& st) {
  const CameraProfile cam = profile_for_size(wide_lens(), {int(st.range(0)), int(st.range(0)) * 9 / 16});
  for (auto _ : st) benchmark::DoNotOptimize(make_frame_undistorter(cam, cam.image_size));
}
BENCHMARK(BM_MakeFrameUndistorter)->Arg(1280)->Arg(1920)->Unit(benchmark::kMillisecond);

void BM_UndistortFrame(benchmark::State& st) {
  const cv::Size size(int(st.range(0)), int(st.range(0)) * 9 / 16);
  const FrameUndistorter u = make_frame_undistorter(wide_lens(), size);
  cv::Mat frame(size, CV_8UC1);
  cv::randu(frame, 0, 255);
  for (auto _ : st) benchmark::DoNotOptimize(undistort_frame(u, frame));
}
BENCHMARK(BM_UndistortFrame)->Arg(1280)->Arg(1920)->Unit(benchmark::kMillisecond);

void BM_UndistortReads(benchmark::State& st) {
  std::vector<CardRead> reads(size_t(st.range(0)));
  std::mt19937 rng(1);
  for (auto& r : reads)
    for (auto& p : r.corners) p = cv::Point2f(float(rng() % 1280), float(rng() % 720));
  const CameraProfile cam = wide_lens();
  for (auto _ : st) {
    auto copy = reads;
    undistort_reads(cam, cam.image_size, copy);
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_UndistortReads)->Arg(1)->Arg(40)->Unit(benchmark::kMicrosecond);

// 4. Reconnect on a real clock: a fake camera (30 fps, 80 ms to open) unplugged for a
// while; time from the camera's return to the first frame delivered.
void reconnect_real_clock() {
  using Clock = std::chrono::steady_clock;
  std::printf("\nReconnect on a real clock (fake camera: 30 fps, 80 ms to open)\n");
  for (int64_t back_at : {1400, 2300, 3900}) {
    const auto t0 = Clock::now();
    auto ms = [&] {
      return static_cast<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count());
    };
    const int64_t gone_at = 300;
    auto make = [&]() {
      if (ms() >= gone_at && ms() < back_at) throw std::runtime_error("cannot open the camera");
      FrameSource s;
      s.name = "fake camera";
      s.live = true;
      s.kind = SourceKind::Camera;
      const int64_t opened = ms();
      const bool born_before_unplug = opened < gone_at;
      s.read = [&, born_before_unplug](Frame& f) -> SourceRead {
        if ((ms() >= gone_at && ms() < back_at) || (born_before_unplug && ms() >= gone_at)) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          return {SourceStatus::Failed, "no frame"};
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(33));
        f.gray = cv::Mat(2, 2, CV_8UC1);
        f.time_ms = ms() - opened;
        return {SourceStatus::Frame, {}};
      };
      return s;
    };
    auto opener = [&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(80));
      return make();
    };
    auto mon = std::make_shared<ConnectionMonitor>();
    FrameSource src = resilient_source(make(), opener, {}, steady_source_clock(), mon);
    Frame f;
    int64_t first_back = -1;
    while (ms() < back_at + 4000 && first_back < 0)
      if (src.read(f).status == SourceStatus::Frame && ms() >= back_at) first_back = ms();
    const auto rep = mon->snapshot();
    std::printf("  unplugged %lld ms, back at %lld ms: first frame %lld ms after its return (%d reopen attempts)\n",
                static_cast<long long>(back_at - gone_at), static_cast<long long>(back_at),
                static_cast<long long>(first_back - back_at), rep.reopen_attempts);
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool tables_only = false, curve = false, edges_only = false, timings_only = false;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--tables-only") == 0) tables_only = true;
    else if (std::strcmp(argv[i], "--curve") == 0) curve = true;
    else if (std::strcmp(argv[i], "--edges") == 0) edges_only = true;
    else if (std::strcmp(argv[i], "--timings-only") == 0) timings_only = true;
    else rest.push_back(argv[i]);
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // tables appear as they are measured
  if (curve) {
    std::printf("// bench_calibration --curve: read_cards on clean rendered frames, 144 cards per width\n"
                "// {pattern width in px, fraction of cards read correctly}\n");
    recall_by_width(true);
    return 0;
  }
  if (timings_only) {
    int n = int(rest.size());
    benchmark::Initialize(&n, rest.data());
    benchmark::RunSpecifiedBenchmarks();
    return 0;
  }
  if (!edges_only) recall_by_width(false);
  std::printf("\nWide-angle lens (1280x720, f 760 px, k1 -0.33, k2 0.12): cards on a wall, centre vs edges\n");
  for (double w : {14.0, 18.0, 24.0, 32.0}) edges(w);
  if (edges_only) return 0;
  reconnect_real_clock();
  if (tables_only) return 0;
  int n = int(rest.size());
  benchmark::Initialize(&n, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
