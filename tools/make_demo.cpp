// make_demo: renders the bundled demo recording (assets/demo/) with the project's own scene
// renderer: a class answering three questions with their cards, some changing their minds,
// and the teacher's QR command cards shown between questions. Also writes the class roster,
// the question set and the ground truth every answer in the video must be read as.
//
//   make_demo --out assets/demo                      # demo.mp4 class.csv questions.csv truth.csv
//   make_demo --out /tmp/x --students 12 --size 960x540 --fps 12   # a smaller one for tests
//   make_demo --out /tmp/p --deck plickers      # the class holds Plickers-format cards
//   make_demo --out /tmp/x --video /tmp/x/side.mp4 --viewpoint side --blocked 5,12
//                                               # the same lesson seen by a second camera
// With --deck plickers the students hold cards spread over 1-63 (card 14, the pattern it
// shares with classroom card 32, among them) and class.csv gives each one's number.
// --viewpoint side films the same lesson (same seed: same students, answers and truth) from
// the front corner of the room: the class seen across, nearer seats bigger, cards at an angle,
// the command cards held up on the other side. --blocked CARDS hides those students from this
// camera for the whole lesson (a pillar, a head in the way): two recordings blocked
// differently are the several-camera test (tests/display/test_live_cameras_e2e.cpp).
//
// Timeline per question (seconds from the question's start):
//   0.0-1.5 the command card (next; question/3 for the third, to show jumping)  1.5-2.5 nothing
//   2.5-4.5 students raise their cards, one by one     ~6-7 a few turn to another answer
//   9.5     all cards down                             10.5-12 the reveal card
// truth.csv: position,card,answers   answers = every answer the student showed, in order,
// joined by '>' ("B>D": first B, then changed to D). Students who did not answer: no row.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "display/print/command_cards.h"
#include "lesson/commands.h"
#include "tools/scenes/scene.h"

using namespace cardpoll;
namespace fs = std::filesystem;

namespace {

const char* kNames[] = {"Ana Garcia",    "Ben Okafor",   "Chloe Martin", "Dev Patel",    "Eli Cohen",
                        "Fatima Noor",   "Gus Lindqvist", "Hana Sato",   "Ivan Petrov",  "Jade Wong",
                        "Kai Nakamura",  "Lena Fischer", "Mo Haddad",    "Nia Mensah",   "Omar Aziz",
                        "Pia Rossi",     "Quinn Murphy", "Rosa Diaz",    "Sami Virtanen", "Tess Byrne",
                        "Uma Iyer",      "Vik Sharma",   "Wen Li",       "Xavi Puig",    "Yara Haddad",
                        "Zoe Adams",     "Arlo Brooks",  "Bea Costa",    "Cyrus Khan",   "Dana Kim"};

struct QuestionSpec {
  const char* csv_row;          // as in questions.csv
  int choices;
  std::vector<double> weights;  // how the class tends to answer (A..)
};

const QuestionSpec kQuestions[] = {
    {"\"Which fraction is equal to 2/4?\",1/2,3/4,2/8,4/2,A,fractions.equivalent", 4, {0.6, 0.15, 0.2, 0.05}},
    {"\"Is 3/4 greater than 2/3?\",,,,,T,fractions.compare", 2, {0.65, 0.35}},
    {"\"How sure do you feel about fractions?\",Very sure,Quite sure,Not yet,,,", 3, {0.3, 0.45, 0.25}},
};

struct Options {
  fs::path out;
  fs::path video;               // default out/demo.mp4
  int students = 25;
  double fps = 12;
  cv::Size size{1280, 720};
  uint64_t seed = 7;
  const Deck* deck = nullptr;   // classroom unless --deck
  bool side = false;            // --viewpoint side: the second camera
  std::vector<int> blocked;     // cards this camera cannot see
};

struct Student {
  int card;
  cv::Point2f seat;
  float side;
  float tilt_x, tilt_y;
};

struct Showing {           // one student's card up during [from, to) with `answer`
  int card;
  Answer answer;
  double from, to;
};

struct Command {
  std::string payload;
  double from, to;
};

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "make_demo: %s\nUsage: make_demo --out DIR [--video FILE] [--students N (4-30)] [--fps F]\n"
               "                 [--size WxH] [--seed N] [--deck classroom|plickers]\n"
               "                 [--viewpoint front|side] [--blocked CARD,CARD,...]\n",
               why.c_str());
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--out") o.out = value();
    else if (a == "--video") o.video = value();
    else if (a == "--students") o.students = std::stoi(value());
    else if (a == "--fps") o.fps = std::stod(value());
    else if (a == "--seed") o.seed = std::stoull(value());
    else if (a == "--deck") {
      const std::string v = value();
      o.deck = find_deck(v);
      if (!o.deck) usage("--deck " + v + ": no such deck (decks: " + deck_names() + ")");
    }
    else if (a == "--viewpoint") {
      const std::string v = value();
      if (v != "front" && v != "side") usage("--viewpoint " + v + ": expected front or side");
      o.side = v == "side";
    } else if (a == "--blocked") {
      const std::string v = value();
      size_t at = 0;
      while (at < v.size()) {
        const size_t comma = std::min(v.find(',', at), v.size());
        try {
          o.blocked.push_back(std::stoi(v.substr(at, comma - at)));
        } catch (const std::exception&) {
          usage("--blocked " + v + ": expected card numbers separated by commas");
        }
        at = comma + 1;
      }
    }
    else if (a == "--size") {
      const std::string v = value();
      if (std::sscanf(v.c_str(), "%dx%d", &o.size.width, &o.size.height) != 2) usage("--size " + v + ": expected WxH");
    } else usage("unknown option " + a);
  }
  if (o.out.empty()) usage("--out DIR is required");
  if (o.students < 4 || o.students > 30) usage("--students must be 4 to 30");
  if (o.fps < 10 || o.fps > 60) usage("--fps must be 10 to 60 (the tracker needs 6 agreeing frames within 0.6 s)");
  if (o.size.width < 640 || o.size.height < 360) usage("--size must be at least 640x360");
  if (o.video.empty()) o.video = o.out / "demo.mp4";
  if (!o.deck) o.deck = find_deck("classroom");
  return o;
}

Answer pick(std::mt19937_64& rng, const std::vector<double>& w) {
  std::discrete_distribution<int> d(w.begin(), w.end());
  return static_cast<Answer>(d(rng));
}

// Student i's card: 1, 2, 3... on the classroom deck. A class with Plickers-format cards
// holds numbers spread over the whole deck: the three that are classroom patterns too (14,
// 43, 55: see `cardpoll decks`), both ends, and many one cell from a classroom card.
int card_of_student(const Deck& deck, int i) {
  static constexpr int kPlickers[30] = {14, 63, 1, 40, 27, 8, 52, 33, 43, 61, 19, 46, 2, 36, 55,
                                        11, 24, 49, 30, 7, 50, 60, 16, 38, 21, 62, 3, 29, 45, 10};
  return deck.name == "plickers" ? kPlickers[i] : i + 1;
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << text;
  if (!f) throw std::runtime_error(p.string() + ": cannot write");
}

// The teacher's card with a QR code: white card, code, pasted at `centre` with a little blur
// so it looks photographed rather than drawn.
void paste_command(cv::Mat& frame, const std::string& payload, cv::Point centre, int side) {
  const auto img = print::qr_image(payload, 4);
  cv::Mat qr(img.side, img.side, CV_8UC1, const_cast<uint8_t*>(img.pixels.data()));
  cv::Mat scaled;
  cv::resize(qr, scaled, cv::Size(side, side), 0, 0, cv::INTER_AREA);
  cv::Rect r(centre.x - side / 2, centre.y - side / 2, side, side);
  r &= cv::Rect(0, 0, frame.cols, frame.rows);
  cv::Mat roi = frame(r);
  scaled(cv::Rect(0, 0, r.width, r.height)).copyTo(roi);
  cv::GaussianBlur(roi, roi, cv::Size(3, 3), 0.6);
}

// The second camera (--viewpoint side) stands at the front corner on the teacher's side and
// looks across the room: what was on the left of the first camera's picture is on its right,
// the front rows are nearer (bigger), and every card is seen at an angle. The room is the
// same, so the cards' numbers and answers are too: only where they appear changes.
struct View {
  cv::Point2f centre;
  float side, tilt_x, tilt_y;
};

View view_of(const Options& o, const Student& s) {
  if (!o.side) return {s.seat, s.side, s.tilt_x, s.tilt_y};
  const float w = static_cast<float>(o.size.width), h = static_cast<float>(o.size.height);
  const float sx = w / 1280.0f, sy = h / 720.0f;
  const float depth = std::clamp((s.seat.y / sy - 150) / 470.0f, 0.0f, 1.0f);  // 0 back .. 1 front
  View v;
  v.centre = {w - s.seat.x * 0.8f - 60 * sx + (1 - depth) * 40 * sx, (170 + depth * 420) * sy};
  v.side = s.side * (0.85f + 0.2f * depth);
  v.tilt_x = s.tilt_x * 0.5f;
  v.tilt_y = s.tilt_y * 0.5f + 18;
  return v;
}

}  // namespace

int main(int argc, char** argv) try {
  const Options o = parse(argc, argv);
  fs::create_directories(o.out);
  std::mt19937_64 rng(o.seed);
  auto uni = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };

  // Seats: rows of desks, the back rows further away (smaller cards, higher in the frame).
  // The right fifth of the frame is the teacher's, where the command cards appear.
  std::vector<Student> students;
  const int cols = o.students > 20 ? 6 : 5;
  const int rows = (o.students + cols - 1) / cols;
  const float sx = o.size.width / 1280.0f, sy = o.size.height / 720.0f;
  for (int i = 0; i < o.students; ++i) {
    const int r = i / cols, c = i % cols;
    const float depth = rows > 1 ? r / static_cast<float>(rows - 1) : 0;  // 0 back .. 1 front
    Student s;
    s.card = card_of_student(*o.deck, i);
    s.seat = {(90 + c * (880.0f / (cols - 1)) + static_cast<float>(uni(-12, 12))) * sx,
              (150 + r * (470.0f / std::max(1, rows - 1)) + static_cast<float>(uni(-10, 10))) * sy};
    s.side = (44 + 18 * depth) * std::min(sx, sy);
    s.tilt_x = static_cast<float>(uni(-10, 10));
    s.tilt_y = static_cast<float>(uni(-10, 10));
    students.push_back(s);
  }

  std::vector<Showing> showings;
  std::vector<Command> commands;
  std::string truth = "position,card,answers\n";
  const double q_len = 13.0, lead = 1.0;
  const int nq = 3;
  for (int q = 0; q < nq; ++q) {
    const double t0 = lead + q * q_len;
    const std::string open = q == 2 ? lesson::command_payload({lesson::CommandKind::Question, 3})
                                    : lesson::command_payload({lesson::CommandKind::Next});
    commands.push_back({open, t0, t0 + 1.5});
    commands.push_back({lesson::command_payload({lesson::CommandKind::Reveal}), t0 + 10.5, t0 + 12.0});
    const QuestionSpec& qs = kQuestions[q];
    for (const auto& s : students) {
      if (uni(0, 1) < 0.08) continue;  // did not answer this one
      const double up = t0 + 2.5 + uni(0, 2.0), down = t0 + 9.5;
      Answer first = pick(rng, qs.weights);
      std::string seq(1, answer_letter(first));
      if (uni(0, 1) < 0.12) {  // changes their mind once
        Answer second = pick(rng, qs.weights);
        if (second == first) second = static_cast<Answer>((static_cast<int>(first) + 1) % qs.choices);
        const double at = t0 + 6.0 + uni(0, 1.0);
        showings.push_back({s.card, first, up, at});
        showings.push_back({s.card, second, at + 0.4, down});  // 0.4 s turning the card: no read
        seq += std::string(">") + answer_letter(second);
      } else {
        showings.push_back({s.card, first, up, down});
      }
      truth += std::to_string(q + 1) + "," + std::to_string(s.card) + "," + seq + "\n";
    }
  }
  const double total = lead + nq * q_len + 1.0;

  std::string roster = "name,card\n";
  for (size_t i = 0; i < students.size(); ++i)
    roster += std::string(kNames[i]) + "," + std::to_string(students[i].card) + "\n";
  std::string questions = "question,A,B,C,D,answer,skill\n";
  for (const auto& q : kQuestions) questions += std::string(q.csv_row) + "\n";
  write_text(o.out / "class.csv", roster);
  write_text(o.out / "questions.csv", questions);
  write_text(o.out / "truth.csv", truth);

  // H.264 keeps the committed recording to a few MB; MPEG-4 part 2 where OpenCV has no H.264.
  cv::VideoWriter writer(o.video.string(), cv::VideoWriter::fourcc('a', 'v', 'c', '1'), o.fps, o.size, false);
  if (!writer.isOpened())
    writer.open(o.video.string(), cv::VideoWriter::fourcc('m', 'p', '4', 'v'), o.fps, o.size, false);
  if (!writer.isOpened()) throw std::runtime_error(o.video.string() + ": OpenCV cannot write an mp4 video here");
  const int frames = static_cast<int>(std::lround(total * o.fps));
  std::mt19937_64 jitter(o.seed + 1);
  for (int f = 0; f < frames; ++f) {
    const double t = f / o.fps;
    scenes::SceneSpec spec;
    spec.size = o.size;
    spec.seed = o.seed + (o.side ? 1000 : 0);  // the same room in every frame (another wall for side)
    spec.deck = o.deck;
    spec.difficulty = scenes::Difficulty::Easy;
    spec.clutter = true;
    spec.degrade = true;
    for (const auto& sh : showings) {
      if (t < sh.from || t >= sh.to) continue;
      const Student& s = *std::find_if(students.begin(), students.end(),
                                       [&](const Student& st) { return st.card == sh.card; });
      scenes::Placement p;
      p.card = sh.card;
      p.answer = sh.answer;
      // Hands are never still: a little drift and wobble from frame to frame (drawn for
      // every card, seen or not, so both viewpoints keep the same jitter sequence).
      const cv::Point2f drift(std::uniform_real_distribution<float>(-1.5f, 1.5f)(jitter),
                              std::uniform_real_distribution<float>(-1.5f, 1.5f)(jitter));
      const float roll = std::uniform_real_distribution<float>(-4, 4)(jitter);
      if (std::find(o.blocked.begin(), o.blocked.end(), sh.card) != o.blocked.end()) continue;
      const View v = view_of(o, s);
      p.centre = v.centre + drift;
      p.side_px = v.side;
      p.roll_deg = roll;
      p.tilt_x_deg = v.tilt_x;
      p.tilt_y_deg = v.tilt_y;
      spec.placements.push_back(p);
    }
    if (spec.placements.empty()) spec.random_cards = 0;
    scenes::Scene scene = scenes::render_scene(spec);
    for (const auto& c : commands)
      if (t >= c.from && t < c.to)
        paste_command(scene.gray, c.payload, {static_cast<int>((o.side ? 120 : 1160) * sx), static_cast<int>(360 * sy)},
                      static_cast<int>(190 * std::min(sx, sy)));
    writer.write(scene.gray);
    if (f % 50 == 0) std::fprintf(stderr, "\rmake_demo: frame %d / %d", f, frames);
  }
  writer.release();
  std::fprintf(stderr, "\rmake_demo: wrote %s (%d frames, %.0f s at %.0f fps) and class.csv questions.csv truth.csv\n",
               o.video.c_str(), frames, total, o.fps);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "make_demo: %s\n", e.what());
  return 1;
}
