// Moodle XML question banks (Moodle's "Moodle XML format" export), read with libxml2.
//
//   <quiz>
//     <question type="category"><category><text>$course$/top/Fractions</text></category></question>
//     <question type="multichoice">
//       <name><text>Halves</text></name>
//       <questiontext format="html"><text><![CDATA[<p>Which equals 1/2?</p>]]></text></questiontext>
//       <single>true</single>
//       <answer fraction="100" format="html"><text>2/4</text><feedback>...</feedback></answer>
//       <answer fraction="0"><text>1/3</text></answer>
//       <tags><tag><text>fractions.equivalent</text></tag></tags>
//     </question>
//     <question type="truefalse"> ... <answer fraction="100"><text>true</text></answer> ...
//   </quiz>
//
// Skills: the question's <tags>, else its category (as GIFT's $CATEGORY). The parser reads
// no DTD, fetches nothing and expands no entities of the file's own.
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <mutex>

#include "core/exchange/import_questions.h"
#include "core/exchange/import_questions_common.h"
#include "core/exchange/moodle_text.h"

namespace cardpoll {

using namespace question_import;

namespace {

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct CtxtFree {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};

bool named(const xmlNode* n, const char* name) {
  return n && n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

const xmlNode* child(const xmlNode* n, const char* name) {
  for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next)
    if (named(c, name)) return c;
  return nullptr;
}

std::vector<const xmlNode*> children(const xmlNode* n, const char* name) {
  std::vector<const xmlNode*> out;
  for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next)
    if (named(c, name)) out.push_back(c);
  return out;
}

std::string content(const xmlNode* n) {
  if (!n) return {};
  xmlChar* c = xmlNodeGetContent(n);
  std::string s = c ? reinterpret_cast<const char*>(c) : "";
  xmlFree(c);
  return s;
}

std::string attribute(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  std::string s = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return s;
}

int line_of(const xmlNode* n) { return static_cast<int>(xmlGetLineNo(n)); }

// The <text> of an element with a format attribute (questiontext, answer), as the
// projector shows it: HTML formats are cleaned; plain text only has its lines tidied.
std::string shown_text(const xmlNode* n) {
  const std::string raw = content(child(n, "text"));
  const std::string format = lower_ascii(attribute(n, "format"));
  if (format == "plain_text" || format == "markdown") {
    std::string out;
    for (const auto& l : split_lines(raw)) {
      const std::string t = trim_blanks(l);
      if (!t.empty()) out += (out.empty() ? "" : "\n") + t;
    }
    return out;
  }
  return clean_moodle_text(raw);
}

double fraction_of(const xmlNode* answer) {
  const std::string f = trim_blanks(attribute(answer, "fraction"));
  if (f.empty()) return 0;
  char* end = nullptr;
  const double v = std::strtod(f.c_str(), &end);
  return (end && *end == '\0' && std::isfinite(v)) ? v : 0;
}

struct XmlQuestion {
  const xmlNode* node;
  std::string type, name, category;
  int line;
};

std::string described(const XmlQuestion& x) {
  return x.name.empty() ? "question" : "question \"" + x.name + "\"";
}

// multichoice and truefalse become a Question; the rest is skipped with a warning.
void read_question(const XmlQuestion& x, QuestionImport& out) {
  if (x.type != "multichoice" && x.type != "truefalse") {
    skip(out, x.line,
         described(x) + " is of type \"" + x.type +
             "\": cardpoll asks multiple-choice and true/false questions");
    return;
  }
  Question q;
  q.text = shown_text(child(x.node, "questiontext"));
  for (const xmlNode* tag : children(child(x.node, "tags"), "tag"))
    add_skills(q.skills, split_skills(content(child(tag, "text"))));
  add_skills(q.skills, take_inline_skills(q.text));
  if (q.skills.empty() && !x.category.empty())
    if (const std::string c = category_skill(x.category); !c.empty()) q.skills.push_back(c);

  const auto answers = children(x.node, "answer");
  int right = -1, positive = 0;
  for (size_t k = 0; k < answers.size(); ++k) {
    const double f = fraction_of(answers[k]);
    if (f > 0) ++positive;
    if (f >= 100) right = static_cast<int>(k);
    q.choices.push_back(shown_text(answers[k]));
  }
  if (x.type == "multichoice" && lower_ascii(trim_blanks(content(child(x.node, "single")))) == "false" && positive > 1) {
    skip(out, x.line, described(x) + " has several right answers (" + std::to_string(positive) +
                          " answers earn marks); a card gives one answer");
    return;
  }
  if (positive > 1) {
    skip(out, x.line, described(x) + " gives partial credit to " + std::to_string(positive) +
                          " answers; a card gives one answer");
    return;
  }
  if (positive == 1 && right < 0) {
    skip(out, x.line, described(x) + " gives only partial credit: no answer is worth 100 %");
    return;
  }
  if (q.choices.size() > 4) {
    skip(out, x.line, described(x) + " has " + std::to_string(q.choices.size()) +
                          " choices, but a card has only four edges (A-D)");
    return;
  }
  if (x.type == "truefalse") {
    if (q.choices.size() != 2)
      throw ImportError(out.file, x.line, described(x) + ": a true/false question needs two answers, true and false");
    // Moodle writes the answers "true" and "false" in either order.
    const bool true_first = lower_ascii(q.choices[0]) != "false";
    if (right >= 0) q.correct = (right == 0) == true_first ? Answer::A : Answer::B;
    q.choices = {"True", "False"};
    q.true_false = true;
  } else if (right >= 0) {
    q.correct = static_cast<Answer>(right);
  }
  if (q.text.empty()) throw ImportError(out.file, x.line, described(x) + " has no question text");
  add_question(out, std::move(q), x.line);
}

struct FirstError {
  bool seen = false;
  int line = 0;
  std::string message;
};

void keep_first_error(void* user_data, xmlErrorPtr e) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(user_data);
  auto* first = ctxt ? static_cast<FirstError*>(ctxt->_private) : nullptr;
  if (!first || first->seen || !e || e->level < XML_ERR_ERROR) return;
  first->seen = true;
  first->line = e->line;
  first->message = e->message ? trim_blanks(e->message) : "not well-formed";
}

xmlDoc* parse_document(std::string_view text, const std::string& file_name) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
  std::unique_ptr<xmlParserCtxt, CtxtFree> ctxt(xmlNewParserCtxt());
  if (!ctxt) throw std::bad_alloc();
  // The first error is the one to show (later ones follow from it); libxml2 keeps only the last.
  FirstError first;
  ctxt->_private = &first;
  ctxt->sax->serror = keep_first_error;
  // No network, no DTD, no entity substitution, no messages on stderr: errors come back here.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
  xmlDoc* doc = xmlCtxtReadMemory(ctxt.get(), text.data(), static_cast<int>(text.size()), file_name.c_str(),
                                  "UTF-8", options);
  if (!doc || first.seen) {
    if (doc) xmlFreeDoc(doc);
    const xmlError* last = xmlCtxtGetLastError(ctxt.get());
    const std::string why = first.seen ? first.message : last && last->message ? trim_blanks(last->message) : "not well-formed";
    throw ImportError(file_name, first.seen ? first.line : last ? last->line : 0,
                      "this is not a readable XML file (" + why + "); export the questions again from Moodle");
  }
  return doc;
}

}  // namespace

QuestionImport parse_questions_moodle_xml(std::string_view raw, const std::string& file_name) {
  const std::string_view text = check_text(raw, file_name);
  // Moodle never declares entities; a file that does could make the parser expand text
  // without end (the "billion laughs"), so it is refused before parsing.
  if (text.find("<!ENTITY") != std::string_view::npos)
    throw ImportError(file_name, 0, "this XML file declares its own entities (<!ENTITY>), which Moodle's exports never do");
  if (text.size() > static_cast<size_t>(INT32_MAX)) throw ImportError(file_name, 0, "the file is too large");
  QuestionImport out;
  out.file = file_name;
  out.format = QuestionFormat::MoodleXml;
  std::unique_ptr<xmlDoc, DocFree> doc(parse_document(text, file_name));
  const xmlNode* quiz = xmlDocGetRootElement(doc.get());
  if (!named(quiz, "quiz"))
    throw ImportError(file_name, quiz ? line_of(quiz) : 0,
                      "this XML file is not a Moodle question export (its first element is not <quiz>)");
  std::string category;
  for (const xmlNode* n : children(quiz, "question")) {
    XmlQuestion x{n, lower_ascii(trim_blanks(attribute(n, "type"))), trim_blanks(content(child(child(n, "name"), "text"))),
                  category, line_of(n)};
    if (x.type == "category") {
      category = trim_blanks(content(child(child(n, "category"), "text")));
      continue;
    }
    read_question(x, out);
  }
  require_some_questions(out);
  return out;
}

}  // namespace cardpoll
