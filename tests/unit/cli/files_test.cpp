// write_new_atomically (qualify --out): a file appears whole under a name
// that was free, never over an existing file or through a planted link,
// mode 0600, no temporary left behind.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <iterator>
#include <string>

#include "cli/files.h"
#include "core/error.h"
#include "fixtures.h"
#include "support/temp_dir.h"

using namespace mynacard;
namespace fs = std::filesystem;

namespace {

class WriteNewAtomically : public ::testing::Test {
  protected:
    static std::string read(const fs::path& p) { return qualification_test::read_text(p); }
    std::string write(const std::string& stem, const std::string& text) {
        return cli::write_new_atomically(
            dir_.string(), stem, ".xml",
            ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    }
    test::TempDir temp_{"mynacard-files-test"};
    const fs::path dir_ = temp_.path();
};

TEST_F(WriteNewAtomically, ATakenNameGetsTheNextSuffix) {
    EXPECT_EQ(write("answer", "one"), (dir_ / "answer.xml").string());
    EXPECT_EQ(write("answer", "two"), (dir_ / "answer-2.xml").string());
    EXPECT_EQ(write("answer", "three"), (dir_ / "answer-3.xml").string());
    EXPECT_EQ(read(dir_ / "answer.xml"), "one");
    EXPECT_EQ(read(dir_ / "answer-2.xml"), "two");
    struct stat st {};
    ASSERT_EQ(::stat((dir_ / "answer.xml").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600u);
    // Only the three files: no temporary dot file is left.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 3);
}

TEST_F(WriteNewAtomically, APlantedLinkIsNeitherFollowedNorReplaced) {
    const fs::path target = dir_ / "elsewhere";
    fs::create_symlink(target, dir_ / "answer.xml");
    EXPECT_EQ(write("answer", "data"), (dir_ / "answer-2.xml").string());
    EXPECT_FALSE(fs::exists(target));
    EXPECT_TRUE(fs::is_symlink(dir_ / "answer.xml"));
}

TEST_F(WriteNewAtomically, AMissingFolderIsAnIoError) {
    try {
        (void)cli::write_new_atomically((dir_ / "missing").string(), "a", ".xml", {});
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::io);
    }
}

}  // namespace
