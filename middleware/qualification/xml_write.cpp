// write(): the model back to bytes, in the order of schema.h, unknown
// elements after the known ones of the same parent.

#include <string>

#include "core/error.h"
#include "core/utf8.h"
#include "qualification/encoding.h"
#include "qualification/schema.h"
#include "qualification/xml_msg.h"

namespace mynacard::qualification {
namespace {

using detail::Field;
using detail::Nested;

class Writer {
  public:
    explicit Writer(Encoding encoding) : encoding_(encoding) {
        out_ = std::string("<?xml version=\"1.0\" encoding=\"") +
               (encoding == Encoding::utf8 ? "UTF-8" : "Shift_JIS") + "\" standalone=\"no\"?>\n";
    }

    // Appended piece by piece: `"<" + std::string(name)` is what gcc 12's
    // -Wrestrict misreads at -O3 (GCC bug 105329), which stopped Release
    // builds with warnings as errors.
    void open(std::string_view name) {
        indent();
        out_.append("<").append(name).append(">\n");
        ++depth_;
    }
    void close(std::string_view name) {
        --depth_;
        indent();
        out_.append("</").append(name).append(">\n");
    }
    void leaf(std::string_view name, const std::string& text) {
        indent();
        if (text.empty()) {
            out_.append("<").append(name).append("/>\n");
            return;
        }
        out_.append("<").append(name).append(">");
        out_.append(encoded(name, escaped(name, text)));
        out_.append("</").append(name).append(">\n");
    }
    void unknown(const Unknown& elements) {
        for (const auto& e : elements) {
            if (e.children.empty()) {
                leaf(e.name, e.text);
                continue;
            }
            open(e.name);
            unknown(e.children);
            close(e.name);
        }
    }
    [[nodiscard]] Bytes bytes() const { return Bytes(out_.begin(), out_.end()); }

  private:
    void indent() { out_.append(static_cast<std::size_t>(depth_) * 2, ' '); }

    static std::string escaped(std::string_view element, const std::string& text) {
        if (!is_valid_utf8(text))
            throw Error(Errc::invalid_argument, std::string(element) + ": the text is not UTF-8");
        std::string out;
        out.reserve(text.size());
        for (const char c : text) {
            switch (c) {
                case '&':
                    out += "&amp;";
                    break;
                case '<':
                    out += "&lt;";
                    break;
                case '>':
                    out += "&gt;";
                    break;
                // A carriage return would be read back as a line feed.
                case '\r':
                    out += "&#13;";
                    break;
                default:
                    if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n')
                        throw Error(
                            Errc::invalid_argument,
                            std::string(element) + ": a control character cannot be written");
                    out += c;
            }
        }
        return out;
    }
    std::string encoded(std::string_view element, const std::string& text) const {
        if (encoding_ == Encoding::utf8) return text;
        auto sjis = detail::utf8_to_cp932(text);
        if (!sjis)
            throw Error(Errc::invalid_argument,
                        std::string(element) + ": a character has no Shift_JIS (CP932) form");
        return *sjis;
    }

    Encoding encoding_;
    std::string out_;
    int depth_ = 0;
};

template <typename S, std::size_t N, typename NestedFn>
void write_record(Writer& w, std::string_view name, const S& record,
                  const std::array<Field<S>, N>& fields, NestedFn&& nested) {
    w.open(name);
    for (const auto& row : fields) {
        if (row.member == nullptr) {
            nested(row.nested);
        } else if (const Text& value = record.*(row.member)) {
            w.leaf(row.name, *value);
        }
    }
    w.unknown(record.unknown);
    w.close(name);
}

template <typename S, std::size_t N>
void write_plain(Writer& w, std::string_view name, const S& record,
                 const std::array<Field<S>, N>& fields) {
    write_record(w, name, record, fields, [](Nested) {});
}

void write_result(Writer& w, const ResultOfQualificationConfirmation& r) {
    write_record(w, detail::kResultItem, r, detail::kResultFields, [&](Nested kind) {
        if (kind == Nested::elderly && r.elderly_recipient) {
            write_plain(w, "ElderlyRecipientCertificateInfo", *r.elderly_recipient,
                        detail::kElderlyFields);
        } else if (kind == Nested::limit && r.limit_application) {
            write_plain(w, "LimitApplicationCertificateRelatedInfo", *r.limit_application,
                        detail::kLimitFields);
        } else if (kind == Nested::specific_diseases && r.specific_diseases) {
            w.open("SpecificDiseasesCertificateList");
            for (const auto& d : *r.specific_diseases)
                write_plain(w, detail::kSpecificDiseasesItem, d, detail::kDiseaseFields);
            w.close("SpecificDiseasesCertificateList");
        }
    });
}

}  // namespace

Bytes write(const XmlMsg& message, Encoding encoding) {
    Writer w(encoding);
    w.open("XmlMsg");
    MessageHeader header = message.header;
    // One character made in place: assigning the literal trips gcc 12's
    // -Wrestrict false positive (GCC bug 105329).
    header.character_code_identifier.emplace(1, encoding == Encoding::utf8 ? '0' : '1');
    write_plain(w, "MessageHeader", header, detail::kHeaderFields);
    const MessageBody& body = message.body;
    write_record(w, "MessageBody", body, detail::kBodyFields, [&](Nested kind) {
        if (kind == Nested::result_list && body.result_list) {
            w.open("ResultList");
            for (const auto& r : *body.result_list) write_result(w, r);
            w.close("ResultList");
        } else if (kind == Nested::search_info && body.search_info) {
            write_plain(w, "QualificationConfirmSearchInfo", *body.search_info,
                        detail::kSearchFields);
        } else if (kind == Nested::registration && body.registration) {
            write_plain(w, "ReferenceNumberRegistrationInfo", *body.registration,
                        detail::kRegistrationFields);
        }
    });
    w.unknown(message.unknown);
    w.close("XmlMsg");
    return w.bytes();
}

}  // namespace mynacard::qualification
