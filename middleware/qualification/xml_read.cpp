// parse() and detect_encoding(): libxml2 reads the tree, the tables of
// schema.h map it onto the model.

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/utf8.h"
#include "qualification/encoding.h"
#include "qualification/schema.h"
#include "qualification/xml_msg.h"

namespace mynacard::qualification {
namespace {

using detail::Field;
using detail::Nested;

[[noreturn]] void malformed(std::string_view element, std::string_view what) {
    throw Error(Errc::malformed_data, std::string(element) + ": " + std::string(what));
}

std::string_view name_of(const xmlNode* node) {
    return node->name == nullptr ? std::string_view()
                                 : std::string_view(reinterpret_cast<const char*>(node->name));
}

bool is_blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// A value may be quoted in an error only when it is a short code: never a
// name, an address or a number that identifies a person.
std::string quoted_code(std::string_view value) {
    const bool code_like = value.size() <= 4 && std::all_of(value.begin(), value.end(), [](char c) {
                               return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
                           });
    return code_like ? "'" + std::string(value) + "'" : std::string("the value");
}

void check_code(std::string_view element, const Text& value, std::optional<CodeTable> table) {
    if (!table || !value || value->empty()) return;
    if (find_code(*table, *value) == nullptr)
        malformed(element, quoted_code(*value) + " is not " + std::string(describe(*table)));
}

// The text of a value element. Entity references never reach here as text
// (no XML_PARSE_NOENT): they are refused, so nothing is ever expanded.
std::string leaf_text(const xmlNode* node) {
    std::string text;
    for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
        switch (c->type) {
            case XML_TEXT_NODE:
            case XML_CDATA_SECTION_NODE:
                if (c->content != nullptr) text += reinterpret_cast<const char*>(c->content);
                break;
            case XML_ELEMENT_NODE:
                malformed(name_of(node), "holds an element where a value belongs");
            case XML_ENTITY_REF_NODE:
            case XML_ENTITY_NODE:
                malformed(name_of(node), "entity references are not allowed");
            default:
                break;  // comments, processing instructions
        }
    }
    return text;
}

UnknownElement keep(const xmlNode* node) {
    UnknownElement out{std::string(name_of(node)), {}, {}};
    std::string text;
    for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            out.children.push_back(keep(c));
        } else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
                   c->content != nullptr) {
            text += reinterpret_cast<const char*>(c->content);
        } else if (c->type == XML_ENTITY_REF_NODE || c->type == XML_ENTITY_NODE) {
            malformed(out.name, "entity references are not allowed");
        }
    }
    // A container's text is its layout; a leaf's text is its value.
    if (out.children.empty() || !is_blank(text)) out.text = std::move(text);
    return out;
}

template <typename T>
void set_once(std::optional<T>& slot, const xmlNode* node, T value) {
    if (slot) malformed(name_of(node), "appears twice");
    slot = std::move(value);
}

// Fills `out` from the children of `parent`: rows of `fields` by name,
// nested records through `nested`, everything else kept as unknown.
template <typename S, std::size_t N, typename NestedFn>
void read_record(const xmlNode* parent, S& out, const std::array<Field<S>, N>& fields,
                 NestedFn&& nested) {
    for (const xmlNode* c = parent->children; c != nullptr; c = c->next) {
        if (c->type == XML_ENTITY_REF_NODE || c->type == XML_ENTITY_NODE)
            malformed(name_of(parent), "entity references are not allowed");
        if (c->type != XML_ELEMENT_NODE) continue;
        const std::string_view name = name_of(c);
        const auto row = std::find_if(fields.begin(), fields.end(),
                                      [&](const Field<S>& f) { return f.name == name; });
        if (row == fields.end()) {
            out.unknown.push_back(keep(c));
        } else if (row->member != nullptr) {
            set_once(out.*(row->member), c, leaf_text(c));
            check_code(name, out.*(row->member), row->table);
        } else {
            nested(row->nested, c);
        }
    }
}

template <typename S, std::size_t N>
S read_plain(const xmlNode* node, const std::array<Field<S>, N>& fields) {
    S out;
    read_record(node, out, fields, [](Nested, const xmlNode*) {});
    return out;
}

// The items of a list element; anything but `item` elements is refused,
// since a list that holds something else is not one this model knows.
template <typename F>
void read_list(const xmlNode* list, std::string_view item, F&& each) {
    for (const xmlNode* c = list->children; c != nullptr; c = c->next) {
        if (c->type == XML_ENTITY_REF_NODE)
            malformed(name_of(list), "entity references are not allowed");
        if (c->type != XML_ELEMENT_NODE) continue;
        if (name_of(c) != item)
            malformed(name_of(list), "holds an element that is not " + std::string(item));
        each(c);
    }
}

ResultOfQualificationConfirmation read_result(const xmlNode* node) {
    ResultOfQualificationConfirmation out;
    read_record(node, out, detail::kResultFields, [&](Nested kind, const xmlNode* c) {
        switch (kind) {
            case Nested::elderly:
                set_once(out.elderly_recipient, c, read_plain(c, detail::kElderlyFields));
                break;
            case Nested::limit:
                set_once(out.limit_application, c, read_plain(c, detail::kLimitFields));
                break;
            case Nested::specific_diseases: {
                std::vector<SpecificDiseasesCertificateInfo> list;
                read_list(c, detail::kSpecificDiseasesItem, [&](const xmlNode* item) {
                    list.push_back(read_plain(item, detail::kDiseaseFields));
                });
                set_once(out.specific_diseases, c, std::move(list));
                break;
            }
            default:
                break;
        }
    });
    return out;
}

MessageBody read_body(const xmlNode* node) {
    MessageBody out;
    read_record(node, out, detail::kBodyFields, [&](Nested kind, const xmlNode* c) {
        switch (kind) {
            case Nested::result_list: {
                std::vector<ResultOfQualificationConfirmation> list;
                read_list(c, detail::kResultItem,
                          [&](const xmlNode* item) { list.push_back(read_result(item)); });
                set_once(out.result_list, c, std::move(list));
                break;
            }
            case Nested::search_info:
                set_once(out.search_info, c, read_plain(c, detail::kSearchFields));
                break;
            case Nested::registration:
                set_once(out.registration, c, read_plain(c, detail::kRegistrationFields));
                break;
            default:
                break;
        }
    });
    return out;
}

// CharacterCodeIdentifier read from the raw bytes (ASCII in both
// encodings), for files whose declaration names no encoding.
std::optional<Encoding> raw_character_code(ByteView file) {
    const std::string_view text(reinterpret_cast<const char*>(file.data()), file.size());
    constexpr std::string_view kTag = "<CharacterCodeIdentifier";
    auto at = text.find(kTag);
    if (at == std::string_view::npos) return std::nullopt;
    at = text.find('>', at + kTag.size());
    if (at == std::string_view::npos) return std::nullopt;
    ++at;
    while (at < text.size() &&
           (text[at] == ' ' || text[at] == '\t' || text[at] == '\r' || text[at] == '\n'))
        ++at;
    if (at >= text.size()) return std::nullopt;
    if (text[at] == '1') return Encoding::shift_jis;
    if (text[at] == '0') return Encoding::utf8;
    return std::nullopt;
}

struct DocFree {
    void operator()(xmlDoc* doc) const noexcept { xmlFreeDoc(doc); }
};
struct CtxtFree {
    void operator()(xmlParserCtxt* ctxt) const noexcept { xmlFreeParserCtxt(ctxt); }
};

}  // namespace

Encoding detect_encoding(ByteView file) {
    if (const auto label = detail::declared_encoding(file)) {
        if (detail::is_shift_jis_label(*label)) return Encoding::shift_jis;
        if (detail::is_utf8_label(*label)) return Encoding::utf8;
        const bool printable =
            label->size() <= 32 &&
            std::all_of(label->begin(), label->end(), [](char c) { return c > ' ' && c < 0x7f; });
        malformed("XML declaration", "the encoding " +
                                         (printable ? "'" + *label + "'" : std::string("named")) +
                                         " is not supported (UTF-8 or Shift_JIS)");
    }
    return raw_character_code(file).value_or(Encoding::utf8);
}

XmlMsg parse(ByteView file) {
    if (file.size() > kMaxFileSize)
        throw Error(Errc::invalid_argument,
                    "XML: the file is larger than " + std::to_string(kMaxFileSize) + " bytes");
    std::string utf8;
    if (detect_encoding(file) == Encoding::shift_jis) {
        utf8 = detail::cp932_to_utf8(file);
    } else {
        if (!is_valid_utf8(file)) malformed("XML", "the file is not valid UTF-8");
        utf8.assign(reinterpret_cast<const char*>(file.data()), file.size());
    }
    // Real files never carry a DTD; refusing one up front means no entity
    // is ever declared, so neither XXE nor entity expansion can happen.
    if (utf8.find("<!DOCTYPE") != std::string::npos)
        malformed("XML", "a document type declaration is not allowed");

    static std::once_flag init;
    std::call_once(init, [] { xmlInitParser(); });
    std::unique_ptr<xmlParserCtxt, CtxtFree> ctxt(xmlNewParserCtxt());
    if (!ctxt) throw std::bad_alloc();
    // NONET: nothing is fetched. No NOENT, no DTDLOAD/DTDATTR: entities are
    // never substituted, no external subset is read. IGNORE_ENC: the text
    // is UTF-8 now, whatever the declaration says.
    constexpr int kOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                             XML_PARSE_IGNORE_ENC | XML_PARSE_NOCDATA;
    std::unique_ptr<xmlDoc, DocFree> doc(xmlCtxtReadMemory(
        ctxt.get(), utf8.data(), static_cast<int>(utf8.size()), nullptr, "UTF-8", kOptions));
    if (!doc) {
        const xmlError* err = xmlCtxtGetLastError(ctxt.get());
        // The line and libxml2's code, never its message: that may quote text.
        malformed("XML", "not well-formed (line " + std::to_string(err ? err->line : 0) +
                             ", libxml2 error " + std::to_string(err ? err->code : 0) + ")");
    }
    if (doc->intSubset != nullptr || doc->extSubset != nullptr)
        malformed("XML", "a document type declaration is not allowed");
    const xmlNode* root = xmlDocGetRootElement(doc.get());
    if (root == nullptr || name_of(root) != "XmlMsg")
        malformed("XmlMsg", "the root element is not XmlMsg");

    XmlMsg msg;
    bool header = false;
    bool body = false;
    for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
        if (c->type == XML_ENTITY_REF_NODE)
            malformed("XmlMsg", "entity references are not allowed");
        if (c->type != XML_ELEMENT_NODE) continue;
        const std::string_view name = name_of(c);
        if (name == "MessageHeader") {
            if (std::exchange(header, true)) malformed(name, "appears twice");
            msg.header = read_plain(c, detail::kHeaderFields);
        } else if (name == "MessageBody") {
            if (std::exchange(body, true)) malformed(name, "appears twice");
            msg.body = read_body(c);
        } else {
            msg.unknown.push_back(keep(c));
        }
    }
    return msg;
}

}  // namespace mynacard::qualification
