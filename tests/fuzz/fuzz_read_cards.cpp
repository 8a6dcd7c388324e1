// libFuzzer: arbitrary bytes into read_cards, two ways.
//   first byte even: the rest is an encoded image (PNG, JPEG, BMP, TIFF, PNM...) for
//                    cv::imdecode, grey or unchanged (16-bit, colour, alpha, float);
//   first byte odd:  the rest is a header (width, height, type, view) and raw pixels, so the
//                    detector also gets Mats no codec would produce: odd types, 1xN, Nx1,
//                    non-continuous views, NaN floats.
// Either way, read_cards must return (no crash, no sanitizer report), and every read must
// be a real card of the deck with finite corners.
// Run by .ci/fuzz.sh; seeds in tests/fuzz/corpus. Frames are kept small (raw: at most
// 160x160, the size of the largest seed; decoded: at most 256x256 pixels, see .ci/fuzz.sh)
// because the detector has no path that depends on the frame's size beyond "at least 8x8":
// a card of 20-100 px is as whole in 160x160 as in 1920x1080, and a bigger frame only costs
// time per input (big frames are in the gtest cases and the benchmarks).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "core/deck.h"
#include "scanner/read_cards.h"

namespace {

void check(const cv::Mat& img, const cardpoll::Deck* deck) {
  cardpoll::DetectParams p;
  p.deck = deck;
  const auto reads = cardpoll::read_cards(img, p);
  const int cards = deck ? deck->cards() : cardpoll::all_decks()[0].cards();
  for (const auto& r : reads) {
    bool finite = true;
    for (const auto& c : r.corners) finite = finite && std::isfinite(c.x) && std::isfinite(c.y);
    if (r.card < 1 || r.card > cards || !finite || static_cast<int>(r.answer) > 3) {
      std::fprintf(stderr, "fuzz_read_cards: impossible read: card %d answer %d\n", r.card,
                   static_cast<int>(r.answer));
      std::abort();
    }
  }
}

const int kTypes[] = {CV_8UC1, CV_8UC3, CV_8UC4,  CV_16UC1, CV_16SC1, CV_32FC1,
                      CV_64FC1, CV_8SC1, CV_32SC1, CV_8UC2,  CV_16UC3, CV_32FC3};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto decks = cardpoll::all_decks();
  if (size == 0) {
    check(cv::Mat(), nullptr);
    return 0;
  }
  const uint8_t mode = data[0];
  const cardpoll::Deck* deck = &decks[(mode >> 2) % decks.size()];
  ++data;
  --size;
  if (mode % 2 == 0) {
    if (size == 0) return 0;
    const std::vector<uint8_t> buf(data, data + size);
    cv::Mat img;
    try {
      img = cv::imdecode(buf, (mode & 2) ? cv::IMREAD_UNCHANGED : cv::IMREAD_GRAYSCALE);
    } catch (const cv::Exception&) {
      return 0;  // the codec refused it: nothing reaches the detector
    }
    check(img, deck);
    return 0;
  }
  if (size < 6) return 0;
  // Sizes up to 160x160 (see the top): 1, N and every odd size in between still occur.
  const int w = 1 + ((data[0] | (data[1] << 8)) % 160);
  const int h = 1 + ((data[2] | (data[3] << 8)) % 160);
  const int type = kTypes[data[4] % (sizeof kTypes / sizeof kTypes[0])];
  const bool view = data[5] & 1;
  data += 6;
  size -= 6;
  cv::Mat m(h + (view ? 2 : 0), w + (view ? 3 : 0), type);
  // Fill with the input bytes, repeated (all zeros when there are none).
  const size_t total = m.total() * m.elemSize();
  uint8_t* dst = m.ptr<uint8_t>();
  for (size_t i = 0; i < total; ++i) dst[i] = size ? data[i % size] : 0;
  check(view ? m(cv::Rect(1, 1, w, h)) : m, deck);
  return 0;
}
