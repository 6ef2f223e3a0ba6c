// FaceWatcher over a real folder: once-only delivery across restarts,
// partial writes, copies, leftovers, malformed files, both encodings, and
// the folder going away and coming back.

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <vector>

#include "core/error.h"
#include "fixtures.h"
#include "qualification/face_watcher.h"
#include "qualification/xml_msg.h"
#include "support/temp_dir.h"

namespace q = mynacard::qualification;
namespace fs = std::filesystem;
using namespace qualification_test;
using namespace std::chrono_literals;

namespace {

q::FaceWatcherOptions fast() {
    q::FaceWatcherOptions o;
    o.poll_interval = 20ms;
    o.stable_for = 100ms;
    return o;
}

// A face result for `id`, complete under its name (written, then renamed).
std::string face_file(const std::string& id, q::Encoding encoding = q::Encoding::utf8) {
    auto m = q::parse(bytes(fixture("card_result_full.xml")));
    m.header.arbitrary_file_identifier = id;
    const auto data = q::write(m, encoding);
    return std::string(data.begin(), data.end());
}

void put(const fs::path& file, const std::string& content) {
    const fs::path temp = file.parent_path() / ("." + file.filename().string() + ".part");
    std::ofstream(temp, std::ios::binary) << content;
    fs::rename(temp, file);
}

class FaceWatcherTest : public ::testing::Test {
  protected:
    void SetUp() override { fs::create_directories(face_); }

    // Waits (bounded) until `count` results were delivered in all.
    void collect(q::FaceWatcher& watcher, std::size_t count) {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (got_.size() < count && std::chrono::steady_clock::now() < deadline)
            (void)watcher.wait(200ms, handler());
        ASSERT_EQ(got_.size(), count);
    }
    q::FaceWatcher::Handler handler() {
        return [this](const q::FaceResult& r) { got_.push_back(r); };
    }

    mynacard::test::TempDir dir_{"qualification-face"};
    fs::path face_ = dir_ / "face";
    fs::path journal_ = dir_ / "journal.sqlite";
    std::vector<q::FaceResult> got_;
};

}  // namespace

TEST_F(FaceWatcherTest, EachFileIsDeliveredOnceAcrossRestarts) {
    put(face_ / "OQSsiquc01res_0001.xml", face_file("f1"));
    put(face_ / "OQSsiquc01res_0002.xml", face_file("f2"));
    {
        q::FaceWatcher watcher(face_, journal_, fast());
        collect(watcher, 2);
        EXPECT_EQ(got_[0].file_name, "OQSsiquc01res_0001.xml");
        EXPECT_EQ(got_[0].message.header.arbitrary_file_identifier, "f1");
        EXPECT_EQ(got_[1].message.header.arbitrary_file_identifier, "f2");
        EXPECT_EQ(got_[0].sha256.size(), 64u);
        EXPECT_EQ(watcher.wait(150ms, handler()), 0u);
    }
    put(face_ / "OQSsiquc01res_0003.xml", face_file("f3"));
    q::FaceWatcher restarted(face_, journal_, fast());
    collect(restarted, 3);
    EXPECT_EQ(got_[2].message.header.arbitrary_file_identifier, "f3");
    EXPECT_EQ(restarted.wait(150ms, handler()), 0u);
    EXPECT_TRUE(fs::exists(face_ / "OQSsiquc01res_0001.xml"));  // left for other readers
}

TEST_F(FaceWatcherTest, PartialWriteWaitsUntilTheFileSettles) {
    const std::string content = face_file("partial");
    {
        std::ofstream out(face_ / "OQSsiquc01res_0001.xml", std::ios::binary);
        out << content.substr(0, content.size() / 2);
    }
    q::FaceWatcher watcher(face_, journal_, fast());
    EXPECT_EQ(watcher.poll(handler()), 0u);  // first sight: not settled yet
    {
        std::ofstream out(face_ / "OQSsiquc01res_0001.xml", std::ios::binary | std::ios::app);
        out << content.substr(content.size() / 2);
    }
    collect(watcher, 1);
    EXPECT_EQ(got_[0].message.header.arbitrary_file_identifier, "partial");
    EXPECT_FALSE(fs::exists(watcher.rejected_dir()));
}

TEST_F(FaceWatcherTest, ACopyUnderAnotherNameIsNotDeliveredAgain) {
    put(face_ / "OQSsiquc01res_0001.xml", face_file("same"));
    q::FaceWatcher watcher(face_, journal_, fast());
    collect(watcher, 1);
    put(face_ / "OQSsiquc01res_0001 (copy).xml", face_file("same"));
    put(face_ / "OQSsiquc01res_0002.xml", face_file("other"));
    collect(watcher, 2);
    EXPECT_EQ(got_[1].message.header.arbitrary_file_identifier, "other");
    EXPECT_EQ(watcher.wait(150ms, handler()), 0u);
}

TEST_F(FaceWatcherTest, MalformedFileIsMovedAsideWithItsReason) {
    put(face_ / "OQSsiquc01res_bad.xml", fixture("malformed/bad_validity.xml"));
    put(face_ / "OQSsiquc01res_good.xml", face_file("good"));
    q::FaceWatcher watcher(face_, journal_, fast());
    collect(watcher, 1);
    EXPECT_FALSE(fs::exists(face_ / "OQSsiquc01res_bad.xml"));
    const auto rejected = dir_ / "rejected";
    EXPECT_EQ(watcher.rejected_dir(), rejected);
    EXPECT_TRUE(fs::exists(rejected / "OQSsiquc01res_bad.xml"));
    const std::string reason = read_text(rejected / "OQSsiquc01res_bad.xml.reason.txt");
    EXPECT_NE(reason.find("QualificationValidity"), std::string::npos) << reason;
}

TEST_F(FaceWatcherTest, BothEncodingsAreDelivered) {
    const std::string sjis = face_file("sjis", q::Encoding::shift_jis);
    put(face_ / "OQSsiquc01res_0001.xml", sjis);
    put(face_ / "OQSsiquc01res_0002.xml", face_file("utf8", q::Encoding::utf8));
    q::FaceWatcher watcher(face_, journal_, fast());
    collect(watcher, 2);
    EXPECT_EQ(got_[0].encoding, q::Encoding::shift_jis);
    // The file as read, byte for byte: exported as the terminal wrote it.
    EXPECT_EQ(got_[0].bytes, bytes(sjis));
    EXPECT_EQ(got_[0].message.body.result_list->front().name, "髙橋　試験");
    EXPECT_EQ(got_[1].encoding, q::Encoding::utf8);
}

TEST_F(FaceWatcherTest, LeftoversOlderThanMaxAgeAreNotDelivered) {
    put(face_ / "OQSsiquc01res_old.xml", face_file("old"));
    fs::last_write_time(face_ / "OQSsiquc01res_old.xml",
                        fs::file_time_type::clock::now() - std::chrono::hours(48));
    put(face_ / "OQSsiquc01res_new.xml", face_file("new"));
    {
        q::FaceWatcher watcher(face_, journal_, fast());
        collect(watcher, 1);
        EXPECT_EQ(got_[0].message.header.arbitrary_file_identifier, "new");
    }
    // Journalled as stale: not delivered later either, even without an age limit.
    auto no_limit = fast();
    no_limit.max_age.reset();
    q::FaceWatcher again(face_, journal_, no_limit);
    EXPECT_EQ(again.wait(200ms, handler()), 0u);
    EXPECT_EQ(got_.size(), 1u);
}

TEST_F(FaceWatcherTest, HandlerFailureMeansTheFileIsOfferedAgain) {
    put(face_ / "OQSsiquc01res_0001.xml", face_file("retry"));
    q::FaceWatcher watcher(face_, journal_, fast());
    bool failed = false;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!failed && std::chrono::steady_clock::now() < deadline) {
        try {
            (void)watcher.wait(200ms, [](const q::FaceResult&) {
                throw std::runtime_error("the clinic software is busy");
            });
        } catch (const std::runtime_error&) {
            failed = true;
        }
    }
    ASSERT_TRUE(failed);
    collect(watcher, 1);
}

TEST_F(FaceWatcherTest, FolderThatGoesAndComesBackIsWatchedAgain) {
    q::FaceWatcher watcher(face_, journal_, fast());
    EXPECT_EQ(watcher.poll(handler()), 0u);
    EXPECT_TRUE(watcher.folder_present());
    fs::remove_all(face_);
    // Missing folder: the wait lasts its time without spinning.
    const auto wall = std::chrono::steady_clock::now();
    const std::clock_t cpu = std::clock();
    EXPECT_EQ(watcher.wait(300ms, handler()), 0u);
    const auto wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - wall)
                             .count();
    const double cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC;
    EXPECT_GE(wall_ms, 300);
    EXPECT_LT(cpu_ms, static_cast<double>(wall_ms) / 2) << "busy loop";
    EXPECT_FALSE(watcher.folder_present());
    fs::create_directories(face_);
    put(face_ / "OQSsiquc01res_0001.xml", face_file("back"));
    collect(watcher, 1);
    EXPECT_TRUE(watcher.folder_present());
    EXPECT_EQ(got_[0].message.header.arbitrary_file_identifier, "back");
}
