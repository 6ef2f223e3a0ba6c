// parse() over every fuzz seed and every fixture: each either parses or
// throws mynacard::Error — no other exception, no crash (the sanitizer
// build runs this too). gcc has no -fsanitize=fuzzer, so this test is what
// runs the seeds on every build.

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "fixtures.h"
#include "qualification/xml_msg.h"

namespace q = mynacard::qualification;
using namespace qualification_test;

namespace {

std::size_t parse_all_in(const std::filesystem::path& dir, std::size_t& parsed) {
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        ++files;
        SCOPED_TRACE(entry.path().filename().string());
        const auto data = bytes(read_text(entry.path()));
        try {
            const auto m = q::parse(data);
            ++parsed;
            // What parses, writes and parses again to the same model.
            for (const auto enc : {q::Encoding::utf8, q::Encoding::shift_jis}) {
                try {
                    auto again = q::parse(q::write(m, enc));
                    again.header.character_code_identifier = m.header.character_code_identifier;
                    EXPECT_EQ(again, m);
                } catch (const mynacard::Error& e) {
                    // Only a character without a Shift_JIS form may stop the writer.
                    EXPECT_EQ(enc, q::Encoding::shift_jis) << e.what();
                }
            }
        } catch (const mynacard::Error&) {
        } catch (const std::exception& e) {
            ADD_FAILURE() << "not a mynacard::Error: " << e.what();
        }
    }
    return files;
}

}  // namespace

TEST(QualificationSeeds, EverySeedParsesOrFailsCleanly) {
    std::size_t parsed = 0;
    EXPECT_GE(parse_all_in(MYNACARD_QUALIFICATION_SEEDS, parsed), 6u);
    EXPECT_GE(parsed, 3u);
}

TEST(QualificationSeeds, EveryFixtureParsesOrFailsCleanly) {
    std::size_t parsed = 0;
    EXPECT_GE(parse_all_in(data_dir(), parsed), 25u);
    EXPECT_GE(parsed, 14u);
}
