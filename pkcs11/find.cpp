// Objects (PKCS#11 3.0 §5.7): search, attribute values and sizes over the
// object table (objects.h); certificates are read from the card only when
// a value needs them.
#include <cstring>
#include <vector>

#include "pkcs11/errors.h"
#include "pkcs11/module.h"

namespace mynacard::pkcs11 {

bool Module::visible(const Session& s, Obj obj) const {
    const ObjectSpec& o = spec(obj);
    const Token t = token_of(s.slot);
    if (o.token != t) return false;
    if (!o.after_login) return true;
    const Reader& r = readers_.at(s.slot / tokens_per_reader);
    return r.card && r.card->logged_in.at(static_cast<std::size_t>(t));
}

Obj Module::object_of(const Session& s, CK_OBJECT_HANDLE h) const {
    const CK_ULONG n = h % objects_per_slot;
    if (h / objects_per_slot != s.slot || n < static_cast<CK_ULONG>(Obj::auth_cert) ||
        n > static_cast<CK_ULONG>(Obj::sign_priv))
        throw Rv(CKR_OBJECT_HANDLE_INVALID);
    const auto obj = static_cast<Obj>(n);
    if (!visible(s, obj)) throw Rv(CKR_OBJECT_HANDLE_INVALID);
    return obj;
}

void Module::find_init(CK_SESSION_HANDLE h, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count) {
    Session& s = session(h);
    if (s.found) throw Rv(CKR_OPERATION_ACTIVE);
    if (tmpl == nullptr && count > 0) throw Rv(CKR_ARGUMENTS_BAD);
    const CK_SLOT_ID slot = s.slot;
    Reader& r = reader_of(slot);
    const CertSource certs = [&](card::Certificate w) { return certificate(r, w); };
    std::vector<CK_OBJECT_HANDLE> found;
    for (const Obj obj : objects_of(token_of(slot))) {
        if (!visible(s, obj)) continue;
        bool match = true;
        for (CK_ULONG i = 0; match && i < count; ++i) {
            const AttrValue v = attribute(obj, tmpl[i].type, certs);
            match = v.status == AttrStatus::ok && v.value.size() == tmpl[i].ulValueLen &&
                    (v.value.empty() ||
                     (tmpl[i].pValue != nullptr &&
                      std::memcmp(v.value.data(), tmpl[i].pValue, v.value.size()) == 0));
        }
        if (match) found.push_back(slot * objects_per_slot + static_cast<CK_ULONG>(obj));
    }
    // The card may have gone while certificates were read.
    Session& again = session(h);
    again.found = std::move(found);
    again.found_pos = 0;
}

void Module::find(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE_PTR out, CK_ULONG max, CK_ULONG& count) {
    Session& s = session(h);
    if (!s.found) throw Rv(CKR_OPERATION_NOT_INITIALIZED);
    if (out == nullptr && max > 0) throw Rv(CKR_ARGUMENTS_BAD);
    CK_ULONG n = 0;
    while (n < max && s.found_pos < s.found->size()) out[n++] = (*s.found)[s.found_pos++];
    count = n;
}

void Module::find_final(CK_SESSION_HANDLE h) {
    Session& s = session(h);
    if (!s.found) throw Rv(CKR_OPERATION_NOT_INITIALIZED);
    s.found.reset();
}

CK_RV Module::get_attribute_value(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE handle,
                                  CK_ATTRIBUTE_PTR tmpl, CK_ULONG count) {
    const Session& s = session(h);
    const Obj obj = object_of(s, handle);
    if (tmpl == nullptr && count > 0) throw Rv(CKR_ARGUMENTS_BAD);
    Reader& r = reader_of(s.slot);
    const CertSource certs = [&](card::Certificate w) { return certificate(r, w); };
    // §5.7 C_GetAttributeValue: every attribute is processed; the three
    // "not really errors" are returned, any one of them when several apply.
    CK_RV rv = CKR_OK;
    for (CK_ULONG i = 0; i < count; ++i) {
        CK_ATTRIBUTE& a = tmpl[i];
        const AttrValue v = attribute(obj, a.type, certs);
        if (v.status == AttrStatus::sensitive) {
            a.ulValueLen = CK_UNAVAILABLE_INFORMATION;
            rv = CKR_ATTRIBUTE_SENSITIVE;
        } else if (v.status == AttrStatus::invalid) {
            a.ulValueLen = CK_UNAVAILABLE_INFORMATION;
            rv = CKR_ATTRIBUTE_TYPE_INVALID;
        } else if (a.pValue == nullptr) {
            a.ulValueLen = v.value.size();
        } else if (a.ulValueLen >= v.value.size()) {
            if (!v.value.empty()) std::memcpy(a.pValue, v.value.data(), v.value.size());
            a.ulValueLen = v.value.size();
        } else {
            a.ulValueLen = CK_UNAVAILABLE_INFORMATION;
            rv = CKR_BUFFER_TOO_SMALL;
        }
    }
    return rv;
}

void Module::get_object_size(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE handle, CK_ULONG& size) {
    const Session& s = session(h);
    const Obj obj = object_of(s, handle);
    if (spec(obj).cls != CKO_CERTIFICATE) {
        size = CK_UNAVAILABLE_INFORMATION;  // §5.7: allowed when not meaningful
        return;
    }
    Reader& r = reader_of(s.slot);
    const auto* cert = certificate(r, spec(obj).source);
    size = cert ? cert->der().size() : CK_UNAVAILABLE_INFORMATION;
}

}  // namespace mynacard::pkcs11
