// The export queue over real folders: names, the two files and their
// content, atomic writes that never follow a planted symlink, a folder that
// is missing or not writable (queued, retried, also after a restart), and
// the queue's own file.

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "core/error.h"
#include "fixtures.h"
#include "qualification/export_queue.h"
#include "qualification/xml_msg.h"
#include "support/temp_dir.h"

namespace q = mynacard::qualification;
namespace fs = std::filesystem;
using namespace qualification_test;
using mynacard::Bytes;

namespace {

// 2025-03-01 00:30:15 UTC.
const auto kReceived = std::chrono::system_clock::from_time_t(1740789015);

class ExportQueueTest : public ::testing::Test {
  protected:
    void SetUp() override {
        // Names carry local time: the test fixes the zone.
        if (const char* tz = ::getenv("TZ")) saved_tz_ = tz;
        ::setenv("TZ", "UTC", 1);
        ::tzset();
        fs::create_directories(export_);
    }
    void TearDown() override {
        if (saved_tz_)
            ::setenv("TZ", saved_tz_->c_str(), 1);
        else
            ::unsetenv("TZ");
        ::tzset();
    }

    static q::XmlMsg answer(const std::string& id = "face0001") {
        auto m = q::parse(bytes(fixture("card_result_full.xml")));
        m.header.arbitrary_file_identifier = id;
        return m;
    }
    static q::ExportItem item(const q::XmlMsg& m, q::Encoding encoding) {
        return {m, q::write(m, encoding), kReceived};
    }
    // The names in the export folder, sorted.
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(export_)) out.push_back(e.path().filename());
        std::sort(out.begin(), out.end());
        return out;
    }
    Bytes read(const fs::path& p) const { return bytes(read_text(p)); }

    mynacard::test::TempDir dir_{"export-queue"};
    fs::path export_ = dir_ / "export";
    fs::path db_ = dir_ / "state" / "queue.sqlite";
    std::optional<std::string> saved_tz_;
};

using Names = std::vector<std::string>;

}  // namespace

TEST_F(ExportQueueTest, NamesCarryTheTimeAndTheIdentifierOnly) {
    EXPECT_EQ(q::ExportQueue::base_name(answer("face0001"), kReceived), "20250301-003015_face0001");
    EXPECT_EQ(q::ExportQueue::base_name(answer("A-b_9"), kReceived), "20250301-003015_A-b_9");
    const std::regex random_id("20250301-003015_[0-9a-f]{16}");
    for (const std::string& id : {std::string(), std::string("../etc"), std::string(".hidden"),
                                  std::string("試験"), std::string("a b"), std::string(65, 'a')})
        EXPECT_TRUE(std::regex_match(q::ExportQueue::base_name(answer(id), kReceived), random_id))
            << id;
    auto none = answer();
    none.header.arbitrary_file_identifier.reset();
    EXPECT_TRUE(std::regex_match(q::ExportQueue::base_name(none, kReceived), random_id));
    EXPECT_EQ(q::ExportQueue::base_name(answer(std::string(64, 'a')), kReceived),
              "20250301-003015_" + std::string(64, 'a'));
}

TEST_F(ExportQueueTest, TheXmlAsReceivedAndTheJson) {
    q::ExportQueue queue(export_, db_);
    const auto m = answer();
    const auto it = item(m, q::Encoding::shift_jis);
    const auto out = queue.submit(it);
    ASSERT_TRUE(out.written) << out.error;
    EXPECT_EQ(out.base_name, "20250301-003015_face0001");
    EXPECT_EQ(names(), (Names{"20250301-003015_face0001.json", "20250301-003015_face0001.xml"}));
    // Byte for byte what arrived, Shift_JIS included.
    EXPECT_EQ(read(export_ / "20250301-003015_face0001.xml"), it.received);
    const auto json = nlohmann::json::parse(read_text(export_ / "20250301-003015_face0001.json"));
    EXPECT_EQ(json["format"], "mynacard-front-desk-export");
    EXPECT_EQ(json["version"], 1);
    EXPECT_EQ(json["xml_file"], "20250301-003015_face0001.xml");
    EXPECT_EQ(json["xml_encoding"], "Shift_JIS");
    EXPECT_EQ(json["received_at"], "2025-03-01T00:30:15+0000");
    EXPECT_TRUE(json["expiry"].is_array());
    EXPECT_EQ(json["message"]["MessageBody"]["QualificationValidity"]["code"], "1");
    EXPECT_EQ(json["message"]["MessageBody"]["ResultList"][0]["Name"],
              m.body.result_list->front().name);
    // The clinic's system reads them by group; nobody else.
    for (const auto& n : names())
        EXPECT_EQ(fs::status(export_ / n).permissions() & fs::perms::all,
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read)
            << n;
    EXPECT_EQ(queue.pending(), 0u);
    EXPECT_FALSE(queue.last_error());
}

TEST_F(ExportQueueTest, WithoutTheBytesTheMessageIsWrittenInItsEncoding) {
    q::ExportQueue queue(export_, db_);
    auto m = answer();
    m.header.character_code_identifier = "1";  // Shift_JIS
    const auto out = queue.submit({m, {}, kReceived});
    ASSERT_TRUE(out.written);
    EXPECT_EQ(read(export_ / (out.base_name + ".xml")), q::write(m, q::Encoding::shift_jis));
}

TEST_F(ExportQueueTest, ATakenNameGetsASuffixAndAPlantedSymlinkIsNotFollowed) {
    const fs::path victim = dir_ / "victim.txt";
    std::ofstream(victim) << "keep me";
    fs::create_symlink(victim, export_ / "20250301-003015_face0001.xml");
    q::ExportQueue queue(export_, db_);
    const auto first = queue.submit(item(answer(), q::Encoding::utf8));
    ASSERT_TRUE(first.written) << first.error;
    EXPECT_EQ(first.base_name, "20250301-003015_face0001-2");
    EXPECT_EQ(read_text(victim), "keep me");
    // Another result in the same second with the same identifier: "-3".
    auto other = answer();
    other.body.qualification_validity = "2";
    const auto second = queue.submit(item(other, q::Encoding::utf8));
    EXPECT_EQ(second.base_name, "20250301-003015_face0001-3");
    // The same export again (a retry after a crash): not written twice.
    const auto again = queue.submit(item(other, q::Encoding::utf8));
    EXPECT_EQ(again.base_name, "20250301-003015_face0001-3");
    EXPECT_EQ(names().size(), 5u);
    for (const auto& n : names()) EXPECT_FALSE(q::ExportQueue::is_temporary_name(n)) << n;
}

TEST_F(ExportQueueTest, TemporaryNamesAreDotFiles) {
    EXPECT_TRUE(q::ExportQueue::is_temporary_name(".20250301-003015_x.xml.0123456789abcdef.tmp"));
    EXPECT_FALSE(q::ExportQueue::is_temporary_name("20250301-003015_x.xml"));
    EXPECT_FALSE(q::ExportQueue::is_temporary_name("x.tmp"));
}

TEST_F(ExportQueueTest, AMissingFolderQueuesAndARetryWritesOnceItIsBack) {
    fs::remove(export_);
    q::ExportQueue queue(export_, db_);
    const auto out = queue.submit(item(answer(), q::Encoding::utf8));
    EXPECT_FALSE(out.written);
    EXPECT_NE(out.error.find("missing"), std::string::npos) << out.error;
    EXPECT_EQ(queue.pending(), 1u);
    EXPECT_EQ(queue.last_error(), out.error);
    EXPECT_EQ(queue.retry(), 0u);  // still away
    EXPECT_EQ(queue.pending(), 1u);
    fs::create_directories(export_);
    EXPECT_EQ(queue.retry(), 1u);
    EXPECT_EQ(queue.pending(), 0u);
    EXPECT_FALSE(queue.last_error());
    EXPECT_EQ(names(), (Names{out.base_name + ".json", out.base_name + ".xml"}));
}

TEST_F(ExportQueueTest, ARestartKeepsWhatIsPending) {
    fs::remove(export_);
    const auto it = item(answer(), q::Encoding::shift_jis);
    {
        q::ExportQueue queue(export_, db_);
        EXPECT_FALSE(queue.submit(it).written);
        EXPECT_FALSE(queue.submit(item(answer("face0002"), q::Encoding::utf8)).written);
    }
    q::ExportQueue again(export_, db_);
    EXPECT_EQ(again.pending(), 2u);
    ASSERT_TRUE(again.last_error());  // the stored reason
    EXPECT_NE(again.last_error()->find("missing"), std::string::npos);
    fs::create_directories(export_);
    EXPECT_EQ(again.retry(), 2u);
    EXPECT_EQ(again.pending(), 0u);
    EXPECT_EQ(read(export_ / "20250301-003015_face0001.xml"), it.received);
    EXPECT_TRUE(fs::exists(export_ / "20250301-003015_face0002.json"));
}

TEST_F(ExportQueueTest, ANonWritableFolderQueues) {
    // Root writes into a mode 0500 folder all the same: it gets a folder in
    // which no file can be created at all.
    fs::path target = export_;
    if (::geteuid() == 0)
        target = "/proc";
    else
        fs::permissions(export_, fs::perms::owner_read | fs::perms::owner_exec);
    q::ExportQueue queue(target, db_);
    const auto out = queue.submit(item(answer(), q::Encoding::utf8));
    fs::permissions(export_, fs::perms::owner_all);
    EXPECT_FALSE(out.written);
    EXPECT_FALSE(out.error.empty());
    EXPECT_EQ(queue.pending(), 1u);
    EXPECT_TRUE(names().empty());
}

TEST_F(ExportQueueTest, TheQueueIsPrivateAndForgetsWrittenRows) {
    fs::remove(export_);
    auto m = answer();
    m.body.result_list->front().name = "MARKERpersonal0123456789";
    {
        q::ExportQueue queue(export_, db_);
        EXPECT_FALSE(queue.submit(item(m, q::Encoding::utf8)).written);
        EXPECT_NE(read_text(db_).find("MARKERpersonal0123456789"), std::string::npos);
        fs::create_directories(export_);
        EXPECT_EQ(queue.retry(), 1u);
    }
    EXPECT_EQ(fs::status(db_).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_EQ(fs::status(db_.parent_path()).permissions() & fs::perms::all, fs::perms::owner_all);
    // secure_delete: the written row is not left in a free page.
    EXPECT_EQ(read_text(db_).find("MARKERpersonal0123456789"), std::string::npos);
}

TEST_F(ExportQueueTest, AnOpenStateFolderIsMadePrivateAndASymlinkedQueueRefused) {
    fs::create_directories(db_.parent_path());
    fs::permissions(db_.parent_path(), fs::perms::all);
    { q::ExportQueue queue(export_, db_); }
    EXPECT_EQ(fs::status(db_.parent_path()).permissions() & fs::perms::all, fs::perms::owner_all);
    const fs::path link = dir_ / "state" / "link.sqlite";
    fs::create_symlink(db_, link);
    try {
        q::ExportQueue queue(export_, link);
        FAIL();
    } catch (const mynacard::Error& e) {
        EXPECT_EQ(e.code(), mynacard::Errc::invalid_argument) << e.what();
    }
}
