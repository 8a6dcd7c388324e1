// The teacher's app: the plain state every screen reads and writes. Screens draw it with Dear
// ImGui and call core functions (core/teacher_tasks.h, core/store/storage.h, ...) for every change;
// what is not drawing lives in app_tasks.h and file_chooser.h, where tests can reach it.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/store/db.h"
#include "core/groups/groups.h"
#include "core/model.h"
#include "core/store/settings.h"
#include "core/store/storage.h"
#include "core/teacher_tasks.h"

namespace cardpoll::ui {

enum class Screen { Classes, Questions, Lesson, Results, Settings };
inline constexpr Screen kScreens[] = {Screen::Classes, Screen::Questions, Screen::Lesson, Screen::Results,
                                      Screen::Settings};
const char* screen_title(Screen s);
// "classes", "questions", ... (for `cardpoll app --screen`); nullopt for any other word.
std::optional<Screen> screen_from_name(const std::string& name);

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
  float cx() const { return x + w / 2; }
  float cy() const { return y + h / 2; }
};

// A file chooser built over std::filesystem (file_chooser.h). A screen opens it with a
// purpose; when the teacher picks a file, `chosen` is set for that purpose.
struct FileChooser {
  bool open = false;        // shown this frame
  bool saving = false;      // a file to write (name typed) or to read (must exist)
  std::string title;
  std::string purpose;      // e.g. "roster", "questions", "export", "cards"
  std::filesystem::path folder;
  std::string name;         // the file name being typed or clicked
  std::vector<std::string> extensions;  // ".csv" ...; empty: every file
  std::string error;
  std::optional<std::filesystem::path> chosen;
  std::string chosen_purpose;
};

struct StudentEdit {  // the fields of one roster row as typed
  std::string name, tags;
  int card = 0;
};

struct ClassesState {
  int loaded = -1;                 // data_version the lists were read at
  std::vector<ClassInfo> classes;
  Id selected = 0;
  std::vector<Student> students;   // of the selected class
  std::map<Id, StudentEdit> edits;
  std::string new_class, new_student, new_tags;
  bool replace = false;            // a roster import replaces the roster
  bool a4 = false;                 // cards on A4 (else Letter)
  int per_page = 1;
  std::optional<std::filesystem::path> pending_drop;  // a roster dropped while a class is chosen:
                                                       // into it, or a new class? (asked)
  std::string rename;              // the new name typed for the chosen class
  bool confirm_delete = false;     // "Delete..." pressed once: asks again
  TaskReport report;
};

struct QuestionEdit {
  std::string text, skills;
  std::vector<std::string> choices;  // 2-4
  int correct = -1;                  // -1: survey (no right answer)
  int asked = 0;                     // times asked: asked questions are read only
};

struct QuestionsState {
  int loaded = -1;
  std::vector<QuestionSetSummary> sets;
  Id selected = 0;
  QuestionSet set;                   // the selected set with its questions
  std::map<Id, QuestionEdit> edits;
  QuestionEdit draft{"", "", {"", "", "", ""}, 0, 0};  // the question being added
  std::string new_set;
  int format = 0;                    // index into question_import_formats()
  bool a4 = false;                   // command cards on A4 (else Letter)
  std::optional<std::filesystem::path> pending_drop;  // as ClassesState::pending_drop
  std::string rename;
  bool confirm_delete = false;
  TaskReport report;
};

// What the Lesson screen asks the program to run (cmd_app runs it with `cardpoll live`'s code).
struct LessonRequest {
  std::string class_name, set_name;  // both empty: the demo class and quiz
  bool demo_recording = false;       // else camera `camera`
  int camera = 0;
  std::string camera_profile;        // "" none
  int quit_after_seconds = 0;        // 0: until the teacher ends it (`cardpoll app --quit-after`)
};

// What the Lesson screen's camera check shows; the program (cmd_app) fills it frame by frame
// from the chosen camera with `cardpoll calibrate range`'s check.
struct CameraCheckView {
  int width = 0, height = 0;
  std::vector<uint8_t> rgba;         // the last frame (cards outlined), at most 640 px wide
  int version = 0;                   // bumped with every new frame
  int frames = 0;                    // frames looked at
  std::string source;                // what is being looked at
  std::vector<std::string> cards;    // "card 12 (B): 41 px wide" for each card in the last frame
  std::string verdict;               // the range check's recall, as `calibrate range` says it
  std::vector<std::string> advice;   // what would fix a shortfall, in words
  std::string error;                 // the camera cannot be opened, ...
};

struct LessonState {
  int loaded = -1;
  std::vector<ClassInfo> classes;
  std::vector<QuestionSetSummary> sets;
  int klass = 0, set = 0;            // indexes into the lists; set == sets.size(): quick questions
  bool demo_recording = true;
  int camera = 0;
  bool checking = false;             // the camera check runs (its view below)
  CameraCheckView check;
  TaskReport report;
};

struct ResultsState {
  int loaded = -1;
  std::vector<ClassInfo> classes;
  int class_filter = 0;              // 0: every class; else classes[class_filter - 1]
  std::vector<SessionSummary> sessions;
  Id selected = 0;
  std::optional<SessionData> data;   // the selected session
  int tab = 0;                       // 0 answers, 1 item analysis, 2 groups, 3 the session
  int open_tab = -1;                 // a tab to select at the next frame
  int format = 0;                    // index into export_choices()
  int per = 0;                       // gradebooks: 0 an assignment per session, 1 per ask
  int lessons = 0;                   // gradebooks: 0 this lesson, 1 every lesson of the class, 2 the days below
  std::string from_day, to_day;      // gradebooks: YYYY-MM-DD, both included (the lesson's day at first)
  std::string rename;
  bool confirm_delete = false;
  // Groups from this session: the suggestion as the teacher has adjusted it (dragging).
  int group_mode = 0;                // needs, mixed, misconception, discuss
  int group_by = 0;                  // skill, question, quiz (needs and mixed)
  int group_size = 0;                // index into group_sizes(): 0 as the rules say (3-4)
  int discuss_ask = 0;               // discuss: 0 the question nearest 50% right, else its number
  uint64_t group_seed = 1;           // another arrangement: the next seed (`--seed`)
  std::string group_rules;           // apart / together / size lines, as a constraints file
  std::optional<Grouping> grouping;
  Id grouping_session = 0;           // the session it was made from
  bool grouping_saved = false;
  TaskReport report;
};

struct SettingsState {
  bool loaded = false;
  std::string database, camera_profile;
  int deck = 0;
  // A lens profile made from here: the program runs `cardpoll calibrate camera --source
  // SOURCE --out FILE` and its lines are shown as they come; on success the profile is filled
  // in above, to be saved.
  std::string calibration_source = "0", calibration_out;
  bool calibrating = false;
  std::vector<std::string> calibration_lines;
  std::optional<int> calibration_exit;  // its exit status once it ended
  TaskReport report;
  // The school server: the address (saved with the settings), the password (typed, never saved).
  std::string school_address, school_password;
  std::string school_running;             // "push" or "status" while one runs
  std::vector<std::string> school_lines;  // what the last push or status said
  std::string school_error;
};

// The school server (`cardpoll sync`): the program (app/cmd_app.cpp) hands the screen its push
// and status functions, so display/ knows nothing of PostgreSQL. Both return the lines the
// command prints and throw std::exception in its words; `password` is the field's ("" none),
// given to the server only when it asks for one, as the command's prompt would.
struct SchoolServerTasks {
  using Progress = std::function<void(const std::string& line)>;
  std::function<std::vector<std::string>(const std::filesystem::path& db, const std::string& address,
                                         const std::string& password, const Progress& progress)>
      push;
  std::function<std::vector<std::string>(const std::filesystem::path& db, const std::string& address,
                                          const std::string& password)>
      status;
  // Throws the command's refusal for an address that is not one, or carries a password (the
  // settings file keeps the address, never a password).
  std::function<void(const std::string& address)> check_address;
};

// A push or status running on a thread of its own while the window keeps drawing; the screen
// polls it every frame (poll_school_job). Joined when it is dropped.
struct SchoolJob {
  std::mutex m;
  std::vector<std::string> lines;  // under m: the progress lines, then the result lines
  std::string error;               // under m
  bool finished = false;           // under m
  std::thread worker;
  ~SchoolJob() {
    if (worker.joinable()) worker.join();
  }
};

struct AppState {
  Database db;
  std::filesystem::path program;     // the cardpoll executable (the calibration runs it)
  std::filesystem::path settings_file;
  Settings settings;
  Screen screen = Screen::Classes;
  int data_version = 0;              // bumped after every change: screens reload their lists

  ClassesState classes;
  QuestionsState questions;
  LessonState lesson;
  ResultsState results;
  SettingsState settings_ui;
  SchoolServerTasks school;              // filled by the program; empty: no school server here
  std::unique_ptr<SchoolJob> school_job; // the push or status running
  FileChooser chooser;
  std::filesystem::path last_folder; // where the chooser opens

  std::vector<std::filesystem::path> dropped;  // files dropped on the window, not yet handled
  std::optional<LessonRequest> lesson_request;
  bool quit = false;
  // Where each named widget was drawn in the last frame (window pixels): scripted tests click
  // these, and the docs' screenshots are cut along them.
  std::map<std::string, Rect> widgets;
};

}  // namespace cardpoll::ui
