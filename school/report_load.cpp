// Reading a school report's data from the server into core's structs, in one read-only
// transaction, so that core/item_analysis works on it exactly as on a laptop's own session.
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "school/report.h"
#include "school/server.h"

namespace cardpoll::school {

namespace {

// READ ONLY: the server refuses any write inside it; REPEATABLE READ: one snapshot for all the
// queries of the report, even while laptops push.
using ReadOnly = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

// Report-local numbers for the server's uids (core's structs link rows by number).
struct Numbers {
  std::map<std::string, Id> ids;
  Id of(const std::string& uid) {
    auto [it, added] = ids.emplace(uid, static_cast<Id>(ids.size() + 1));
    return it->second;
  }
};

std::vector<std::string> json_list(const pqxx::field& f) {
  std::vector<std::string> out;
  for (const auto& v : nlohmann::json::parse(f.c_str())) out.push_back(v.get<std::string>());
  return out;
}

std::optional<TimeMs> optional_time(const pqxx::field& f) {
  return f.is_null() ? std::nullopt : std::optional<TimeMs>(f.as<TimeMs>());
}

// The live rows of sessions of sets named $1 (not deleted, and their class and set there too).
const char* const kSessionsOfSet =
    " FROM sessions s JOIN question_sets qs ON qs.uid = s.set_uid JOIN classes c ON c.uid = s.class_uid"
    " WHERE qs.name = $1 AND qs.deleted_at IS NULL AND s.deleted_at IS NULL AND c.deleted_at IS NULL";

void load_sets(ReadOnly& tx, const std::string& name, Numbers& n, std::map<Id, QuestionSet>& sets) {
  for (const auto& row : tx.exec_params(
           "SELECT q.uid, q.set_uid, q.position, q.text, q.true_false, q.correct, q.choices, q.skills, qs.name"
           " FROM questions q JOIN question_sets qs ON qs.uid = q.set_uid"
           " WHERE qs.name = $1 AND qs.deleted_at IS NULL AND q.deleted_at IS NULL ORDER BY q.set_uid, q.position",
           name)) {
    Question q;
    q.id = n.of(row[0].c_str());
    q.set_id = n.of(row[1].c_str());
    q.position = row[2].as<int>();
    q.text = row[3].c_str();
    q.true_false = row[4].as<int>() != 0;
    if (!row[5].is_null()) q.correct = static_cast<Answer>(row[5].as<int>());
    q.choices = json_list(row[6]);
    q.skills = json_list(row[7]);
    QuestionSet& set = sets[q.set_id];
    set.id = q.set_id;
    set.name = row[8].c_str();
    set.questions.push_back(std::move(q));
  }
}

void load_students(ReadOnly& tx, const std::string& name, Numbers& n, std::map<Id, std::vector<Student>>& by_class) {
  for (const auto& row : tx.exec_params(
           "SELECT st.uid, st.class_uid, st.display_name, st.first_name, st.last_name, st.card, st.sis_id, st.email"
           " FROM students st WHERE st.deleted_at IS NULL AND st.class_uid IN (SELECT s.class_uid" +
               std::string(kSessionsOfSet) + ") ORDER BY st.class_uid, st.card NULLS LAST, st.display_name",
           name)) {
    Student s;
    s.id = n.of(row[0].c_str());
    s.class_id = n.of(row[1].c_str());
    s.display_name = row[2].c_str();
    s.first_name = row[3].c_str();
    s.last_name = row[4].c_str();
    s.card = row[5].is_null() ? 0 : row[5].as<int>();
    s.sis_id = row[6].c_str();
    s.email = row[7].c_str();
    by_class[s.class_id].push_back(std::move(s));
  }
}

}  // namespace

SetReport load_set_report(pqxx::connection& c, const std::string& set_name) {
  require_readable_schema(c);
  SetReport r;
  r.set_name = set_name;
  try {
    ReadOnly tx(c, "school report");
    Numbers n;
    std::map<Id, QuestionSet> sets;
    load_sets(tx, set_name, n, sets);
    std::map<Id, std::vector<Student>> students;
    load_students(tx, set_name, n, students);
    std::map<Id, size_t> column_of;  // session number -> its column
    for (const auto& row : tx.exec_params(
             "SELECT s.uid, s.class_uid, s.set_uid, s.started_at, s.ended_at, c.name, c.deck,"
             " coalesce((SELECT name FROM laptops WHERE laptop_uid = s.origin), '')" +
                 std::string(kSessionsOfSet) + " ORDER BY c.name, s.started_at, s.uid",
             set_name)) {
      ClassColumn col;
      SessionData& d = col.data;
      d.session.id = n.of(row[0].c_str());
      d.session.class_id = n.of(row[1].c_str());
      d.session.set_id = n.of(row[2].c_str());
      d.session.started_at = row[3].as<TimeMs>();
      d.session.ended_at = optional_time(row[4]);
      d.klass = {d.session.class_id, row[5].c_str(), row[6].c_str()};
      d.set = sets[d.session.set_id];
      d.students = students[d.session.class_id];
      col.teacher = row[7].c_str();
      column_of[d.session.id] = r.classes.size();
      r.classes.push_back(std::move(col));
    }
    if (r.classes.empty())
      throw ServerError("no class on the school server has used a question set named \"" + set_name + "\"");
    for (const auto& row : tx.exec_params(
             "SELECT a.uid, a.session_uid, a.question_uid, a.number, a.opened_at, a.closed_at FROM asks a"
             " WHERE a.deleted_at IS NULL AND a.session_uid IN (SELECT s.uid" +
                 std::string(kSessionsOfSet) + ") ORDER BY a.session_uid, a.number",
             set_name)) {
      Ask a{n.of(row[0].c_str()), n.of(row[1].c_str()), n.of(row[2].c_str()), row[3].as<int>(),
            row[4].as<TimeMs>(), optional_time(row[5])};
      r.classes[column_of.at(a.session_id)].data.asks.push_back(a);
    }
    std::map<Id, Id> session_of_ask;
    for (const auto& col : r.classes)
      for (const auto& a : col.data.asks) session_of_ask[a.id] = a.session_id;
    for (const auto& row : tx.exec_params(
             "SELECT r.ask_uid, r.student_uid, r.answer, r.first_seen, r.last_changed FROM responses r"
             " JOIN asks a ON a.uid = r.ask_uid AND a.deleted_at IS NULL"
             " WHERE r.deleted_at IS NULL AND a.session_uid IN (SELECT s.uid" +
                 std::string(kSessionsOfSet) + ")",
             set_name)) {
      Response x{n.of(row[0].c_str()), n.of(row[1].c_str()), static_cast<Answer>(row[2].as<int>()),
                 row[3].as<TimeMs>(), row[4].as<TimeMs>()};
      auto s = session_of_ask.find(x.ask_id);
      if (s != session_of_ask.end()) r.classes[column_of.at(s->second)].data.responses.push_back(x);
    }
    tx.commit();
  } catch (const ServerError&) {
    throw;
  } catch (const std::exception& e) {
    rethrow_as_server_error(e, "reading the school report");
  }
  for (auto& col : r.classes) col.analysis = analyse_items(col.data);
  return r;
}

StudentReport load_student_report(pqxx::connection& c, const std::string& school_id) {
  require_readable_schema(c);
  StudentReport r;
  r.school_id = school_id;
  try {
    ReadOnly tx(c, "student report");
    for (const auto& row : tx.exec_params(
             "SELECT DISTINCT display_name FROM students WHERE sis_id = $1 AND sis_id <> '' AND deleted_at IS NULL"
             " ORDER BY display_name",
             school_id))
      r.names.push_back(row[0].c_str());
    if (r.names.empty())
      throw ServerError("no student with school id \"" + school_id + "\" on the school server");
    for (const auto& row : tx.exec_params(
             "SELECT c.name, coalesce((SELECT name FROM laptops WHERE laptop_uid = s.origin), ''), qs.name,"
             " s.started_at, count(*), count(q.correct), count(*) FILTER (WHERE r.answer = q.correct)"
             " FROM students st JOIN responses r ON r.student_uid = st.uid AND r.deleted_at IS NULL"
             " JOIN asks a ON a.uid = r.ask_uid AND a.deleted_at IS NULL"
             " JOIN questions q ON q.uid = a.question_uid"
             " JOIN sessions s ON s.uid = a.session_uid AND s.deleted_at IS NULL"
             " JOIN question_sets qs ON qs.uid = s.set_uid JOIN classes c ON c.uid = s.class_uid"
             " WHERE st.sis_id = $1 AND st.sis_id <> '' AND st.deleted_at IS NULL"
             " GROUP BY s.uid, c.name, s.origin, qs.name, s.started_at ORDER BY s.started_at, c.name",
             school_id))
      r.sessions.push_back({row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].as<TimeMs>(), row[4].as<int>(),
                            row[5].as<int>(), row[6].as<int>()});
    tx.commit();
  } catch (const ServerError&) {
    throw;
  } catch (const std::exception& e) {
    rethrow_as_server_error(e, "reading the student report");
  }
  return r;
}

}  // namespace cardpoll::school
