// The small JSON writer and reader: escaping, structure errors, number formatting, round trips.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>

#include "core/json.h"

namespace cardpoll {
namespace {

TEST(JsonQuote, EscapesWhatRfc8259Requires) {
  EXPECT_EQ(json_quote("plain"), "\"plain\"");
  EXPECT_EQ(json_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(json_quote("l1\nl2\r\t\b\f"), "\"l1\\nl2\\r\\t\\b\\f\"");
  EXPECT_EQ(json_quote(std::string_view("\x01\x1f\x7f", 3)), "\"\\u0001\\u001f\\u007f\"");
  EXPECT_EQ(json_quote(std::string_view("nul\0x", 5)), "\"nul\\u0000x\"");
  EXPECT_EQ(json_quote("</script>"), "\"</script>\"");
}

TEST(JsonQuote, Utf8PassesThroughAndInvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(json_quote("García 日本 😀"), "\"García 日本 😀\"");
  EXPECT_EQ(json_quote("bad \xE9 byte"), "\"bad \xEF\xBF\xBD byte\"");
  EXPECT_EQ(json_quote("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // a surrogate, byte by byte
  EXPECT_NO_THROW(parse_json(json_quote("cut \xE2\x82")));
}

TEST(JsonWriter, CompactDocument) {
  JsonWriter w(0);
  w.begin_object();
  w.key("name").value("Ana");
  w.key("cards").begin_array().value(3).value(int64_t{9007199254740993}).end_array();
  w.key("ok").value(true);
  w.key("none").null();
  w.key("empty").begin_object().end_object();
  w.key("list").begin_array().end_array();
  w.key("maybe").value(std::optional<int>{});
  w.end_object();
  EXPECT_EQ(w.str(),
            "{\"name\":\"Ana\",\"cards\":[3,9007199254740993],\"ok\":true,\"none\":null,\"empty\":{},"
            "\"list\":[],\"maybe\":null}");
}

TEST(JsonWriter, PrettyDocument) {
  JsonWriter w;
  w.begin_object();
  w.key("a").begin_array().value(1).value("x").end_array();
  w.key("b").begin_object().key("c").value(false).end_object();
  w.end_object();
  EXPECT_EQ(w.str(), "{\n  \"a\": [\n    1,\n    \"x\"\n  ],\n  \"b\": {\n    \"c\": false\n  }\n}\n");
}

TEST(JsonWriter, Numbers) {
  auto one = [](double d) {
    JsonWriter w(0);
    w.value(d);
    return w.str();
  };
  EXPECT_EQ(one(66.666666666), "66.666667");
  EXPECT_EQ(one(1.0), "1");
  EXPECT_EQ(one(0.5), "0.5");
  EXPECT_EQ(one(-2.25), "-2.25");
  EXPECT_EQ(one(-0.0000001), "0");
  EXPECT_EQ(one(std::nan("")), "null");
  EXPECT_EQ(one(std::numeric_limits<double>::infinity()), "null");
}

TEST(JsonWriter, MisuseIsALogicError) {
  {
    JsonWriter w;
    w.begin_object();
    EXPECT_THROW(w.value(1), std::logic_error);  // no key
    EXPECT_THROW(w.str(), std::logic_error);     // not finished
    EXPECT_THROW(w.end_array(), std::logic_error);
  }
  {
    JsonWriter w;
    EXPECT_THROW(w.key("k"), std::logic_error);
    w.begin_array();
    EXPECT_THROW(w.key("k"), std::logic_error);
    w.end_array();
    EXPECT_THROW(w.value(2), std::logic_error);  // after the document
  }
  {
    JsonWriter w;
    w.begin_object().key("k");
    EXPECT_THROW(w.key("again"), std::logic_error);
    EXPECT_THROW(w.end_object(), std::logic_error);
  }
}

TEST(JsonReader, ParsesEveryKindOfValue) {
  const JsonValue v = parse_json(
      " {\"s\":\"a\\\"b\\\\\\/\\n\\u00e9\\ud83d\\ude00\", \"n\":-12.5e1, \"z\":0, \"t\":true, \"f\":false,"
      " \"null\":null, \"arr\":[1,[2],{}], \"o\":{\"k\":\"v\"}} ");
  EXPECT_EQ(v["s"].str(), "a\"b\\/\né😀");
  EXPECT_DOUBLE_EQ(v["n"].num(), -125.0);
  EXPECT_DOUBLE_EQ(v["z"].num(), 0.0);
  EXPECT_TRUE(v["t"].boolean());
  EXPECT_FALSE(v["f"].boolean());
  EXPECT_TRUE(v["null"].is_null());
  EXPECT_EQ(v["arr"].arr().size(), 3u);
  EXPECT_DOUBLE_EQ(v["arr"][1][0].num(), 2.0);
  EXPECT_TRUE(v["arr"][2].is_object());
  EXPECT_EQ(v["o"]["k"].str(), "v");
  EXPECT_TRUE(v.has("o"));
  EXPECT_FALSE(v.has("missing"));
  EXPECT_THROW(v["missing"], std::runtime_error);
  EXPECT_THROW(v["s"].num(), std::runtime_error);
  EXPECT_THROW(v["arr"][9], std::runtime_error);
}

TEST(JsonReader, RefusesMalformedDocuments) {
  for (const char* bad : {"", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":1,\"a\":2}", "01", "1.", "-",
                          "\"\\ud800\"", "\"\\udc00\"", "\"\\x\"", "\"tab\there\"", "tru", "[1] 2", "'a'",
                          "\"\xE9\"", "{1:2}", "1e", "\"\\u12G4\""}) {
    EXPECT_THROW(parse_json(bad), std::runtime_error) << bad;
  }
  EXPECT_THROW(parse_json(std::string(500, '[') + std::string(500, ']')), std::runtime_error);
}

TEST(JsonRoundTrip, WriterOutputReadsBackTheSame) {
  const std::string nasty = std::string("q\"uote\\ back\nnew\x01") + "ctl \xC3\xA9 </script> \xF0\x9F\x98\x80";
  JsonWriter w;
  w.begin_object();
  w.key(nasty).value(nasty);
  w.key("n").begin_array().value(-3).value(0.125).value(int64_t{1772614800000}).end_array();
  w.end_object();
  const JsonValue v = parse_json(w.str());
  EXPECT_EQ(v[nasty].str(), nasty);
  EXPECT_DOUBLE_EQ(v["n"][0].num(), -3);
  EXPECT_DOUBLE_EQ(v["n"][1].num(), 0.125);
  EXPECT_DOUBLE_EQ(v["n"][2].num(), 1772614800000.0);
}

}  // namespace
}  // namespace cardpoll

namespace cardpoll {
namespace {

// Every kind of value the writer takes, pretty and compact, against bytes written by the
// first (hand-written) writer: whatever implements JsonWriter must print exactly these.
std::string writer_sample(int indent) {
  JsonWriter w(indent);
  w.begin_object();
  w.key("text").value(std::string("q\"uote\\ back\nnew\x01 tab\t cr\r bs\b ff\f del\x7f ") + "é 日本 😀 </script>");
  w.key("bad utf8").value("cut \xE2\x82 and \xE9 and \xED\xA0\x80 and \xF4\x90\x80\x80");
  w.key("ints").begin_array().value(0).value(-1).value(int64_t{9007199254740993}).value(int64_t{-1772614800000}).end_array();
  w.key("doubles").begin_array();
  for (double d : {0.0, -0.0, 1.0, -2.25, 0.5, 66.666666666, 1e-7, -1e-7, 12345678.9, 0.125, 100.0, 1e15, 2.675,
                   1.0000005, 99.9999999})
    w.value(d);
  w.end_array();
  w.key("nothing").null();
  w.key("flags").begin_array().value(true).value(false).end_array();
  w.key("empty object").begin_object().end_object();
  w.key("empty array").begin_array().end_array();
  w.key("nested").begin_array().begin_object().key("a").begin_array().begin_array().end_array().end_array().end_object().end_array();
  w.key("maybe").value(std::optional<int>{7});
  w.key("").value("");
  w.end_object();
  return w.str();
}

TEST(JsonWriterGolden, BytesStayTheSame) {
  const std::string dir = std::string(CARDPOLL_TEST_DATA) + "/json/";
  for (int indent : {2, 0}) {
    const std::string actual = writer_sample(indent);
    const std::string path = dir + (indent ? "writer_pretty.golden" : "writer_compact.golden");
    const char* update = std::getenv("CARDPOLL_UPDATE_GOLDEN");
    if (update && std::string(update) == "1") std::ofstream(path, std::ios::binary) << actual;
    std::ifstream in(path, std::ios::binary);
    const std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(expected.empty()) << "missing " << path;
    EXPECT_EQ(actual, expected) << path;
  }
}

}  // namespace
}  // namespace cardpoll

// Found by fuzz_json: a number too large for a double is an error of the reader's own kind.
TEST(JsonParse, ANumberTooLargeIsAReaderError) {
  EXPECT_THROW(cardpoll::parse_json("300000000000000000000000003e202282"), std::runtime_error);
  EXPECT_THROW(cardpoll::parse_json("[1e999]"), std::runtime_error);
}
