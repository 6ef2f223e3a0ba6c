#include "cli/output.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iomanip>
#include <iostream>

#include "card/facts.h"
#include "core/bytes.h"
#include "qualification/answer_json.h"

namespace mynacard::cli {

Output::Output(bool json) : json_(json) {}

void Output::print(const nlohmann::json& value) const {
    std::cout << std::setw(2) << value << '\n' << std::flush;
}

void Output::line(const nlohmann::json& value) const {
    std::cout << value.dump() << std::endl;
}

std::ostream& Output::human() const {
    return std::cout;
}

void Output::bytes(ByteView data) const {
    std::cout << std::flush;
    std::fwrite(data.data(), 1, data.size(), stdout);
}

void Output::progress(Msg id) const {
    if (!json_ && ::isatty(STDERR_FILENO)) std::cerr << text(id) << '\n';
}

std::string iso_time(x509::TimePoint t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

namespace {

card::Language language() noexcept {
    return japanese() ? card::Language::ja : card::Language::en;
}

}  // namespace

std::string birth_date_shown(const std::string& yyyymmdd) {
    return card::birth_date_text(yyyymmdd, language()).value_or(yyyymmdd);
}

std::string_view sex_shown(std::string_view code) {
    return card::sex_text(code, language());
}

void wipe_json(nlohmann::json& value) noexcept {
    qualification::wipe_json(value);  // one implementation for every front end
}

}  // namespace mynacard::cli
