#include "session/audit_trail.h"

#include "x509/x509.h"

namespace mynacard::session {

Subject Subject::of(card::Pin pin) {
    return Subject(card::to_string(pin));
}

Subject Subject::of(card::Key key) {
    return Subject(key == card::Key::auth ? "auth" : "sign");
}

Subject Subject::of(card::Certificate certificate) {
    switch (certificate) {
        case card::Certificate::auth:
            return Subject("auth");
        case card::Certificate::sign:
            return Subject("sign");
        case card::Certificate::auth_ca:
        case card::Certificate::sign_ca:
            break;  // a CA certificate belongs to no key of the holder
    }
    return Subject();
}

Subject& Subject::serial(ByteView serial) {
    serial_hash_ = audit::serial_hash(serial);
    return *this;
}

Subject& Subject::certificate(ByteView der) {
    try {
        return serial(x509::Certificate::from_der(der).serial());
    } catch (const Error&) {
        return *this;  // not a certificate: nothing to name
    }
}

AuditTrail::AuditTrail(std::filesystem::path path, AuditWrite mode)
    : log_(std::move(path)), mode_(mode) {}

void AuditTrail::record(std::string_view reader, audit::Operation operation, audit::Result result,
                        const Subject& subject) {
    audit::Event e;
    e.operation = operation;
    e.result = result;
    e.reader = std::string(reader);
    e.key = subject.key();
    e.cert_serial_hash = subject.serial_hash();
    try {
        log_.append(e);
        last_write_failed_ = false;
    } catch (const Error&) {
        last_write_failed_ = true;
        if (mode_ == AuditWrite::required) throw;
    } catch (const std::exception&) {
        last_write_failed_ = true;
        if (mode_ == AuditWrite::required) throw Error(Errc::io, "audit log: write failed");
    }
}

void AuditTrail::record_failure(std::string_view reader, audit::Operation operation,
                                audit::Result result, const Subject& subject) noexcept {
    try {
        record(reader, operation, result, subject);
    } catch (...) {  // NOLINT(bugprone-empty-catch): the operation's error is the one to report
        last_write_failed_ = true;
    }
}

}  // namespace mynacard::session
