// The seed corpus of every fuzz target, replayed on every build (gcc has no
// libFuzzer): one test per target, FuzzSeeds.<name>, running the target's
// body over each file of tests/fuzz/<name>/ except README.md. A target
// whose folder holds fewer than three seeds fails: a corpus that is not
// there must not pass. The sanitizer build runs this too.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/error.h"
#include "fuzz_registry.h"

namespace {

namespace fs = std::filesystem;

constexpr std::size_t min_seeds = 3;

mynacard::Bytes read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class Replay : public ::testing::Test {
  public:
    explicit Replay(mynacard::fuzz::Target target) : target_(std::move(target)) {}
    void TestBody() override {
        const fs::path dir = fs::path(MYNACARD_FUZZ_SEEDS) / target_.name;
        ASSERT_TRUE(fs::is_directory(dir)) << dir;
        std::vector<fs::path> seeds;
        for (const auto& entry : fs::directory_iterator(dir))
            if (entry.is_regular_file() && entry.path().filename() != "README.md")
                seeds.push_back(entry.path());
        std::sort(seeds.begin(), seeds.end());
        EXPECT_GE(seeds.size(), min_seeds) << target_.name;
        for (const auto& seed : seeds) {
            SCOPED_TRACE(seed.filename().string());
            const auto data = read_file(seed);
            try {
                EXPECT_EQ(target_.entry(data.data(), data.size()), 0);
            } catch (const std::exception& e) {
                ADD_FAILURE() << "the target let an exception out: " << e.what();
            }
        }
    }

  private:
    mynacard::fuzz::Target target_;
};

}  // namespace

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    for (const auto& target : mynacard::fuzz::targets()) {
        ::testing::RegisterTest("FuzzSeeds", target.name.c_str(), nullptr, nullptr, __FILE__,
                                __LINE__,
                                [target]() -> ::testing::Test* { return new Replay(target); });
    }
    return RUN_ALL_TESTS();
}
