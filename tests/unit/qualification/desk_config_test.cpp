// The front desk's configuration file: the documented example, defaults,
// and each refusal naming its key.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <string>

#include "core/error.h"
#include "qualification/desk_config.h"
#include "support/temp_dir.h"

namespace q = mynacard::qualification;
using mynacard::Errc;
using mynacard::Error;
using namespace std::chrono_literals;

namespace {

class DeskConfigTest : public ::testing::Test {
  protected:
    q::DeskConfig load(const std::string& text) {
        std::ofstream(file_, std::ios::binary | std::ios::trunc) << text;
        return q::load_desk_config(file_);
    }
    // The message of the refusal of `text`, "" when it was accepted.
    std::string refusal(const std::string& text) {
        try {
            (void)load(text);
            return "";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), Errc::invalid_argument) << e.what();
            return e.what();
        }
    }
    mynacard::test::TempDir dir_{"desk-config"};
    std::filesystem::path file_ = dir_ / "desk.json";
};

// The example of docs/front-desk.md.
constexpr const char* kExample = R"({
  "institution_code": "1312345678",
  "terminal": { "root": "/mnt/oqs" },
  "export_dir": "/srv/clinic/qualification",
  "state_dir": "/var/lib/clinic-desk/state",
  "language": { "reception": "ja", "patient": "en" },
  "large_text": true,
  "reader": "ACS ACR39U ICC Reader 00 00",
  "timeouts": { "idle": 60, "pin": 45, "check": 20, "result": 90 }
})";

std::string with(const std::string& body) {
    return R"({"institution_code": "1312345678", "terminal": {"root": "/mnt/oqs"},
               "export_dir": "/srv/export")" +
           body + "}";
}

}  // namespace

TEST_F(DeskConfigTest, TheDocumentedExample) {
    const auto c = load(kExample);
    EXPECT_EQ(c.institution_code, "1312345678");
    ASSERT_TRUE(c.terminal);
    EXPECT_EQ(c.terminal->root, "/mnt/oqs");
    EXPECT_FALSE(c.reference);
    EXPECT_EQ(c.face_dir, "/mnt/oqs/face");
    EXPECT_EQ(c.export_dir, "/srv/clinic/qualification");
    EXPECT_EQ(c.state_dir, "/var/lib/clinic-desk/state");
    EXPECT_EQ(c.reception_language, q::Language::ja);
    EXPECT_EQ(c.patient_language, q::Language::en);
    EXPECT_TRUE(c.large_text);
    EXPECT_EQ(c.reader, "ACS ACR39U ICC Reader 00 00");
    EXPECT_EQ(c.timeouts.idle, 60s);
    EXPECT_EQ(c.timeouts.pin, 45s);
    EXPECT_EQ(c.timeouts.check, 20s);
    EXPECT_EQ(c.timeouts.result, 90s);
    EXPECT_EQ(c.export_queue_file(), "/var/lib/clinic-desk/state/export-queue.sqlite");
    EXPECT_EQ(c.face_journal_file(), "/var/lib/clinic-desk/state/face-journal.sqlite");
}

TEST_F(DeskConfigTest, DefaultsOfAMinimalFile) {
    ::setenv("XDG_STATE_HOME", (dir_ / "state").c_str(), 1);
    const auto c = load(R"({"institution_code": "1312345678",
        "reference": {"url": "https://127.0.0.1:8443", "ca": "/etc/desk/server.pem"},
        "export_dir": "/srv/export"})");
    ::unsetenv("XDG_STATE_HOME");
    ASSERT_TRUE(c.reference);
    EXPECT_EQ(c.reference->url, "https://127.0.0.1:8443");
    EXPECT_EQ(c.reference->ca, "/etc/desk/server.pem");
    EXPECT_TRUE(c.face_dir.empty());  // no terminal, no face folder
    EXPECT_EQ(c.state_dir, dir_ / "state" / "mynacard" / "front-desk");
    EXPECT_EQ(c.reception_language, q::Language::ja);
    EXPECT_EQ(c.patient_language, q::Language::ja);
    EXPECT_FALSE(c.large_text);
    EXPECT_TRUE(c.reader.empty());
    EXPECT_EQ(c.timeouts.idle, 90s);
    EXPECT_EQ(c.timeouts.pin, 60s);
    EXPECT_EQ(c.timeouts.check, 30s);
    EXPECT_EQ(c.timeouts.result, 120s);
}

TEST_F(DeskConfigTest, BothBackendsAndAnOwnFaceFolder) {
    const auto c = load(with(R"(, "reference": {"url": "https://[::1]:8443", "ca": "/ca.pem"},
                                  "face_dir": "/mnt/face/")"));
    EXPECT_TRUE(c.reference);
    EXPECT_TRUE(c.terminal);
    EXPECT_EQ(c.face_dir, "/mnt/face/");
}

TEST_F(DeskConfigTest, EachRefusalNamesItsKey) {
    const struct {
        std::string text;
        std::string key;
    } cases[] = {
        {"[]", "(top level)"},
        {with(R"(, "colour": "blue")"), "\"colour\""},
        {with(R"(, "timeouts": {"idel": 60})"), "\"timeouts.idel\""},
        {with(R"(, "language": {"reception": "ja", "patien": "en"})"), "\"language.patien\""},
        {R"({"terminal": {"root": "/t"}, "export_dir": "/e"})", "\"institution_code\""},
        {R"({"institution_code": "131234567", "terminal": {"root": "/t"}, "export_dir": "/e"})",
         "\"institution_code\""},
        {R"({"institution_code": 1312345678, "terminal": {"root": "/t"}, "export_dir": "/e"})",
         "\"institution_code\""},
        {R"({"institution_code": "1312345678", "export_dir": "/e"})", "\"reference\""},
        {R"({"institution_code": "1312345678", "terminal": {"root": "/t"}})", "\"export_dir\""},
        {with(R"(, "reference": {"url": "http://127.0.0.1:8443", "ca": "/ca.pem"})"),
         "\"reference.url\""},
        {with(R"(, "reference": {"url": "https://127.0.0.1:8443"})"), "\"reference.ca\""},
        {with(R"(, "reference": {"url": "https://h", "ca": "ca.pem"})"), "\"reference.ca\""},
        {with(R"(, "reference": "https://h")"), "\"reference\""},
        {R"({"institution_code": "1312345678", "terminal": {"root": "oqs"}, "export_dir": "/e"})",
         "\"terminal.root\""},
        {R"({"institution_code": "1312345678", "terminal": {"root": "/t"}, "export_dir": "e"})",
         "\"export_dir\""},
        {with(R"(, "state_dir": "")"), "\"state_dir\""},
        {with(R"(, "face_dir": "face")"), "\"face_dir\""},
        {with(R"(, "language": {"reception": "fr"})"), "\"language.reception\""},
        {with(R"(, "large_text": "yes")"), "\"large_text\""},
        {with(R"(, "reader": "a\nb")"), "\"reader\""},
        {with(R"(, "timeouts": {"idle": 5})"), "\"timeouts.idle\""},
        {with(R"(, "timeouts": {"idle": 3601})"), "\"timeouts.idle\""},
        {with(R"(, "timeouts": {"pin": 301})"), "\"timeouts.pin\""},
        {with(R"(, "timeouts": {"check": 4})"), "\"timeouts.check\""},
        {with(R"(, "timeouts": {"result": 9})"), "\"timeouts.result\""},
        {with(R"(, "timeouts": {"check": 20.5})"), "\"timeouts.check\""},
        {with(R"(, "timeouts": {"check": "20"})"), "\"timeouts.check\""},
    };
    for (const auto& c : cases) {
        const std::string why = refusal(c.text);
        EXPECT_NE(why.find(c.key), std::string::npos) << c.text << "\n→ " << why;
    }
}

TEST_F(DeskConfigTest, BoundsThemselvesAreAccepted) {
    const auto c = load(with(R"(, "timeouts": {"idle": 10, "pin": 300, "check": 5,
                                               "result": 3600})"));
    EXPECT_EQ(c.timeouts.idle, 10s);
    EXPECT_EQ(c.timeouts.pin, 300s);
    EXPECT_EQ(c.timeouts.check, 5s);
    EXPECT_EQ(c.timeouts.result, 3600s);
}

TEST_F(DeskConfigTest, FileProblems) {
    try {
        (void)q::load_desk_config(dir_ / "missing.json");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::not_found);
    }
    EXPECT_NE(refusal("{ \"institution_code\": "), "");              // not JSON
    EXPECT_NE(refusal(std::string(70 * 1024, ' ') + with("")), "");  // too large
    try {
        (void)q::load_desk_config(dir_.path());  // a folder
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::invalid_argument);
    }
}

// parse_desk_config is the loader without the file: the same results and
// refusals, the message naming the text instead of the file.
TEST_F(DeskConfigTest, TextParsesLikeTheFile) {
    const auto from_file = load(kExample);
    const auto from_text = q::parse_desk_config(kExample);
    EXPECT_EQ(from_text.institution_code, from_file.institution_code);
    EXPECT_EQ(from_text.terminal->root, from_file.terminal->root);
    EXPECT_EQ(from_text.export_dir, from_file.export_dir);
    EXPECT_EQ(from_text.state_dir, from_file.state_dir);
    EXPECT_EQ(from_text.reader, from_file.reader);
    EXPECT_EQ(from_text.timeouts.result, from_file.timeouts.result);
    for (const std::string& text :
         {with(R"(, "timeouts": {"pin": 301})"), std::string("{ \"institution_code\": "),
          std::string(70 * 1024, ' ') + with("")}) {
        const std::string from_file_why = refusal(text);
        try {
            (void)q::parse_desk_config(text);
            ADD_FAILURE() << text.substr(0, 80);
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), Errc::invalid_argument);
            // The file's message names the file where the text's does not.
            std::string expected = from_file_why;
            const std::string file_name = " " + file_.string();
            if (const auto at = expected.find(file_name); at != std::string::npos)
                expected.erase(at, file_name.size());
            EXPECT_EQ(e.what(), expected);
        }
    }
}

// Found by fuzzing the kiosk's file and then checked here: a number beyond
// a double is nlohmann's out_of_range, not parse_error, and escaped the
// loader (tests/fuzz/desk_config/invalid_number_overflow.json).
TEST_F(DeskConfigTest, NumberBeyondADoubleIsRefused) {
    EXPECT_NE(refusal(with(R"(, "timeouts": {"idle": 1e999})")).find("not JSON"),
              std::string::npos);
    EXPECT_THROW((void)q::parse_desk_config(with(R"(, "large_text": -1e400)")), Error);
}
