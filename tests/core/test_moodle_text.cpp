// Moodle text for the projector: tags out, line breaks kept, entities decoded, format markers
// dropped, <pre> kept, and text that only looks like HTML left alone.
#include <gtest/gtest.h>

#include "core/exchange/moodle_text.h"

namespace cardpoll {
namespace {

TEST(MoodleText, TagsRemovedLineBreaksKept) {
  EXPECT_EQ(clean_moodle_text("<p dir=\"ltr\">Which <b>planet</b>?<br />Pick one.</p>"), "Which planet?\nPick one.");
  EXPECT_EQ(clean_moodle_text("<p>One</p>\n<p>Two</p>"), "One\nTwo");
  EXPECT_EQ(clean_moodle_text("See <a href=\"https://x.example\">the map</a>."), "See the map.");
  EXPECT_EQ(clean_moodle_text("<ul><li>a</li><li>b</li></ul>"), "\xE2\x80\xA2 a\n\xE2\x80\xA2 b");
  EXPECT_EQ(clean_moodle_text("<img src=\"@@PLUGINFILE@@/p.png\" alt=\"x\">Caption"), "Caption");
  // In HTML the source's own line breaks are spaces, as a browser shows them.
  EXPECT_EQ(clean_moodle_text("<p>a\nlong   line</p>"), "a long line");
}

TEST(MoodleText, EntitiesDecoded) {
  EXPECT_EQ(clean_moodle_text("5 &lt; 7 &amp;&amp; 7 &gt; 5"), "5 < 7 && 7 > 5");
  EXPECT_EQ(clean_moodle_text("caf&eacute; &#233; &#xE9; &nbsp;x"), "café é é x");
  EXPECT_EQ(clean_moodle_text("&frac12; &ndash; &hellip; &quot;q&quot; &#39;s"), "½ – … \"q\" 's");
  EXPECT_EQ(clean_moodle_text("&unknown; & alone &#;"), "&unknown; & alone &#;");
  EXPECT_EQ(clean_moodle_text("&#0; &#x110000;"), "\xEF\xBF\xBD \xEF\xBF\xBD");  // never a NUL or an invalid character
}

TEST(MoodleText, FormatMarkersDropped) {
  EXPECT_EQ(clean_moodle_text("[html]<b>x</b>"), "x");
  EXPECT_EQ(clean_moodle_text("  [PLAIN]just text"), "just text");
  EXPECT_EQ(clean_moodle_text("[markdown]*stays*"), "*stays*");
  EXPECT_EQ(clean_moodle_text("[moodle]a"), "a");
  EXPECT_EQ(clean_moodle_text("not [html] at the start"), "not [html] at the start");
}

TEST(MoodleText, PreKeptAsItIs) {
  EXPECT_EQ(clean_moodle_text("<p>Run:</p><pre>for i in x:\n    print(i &lt; 2)</pre><p>What?</p>"),
            "Run:\nfor i in x:\n    print(i < 2)\nWhat?");
}

TEST(MoodleText, PlainTextThatLooksLikeHtmlIsLeftAlone) {
  EXPECT_EQ(clean_moodle_text("x < y and y > z"), "x < y and y > z");
  EXPECT_EQ(clean_moodle_text("a <= b"), "a <= b");
  EXPECT_EQ(clean_moodle_text("first line\n  second   line "), "first line\nsecond line");
  EXPECT_EQ(clean_moodle_text("<unclosed"), "<unclosed");
  EXPECT_EQ(clean_moodle_text(""), "");
}

}  // namespace
}  // namespace cardpoll
