#include "qualification/explain.h"

#include <array>
#include <string_view>

#include "core/error.h"

namespace mynacard::qualification {

namespace {

// One explanation in both languages. Written for a receptionist: short,
// no jargon beyond what is printed on the cards and the reader.
struct Words {
    Severity severity;
    std::string_view title_ja;
    std::string_view detail_ja;
    std::string_view next_ja;
    std::string_view title_en;
    std::string_view detail_en;
    std::string_view next_en;
};

Explanation in(const Words& w, Language language) {
    if (language == Language::ja)
        return {w.severity, std::string(w.title_ja), std::string(w.detail_ja),
                std::string(w.next_ja)};
    return {w.severity, std::string(w.title_en), std::string(w.detail_en), std::string(w.next_en)};
}

// ---- QualificationValidity 1–5 and SegmentOfResult 2 (ecosystem §A.5, [A33][A48]) ----

constexpr Words kValid{Severity::ok,
                       "資格は有効です",
                       "保険資格が確認できました。",
                       "表示された内容で受付を進めてください。",
                       "Qualification valid",
                       "The insurance qualification is confirmed.",
                       "Go on with the registration using the details shown."};
// Validity 2: lost qualification; ReasonOfLoss is added to the detail.
constexpr Words kLost{
    Severity::error,
    "この保険の資格はありません",
    "この保険の資格は失われています。",
    "新しい保険証・資格確認書など、今の保険がわかるものをお持ちか患者さんに確認してください。",
    "Qualification lost",
    "This insurance is no longer valid for the patient.",
    "Ask the patient for their new insurance card or 資格確認書."};
constexpr Words kNewer{
    Severity::warning,
    "新しい資格があります",
    "この保険は無効ですが、より新しい保険の資格が登録されています。",
    "新しい保険の情報（保険証・資格確認書など）を患者さんに確認してください。",
    "A newer qualification exists",
    "This insurance is not valid, but a newer qualification is registered for the patient.",
    "Ask the patient for their new insurance details (card or 資格確認書)."};
constexpr Words kNoRecord{
    Severity::error,
    "資格情報が見つかりません",
    "該当する資格が登録されていません。マイナンバーカードの健康保険証利用登録（初回登録）が"
    "まだの可能性があります。",
    "カードリーダーまたはマイナポータルで初回登録ができます。今日は保険証・資格確認書の番号で"
    "確認してください。",
    "No qualification found",
    "No qualification is registered. The card may not yet be registered for use as a health "
    "insurance card (初回登録).",
    "The patient can register at the card reader or on マイナポータル. For today, check by the "
    "numbers of the insurance card or 資格確認書."};
constexpr Words kSeveral{
    Severity::error,
    "複数の資格が該当しました",
    "入力された番号に複数の資格が当てはまり、1つに決められません。",
    "番号を患者さんと一緒に確認してください。それでも同じなら保険者に問い合わせてください。",
    "Several qualifications match",
    "The numbers match more than one qualification; none can be chosen.",
    "Check the numbers with the patient. If it happens again, contact the insurer."};
constexpr Words kProcessing{Severity::warning,
                            "まだ処理中です",
                            "確認の処理が終わっていません。",
                            "少し待ってから、もう一度結果を確認してください。",
                            "Still processing",
                            "The check has not finished yet.",
                            "Wait a moment, then look for the result again."};
// SegmentOfResult 9 or an ErrorCode the table does not know.
constexpr Words kUnknownError{
    Severity::error,
    "資格確認ができませんでした",
    "確認の処理がエラーで終わりました。",
    "もう一度お試しください。続く場合は資格確認端末の業者に連絡してください。",
    "The check failed",
    "The check ended with an error.",
    "Try again; if it persists, call the vendor of the qualification terminal."};
constexpr Words kNoValidity{
    Severity::error,
    "結果を読み取れませんでした",
    "回答に資格の有効性が書かれていません。",
    "もう一度お試しください。続く場合は資格確認端末の業者に連絡してください。",
    "The answer could not be read",
    "The answer does not say whether the qualification is valid.",
    "Try again; if it persists, call the vendor of the qualification terminal."};

// ---- The reference service's codes (docs/qualification.md, "ErrorCode table") ----

constexpr Words kRequestRefused{
    Severity::error,
    "要求が受け付けられませんでした",
    "確認の要求の形式が受け付けられませんでした。",
    "もう一度お試しください。続く場合はシステムの管理者に連絡してください。",
    "The request was not accepted",
    "The service did not accept the form of the request.",
    "Try again; if it persists, call the system's administrator."};
constexpr Words kBusy{Severity::error,
                      "混み合っています",
                      "確認サービスが混み合っていて、今は受け付けられません。",
                      "少し待ってから、もう一度お試しください。",
                      "The service is busy",
                      "The qualification service cannot take the check right now.",
                      "Wait a moment and try again."};
constexpr Words kInstitution{
    Severity::error,
    "医療機関コードが受け付けられませんでした",
    "この窓口の医療機関コードが確認サービスに登録されていません。",
    "システムの管理者に設定（医療機関コード）の確認を依頼してください。",
    "Institution code not accepted",
    "This desk's institution code is not accepted by the service.",
    "Ask the system's administrator to check the institution code in the settings."};
constexpr Words kStale{Severity::error,
                       "確認の手続きが時間切れになりました",
                       "確認の途中で時間がかかりすぎたか、同じ確認が繰り返されました。",
                       "カードを入れ直して、最初からやり直してください。",
                       "The check expired",
                       "The check took too long or was repeated.",
                       "Insert the card again and start over."};
constexpr Words kClock{Severity::error,
                       "このパソコンの時計がずれています",
                       "時刻が確認サービスと5分以上ずれています。",
                       "システムの管理者に時計の調整を依頼してください。",
                       "This computer's clock is wrong",
                       "Its time differs from the service's by more than 5 minutes.",
                       "Ask the system's administrator to set the clock right."};
constexpr Words kCardNotVerified{
    Severity::error,
    "カードを確認できませんでした",
    "カードの電子証明書または署名を確認できませんでした。",
    "カードを入れ直してもう一度お試しください。続く場合は保険証・資格確認書の番号で確認してください"
    "。",
    "The card could not be verified",
    "The card's certificate or signature could not be checked.",
    "Insert the card again and retry; if it persists, check by the numbers of the insurance card "
    "or 資格確認書."};
constexpr Words kNotTrusted{Severity::error,
                            "マイナンバーカードとして確認できません",
                            "カードの電子証明書が正規のものと確認できませんでした。",
                            "保険証・資格確認書の番号で確認してください。",
                            "Not recognised as a My Number Card",
                            "The card's certificate is not from a trusted issuer.",
                            "Check by the numbers of the insurance card or 資格確認書."};
constexpr Words kNotYetValid{
    Severity::error,
    "電子証明書がまだ有効になっていません",
    "カードの電子証明書の有効期間がまだ始まっていません。",
    "今日は保険証・資格確認書の番号で確認してください。",
    "Certificate not yet valid",
    "The card's certificate is not valid yet.",
    "For today, check by the numbers of the insurance card or 資格確認書."};
constexpr Words kExpiredPastGrace{
    Severity::error,
    "電子証明書の有効期限が切れています",
    "カードの電子証明書の期限が切れて3か月以上たち、保険証として使えません。",
    "市区町村の窓口で電子証明書の更新をご案内ください。今日は資格確認書などの番号で確認してください"
    "。",
    "Certificate expired",
    "The card's certificate expired more than three months ago; the card no longer works as a "
    "health insurance card.",
    "Tell the patient to renew it at the city office. For today, check by the numbers of the "
    "資格確認書 or insurance card."};
constexpr Words kRevoked{
    Severity::error,
    "電子証明書が失効しています",
    "カードの電子証明書が失効しているため、保険証として使えません。",
    "資格確認書などの番号で確認してください。",
    "Certificate revoked",
    "The card's certificate has been revoked; the card does not work as a health insurance card.",
    "Check by the numbers of the 資格確認書 or insurance card."};
constexpr Words kNoPerson{Severity::error,
                          "番号に当てはまる方がいません",
                          "入力された保険の番号に当てはまる資格がありません。",
                          "番号を患者さんと一緒に確認してください。",
                          "No one has these numbers",
                          "No qualification has the insurance numbers given.",
                          "Check the numbers with the patient."};
constexpr Words kSeveralPersons{Severity::error,
                                "番号に当てはまる方が複数います",
                                "入力された保険の番号に複数の資格が当てはまります。",
                                "番号を確認し、同じなら保険者に問い合わせてください。",
                                "Several people have these numbers",
                                "More than one qualification has the numbers given.",
                                "Check the numbers; if they are right, contact the insurer."};
constexpr Words kServiceFault{
    Severity::error,
    "確認サービスでエラーが起きました",
    "確認サービスの内部でエラーが起きました。",
    "もう一度お試しください。続く場合は資格確認端末の業者に連絡してください。",
    "The service failed",
    "The qualification service had an internal error.",
    "Try again; if it persists, call the vendor of the qualification terminal."};
// Not a refusal: qualification only, in the grace after expiry (§A.5 [A50][A52]).
constexpr Words kGrace{
    Severity::warning,
    "資格は有効です（電子証明書の期限切れ）",
    "カードの電子証明書は期限切れですが、期限後3か月の間は資格確認だけできます。薬剤情報などの"
    "提供はありません。",
    "市区町村の窓口で電子証明書の更新をご案内ください。",
    "Qualification valid (certificate expired)",
    "The card's certificate has expired. For three months after that only the qualification is "
    "confirmed; no medication or other health data are shared.",
    "Tell the patient to renew the certificate at the city office."};

struct CodeRow {
    std::string_view code;
    const Words* words;
};

// Every code of the reference service (docs/qualification.md, ErrorCode table).
constexpr std::array<CodeRow, 22> kCodes{{
    {"MQS001", &kRequestRefused},    // malformed request
    {"MQS002", &kRequestRefused},    // request body over the limit
    {"MQS003", &kBusy},              // too many requests from this client
    {"MQS004", &kBusy},              // too many outstanding nonces
    {"MQS005", &kRequestRefused},    // no such resource
    {"MQS010", &kStale},             // unknown nonce
    {"MQS011", &kStale},             // nonce expired
    {"MQS012", &kStale},             // nonce already used
    {"MQS013", &kClock},             // challenge time too early
    {"MQS014", &kClock},             // challenge time too late
    {"MQS020", &kInstitution},       // institution code not accepted
    {"MQS030", &kCardNotVerified},   // certificate unreadable
    {"MQS031", &kCardNotVerified},   // signature does not verify
    {"MQS032", &kNotTrusted},        // not issued by a trusted CA
    {"MQS033", &kNotYetValid},       // certificate not yet valid
    {"MQS034", &kExpiredPastGrace},  // expired more than the 3-month grace ago
    {"MQS035", &kRevoked},           // revoked by the service's command
    {"MQS036", &kRevoked},           // revoked by an imported CRL
    {"MQS040", &kNoPerson},          // 照会番号: numbers nobody has
    {"MQS041", &kSeveralPersons},    // 照会番号: numbers several records have
    {"MQS060", &kGrace},             // not a refusal: an answer in the grace
    {"MQS090", &kServiceFault},      // internal error
}};

const Words* find_code(std::string_view code) {
    for (const auto& row : kCodes)
        if (row.code == code) return row.words;
    return nullptr;
}

// ---- The desk's own problems (ecosystem §A.2, §A.5; decision 5 for the PIN) ----

struct ProblemRow {
    DeskProblem problem;
    Words words;
};

constexpr std::array<ProblemRow, 12> kProblems{{
    {DeskProblem::service_unreachable,  // no connection to the service or terminal
     {Severity::error, "確認サービスにつながりません",
      "資格確認サービス（または資格確認端末）と通信できません。",
      "もう一度お試しください。続く場合はネットワークとサービスが動いているかを確認してください。",
      "Cannot reach the qualification service",
      "The qualification service (or terminal) cannot be reached.",
      "Try again. If it continues, check the network and that the service is running."}},
    {DeskProblem::timeout,  // ecosystem §A.6: no official latency; the configured bound
     {Severity::error, "回答が時間内に来ませんでした", "決められた時間内に回答がありませんでした。",
      "もう一度お試しください。続く場合は資格確認端末を確認してください。", "No answer in time",
      "The answer did not come within the time allowed.",
      "Try again. If it continues, check the qualification terminal."}},
    {DeskProblem::malformed_answer,
     {Severity::error, "回答を読み取れませんでした", "届いた回答の形式が正しくありません。",
      "もう一度お試しください。続く場合は資格確認端末の業者に連絡してください。",
      "The answer could not be read", "The answer that arrived is not in the expected form.",
      "Try again; if it persists, call the vendor of the qualification terminal."}},
    {DeskProblem::pin_wrong,  // §A.2: 3 wrong entries lock the PIN [A23]
     {Severity::warning, "暗証番号が違います", "入力された4桁の暗証番号が正しくありません。",
      "患者さんにもう一度入力していただいてください。続けて間違えるとロックされます。", "Wrong PIN",
      "The 4-digit PIN entered is not correct.",
      "Ask the patient to enter it again. Repeated mistakes lock the card."}},
    {DeskProblem::pin_blocked,  // §A.2/§A.5: 目視確認 by staff; reset at the municipality
                                // [A22][A23]
     {Severity::error, "暗証番号がロックされています",
      "暗証番号を続けて間違えたため、カードの暗証番号が使えなくなっています。",
      "職員による目視確認（顔と券面の写真の確認）で受付してください。ロックの解除は市区町村の"
      "窓口でできます。",
      "PIN locked", "The card's PIN is locked after too many wrong entries.",
      "Confirm the patient by 目視確認 (staff compare the face with the card's photo). The PIN is "
      "reset at the city office."}},
    {DeskProblem::card_removed,
     {Severity::warning, "カードが抜かれました", "確認が終わる前にカードが取り出されました。",
      "カードをもう一度入れていただいてください。", "The card was removed",
      "The card was taken out before the check finished.", "Ask the patient to insert it again."}},
    {DeskProblem::not_my_number_card,  // §A.5: reader messages 001/002 [A49]
     {Severity::error, "マイナンバーカードではありません",
      "入れられたカードはマイナンバーカードとして読み取れませんでした。",
      "マイナンバーカードか、保険証・資格確認書の番号で確認してください。", "Not a My Number Card",
      "The card inserted could not be read as a My Number Card.",
      "Use the My Number Card, or check by the numbers of the insurance card or 資格確認書."}},
    {DeskProblem::certificate_expired,  // §A.5: 3 months after expiry, qualification only
                                        // [A50][A52]
     {Severity::warning, "電子証明書の期限が切れています",
      "期限後3か月までは資格確認だけできますが、薬剤情報などは提供されません。",
      "市区町村の窓口で電子証明書の更新をご案内ください。", "Certificate expired",
      "For three months after expiry only the qualification is confirmed; no medication or other "
      "health data are shared.",
      "Tell the patient to renew the certificate at the city office."}},
    {DeskProblem::certificate_expiring,  // §A.5: the reader warns 3 months ahead [A50][A51]
     {Severity::warning, "電子証明書の期限が近づいています",
      "カードの電子証明書の有効期限が3か月以内に切れます。",
      "市区町村の窓口で更新できることを患者さんにお伝えください。", "Certificate expires soon",
      "The card's certificate expires within three months.",
      "Tell the patient they can renew it at the city office."}},
    {DeskProblem::data_withheld,  // §A.5: record withheld after matching [A3]; consents not
                                  // honoured
     {Severity::warning, "一部の情報が提供されていません",
      "同意の内容や登録の状況により、一部の情報が返されませんでした。",
      "必要な情報は保険証・資格確認書などで確認してください。", "Some data withheld",
      "Depending on consent or the record's state, part of the information was not returned.",
      "Check what you need on the insurance card or 資格確認書."}},
    {DeskProblem::export_pending,
     {Severity::warning, "院内システムへの送信待ちがあります",
      "結果はまだ院内システムのフォルダーに書き込まれていません。消えずに保存され、自動で再送されま"
      "す。",
      "続く場合は、送信先フォルダー（共有フォルダー）の状態をシステムの管理者に確認してください。",
      "Export pending",
      "The result has not reached the clinic system's folder yet. It is kept and sent again "
      "automatically.",
      "If this stays, ask the system's administrator to check the export folder."}},
    {DeskProblem::folder_missing,
     {Severity::error, "フォルダーが見つかりません",
      "資格確認端末または院内システムの共有フォルダーにアクセスできません。",
      "資格確認端末の電源とネットワーク（共有フォルダーの接続）を確認してください。",
      "Folder not found",
      "The shared folder of the qualification terminal or the clinic system cannot be reached.",
      "Check that the terminal is on and the network share is connected."}},
}};

bool has(const Text& t) {
    return t && !t->empty();
}

// "(MQS034)" / "（MQS034）" after the detail, for a call to support.
std::string with_code(std::string detail, std::string_view code, Language language) {
    if (language == Language::ja) return detail + "（" + std::string(code) + "）";
    return detail + " (" + std::string(code) + ")";
}

Explanation error_code(std::string_view code, const Text& message, Language language) {
    if (const Words* w = find_code(code)) {
        Explanation e = in(*w, language);
        e.detail = with_code(std::move(e.detail), code, language);
        return e;
    }
    // An unknown code: shown with the terminal's own message, which is the
    // national side's text (no personal data).
    Explanation e = in(kUnknownError, language);
    std::string detail = e.detail;
    if (has(message)) detail += (language == Language::ja ? "　" : " ") + *message;
    e.detail = code.empty() ? detail : with_code(detail, code, language);
    return e;
}

}  // namespace

Explanation explain(const XmlMsg& answer, Language language) {
    const auto& h = answer.header;
    const auto& b = answer.body;
    std::optional<SegmentOfResult> segment;
    std::optional<QualificationValidity> validity;
    try {
        segment = answer.segment();
        validity = answer.validity();
    } catch (const Error&) {
        return in(kNoValidity, language);  // a hand-built message with an unknown code
    }
    // Still processing (bulk answers): it comes with a notice code of its
    // own (W…), which is not a failure.
    if (segment == SegmentOfResult::processing) {
        Explanation e = in(kProcessing, language);
        if (has(h.error_code)) e.detail = with_code(std::move(e.detail), *h.error_code, language);
        return e;
    }
    if (has(h.error_code)) return error_code(*h.error_code, h.error_message, language);
    const bool failed =
        segment == SegmentOfResult::abnormal ||
        (has(b.processing_result_status) && answer.status() == ProcessingResultStatus::error);
    if (failed)
        return error_code(
            b.processing_result_code.value_or(""),
            has(b.processing_result_message) ? b.processing_result_message : h.error_message,
            language);
    if (!validity) return in(kNoValidity, language);
    switch (*validity) {
        case QualificationValidity::valid:
            if (b.processing_result_code == "MQS060")
                return error_code("MQS060", std::nullopt, language);
            return in(kValid, language);
        case QualificationValidity::invalid: {
            Explanation e = in(kLost, language);
            // The first result's reason of loss, in words when known.
            if (b.result_list && !b.result_list->empty()) {
                const Text& reason = b.result_list->front().reason_of_loss;
                if (has(reason)) {
                    const std::string_view l = label(CodeTable::reason_of_loss, *reason, language);
                    const std::string words = l.empty() ? *reason : std::string(l);
                    e.detail += language == Language::ja ? "（理由: " + words + "）"
                                                         : " (reason: " + words + ")";
                }
            }
            return e;
        }
        case QualificationValidity::invalid_new_qualification:
            return in(kNewer, language);
        case QualificationValidity::no_qualification:
            return in(kNoRecord, language);
        case QualificationValidity::multiple:
            return in(kSeveral, language);
    }
    return in(kNoValidity, language);
}

namespace {

// The patient's next step for each problem (the receptionist's is in
// kProblems): nothing a patient cannot do alone, and where only the staff
// can help, it says so.
struct PatientRow {
    DeskProblem problem;
    const char* ja;
    const char* en;
};

constexpr const char* kStaffHelpJa = "受付の職員がご案内します。";
constexpr const char* kStaffHelpEn = "The reception staff will help you.";

constexpr std::array<PatientRow, 12> kPatientSteps{{
    {DeskProblem::service_unreachable, kStaffHelpJa, kStaffHelpEn},
    {DeskProblem::timeout, kStaffHelpJa, kStaffHelpEn},
    {DeskProblem::malformed_answer, kStaffHelpJa, kStaffHelpEn},
    {DeskProblem::pin_wrong,
     "もう一度、暗証番号を入力してください。続けて間違えるとロックされます。",
     "Please enter your PIN again. Repeated mistakes lock the card."},
    {DeskProblem::pin_blocked,
     "受付の職員にお声がけください。カードの写真で確認します。暗証番号のロックは市区町村の窓口で"
     "解除できます。",
     "Please speak to the reception staff; they will check the photo on your card. Your city "
     "office can reset the PIN."},
    {DeskProblem::card_removed, "カードをもう一度置いてください。",
     "Please place your card on the reader again."},
    {DeskProblem::not_my_number_card, "マイナンバーカードを置くか、受付の職員にお声がけください。",
     "Please place your My Number Card, or speak to the reception staff."},
    {DeskProblem::certificate_expired, "電子証明書は市区町村の窓口で更新できます。",
     "You can renew the certificate at your city office."},
    {DeskProblem::certificate_expiring, "電子証明書は市区町村の窓口で更新できます。",
     "You can renew the certificate at your city office."},
    {DeskProblem::data_withheld, kStaffHelpJa, kStaffHelpEn},
    {DeskProblem::export_pending, kStaffHelpJa, kStaffHelpEn},
    {DeskProblem::folder_missing, kStaffHelpJa, kStaffHelpEn},
}};

}  // namespace

std::string patient_step(DeskProblem problem, Language language) {
    for (const auto& row : kPatientSteps)
        if (row.problem == problem) return language == Language::ja ? row.ja : row.en;
    return language == Language::ja ? kStaffHelpJa : kStaffHelpEn;
}

Explanation explain(DeskProblem problem, Language language) {
    for (const auto& row : kProblems)
        if (row.problem == problem) return in(row.words, language);
    return in(kUnknownError, language);
}

}  // namespace mynacard::qualification
