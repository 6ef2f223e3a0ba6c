#include "cli/messages.h"

#include <array>
#include <cstdlib>
#include <cstring>

namespace mynacard::cli {

namespace {

struct Entry {
    Msg id;
    std::string_view en;
    std::string_view ja;
};

// Where the text tells people what to do, it follows the municipal offices'
// own wording (card-facts.md §2.3 sources: PINs are reset at the 市区町村窓口).
constexpr std::array kMessages{
    Entry{Msg::no_service,
          "The smart-card service (pcscd) is not running. Start it with: systemctl start pcscd",
          "スマートカードサービス (pcscd) が起動していません。systemctl start pcscd "
          "で起動してください。"},
    Entry{Msg::no_reader, "No card reader is connected.", "カードリーダーが接続されていません。"},
    Entry{Msg::no_card, "No card is in the reader. Insert your My Number Card.",
          "カードが挿入されていません。マイナンバーカードを挿入してください。"},
    Entry{Msg::reader_not_found, "No reader matches \"{}\".",
          "「{}」に一致するカードリーダーがありません。"},
    Entry{Msg::not_my_number_card, "The card in {} is not a My Number Card.",
          "{} のカードはマイナンバーカードではありません。"},
    Entry{Msg::card_removed, "The card was removed. Insert it again and retry.",
          "カードが取り外されました。もう一度挿入してやり直してください。"},
    Entry{Msg::card_reset, "Another program reset the card. Retry.",
          "別のプログラムがカードをリセットしました。やり直してください。"},
    Entry{Msg::transport, "Communication with the card failed: {}",
          "カードとの通信に失敗しました: {}"},
    Entry{Msg::pin_incorrect, "Wrong PIN. Tries left: {}.", "暗証番号が違います。残り回数: {}"},
    Entry{Msg::pin_blocked_auth,
          "The user-authentication PIN is locked. It can be reset at your municipal office.",
          "利用者証明用電子証明書の暗証番号がロックされています。お住まいの市区町村の窓口で初期化の"
          "手続きをしてください。"},
    Entry{Msg::pin_blocked_sign,
          "The digital-signature password is locked. It can be reset at your municipal office.",
          "署名用電子証明書の暗証番号がロックされています。お住まいの市区町村の窓口で初期化の手続き"
          "をしてください。"},
    Entry{Msg::pin_blocked_text,
          "The card-information PIN is locked. It can be reset at your municipal office.",
          "券面事項入力補助用の暗証番号がロックされています。お住まいの市区町村の窓口で初期化の手続"
          "きをしてください。"},
    Entry{Msg::pin_format_auth, "The user-authentication PIN is 4 digits.",
          "利用者証明用電子証明書の暗証番号は数字4桁です。"},
    Entry{Msg::pin_format_sign,
          "The digital-signature password is 6 to 16 letters A-Z and digits, with at least one of "
          "each.",
          "署名用電子証明書の暗証番号は英大文字と数字を組み合わせた6〜16文字です。"},
    Entry{Msg::pin_format_text, "The card-information PIN is 4 digits.",
          "券面事項入力補助用の暗証番号は数字4桁です。"},
    Entry{Msg::last_try_refused,
          "Only one try is left; a wrong PIN now locks it. Nothing was sent to the card. Confirm "
          "with --confirm-last-try.",
          "残り回数は1回です。間違えるとロックされます。カードには何も送っていません。--confirm-"
          "last-try で確認してください。"},
    Entry{Msg::last_try_prompt,
          "Only one try is left; a wrong PIN now locks it. Continue? [yes/no] ",
          "残り回数は1回です。間違えるとロックされます。続けますか? [yes/no] "},
    Entry{Msg::last_try_code_prompt,
          "Only one try is left for this verification number; a wrong one now locks the card "
          "face. Continue? [yes/no] ",
          "この照合番号の残り回数は1回です。間違えると券面の読み取りがロックされます。続けますか? "
          "[yes/no] "},
    Entry{Msg::enter_pin_auth, "User-authentication PIN (4 digits, {} tries left): ",
          "利用者証明用電子証明書の暗証番号 (数字4桁、残り{}回): "},
    Entry{Msg::enter_pin_sign, "Digital-signature password (6-16 characters, {} tries left): ",
          "署名用電子証明書の暗証番号 (6〜16文字、残り{}回): "},
    Entry{Msg::enter_pin_text, "Card-information PIN (4 digits, {} tries left): ",
          "券面事項入力補助用の暗証番号 (数字4桁、残り{}回): "},
    Entry{Msg::enter_new_pin, "New PIN: ", "新しい暗証番号: "},
    Entry{Msg::repeat_new_pin, "New PIN again: ", "新しい暗証番号 (確認): "},
    Entry{Msg::new_pins_differ, "The two new PINs differ. Nothing was changed.",
          "新しい暗証番号が一致しません。変更していません。"},
    Entry{Msg::enter_code_a,
          "Verification number A (your 12-digit My Number): ", "照合番号A (12桁のマイナンバー): "},
    Entry{Msg::enter_code_b,
          "Verification number B (birth date YYMMDD in era years + expiry year + security code, 14 "
          "digits): ",
          "照合番号B (生年月日[和暦YYMMDD]+有効期限の西暦年+セキュリティコード、14桁): "},
    Entry{Msg::tries_left, "{} tries left", "残り{}回"},
    Entry{Msg::signing, "Signing on the card (about a second)...",
          "カードで署名しています (約1秒)..."},
    Entry{Msg::reading, "Reading the card...", "カードを読み取っています..."},
    Entry{Msg::malformed, "The card returned data that is not valid: {}",
          "カードから正しくないデータが返されました: {}"},
    Entry{Msg::unsupported, "Not supported: {}", "サポートされていません: {}"},
    Entry{Msg::io_error, "File error: {}", "ファイルエラー: {}"},
    Entry{Msg::internal, "Internal error: {}", "内部エラー: {}"},
    Entry{Msg::invalid_argument, "{}", "{}"},
    Entry{Msg::timeout, "Timed out.", "タイムアウトしました。"},
    Entry{Msg::cancelled, "Cancelled.", "キャンセルしました。"},
    Entry{Msg::verify_ok, "Signature valid. Signed by: {} at {}",
          "署名は有効です。署名者: {} 署名時刻: {}"},
    Entry{Msg::verify_failed, "Signature NOT valid: {}", "署名は無効です: {}"},
    Entry{Msg::chain_ok, "Certificate chain valid: {}", "証明書チェーンは有効です: {}"},
    Entry{Msg::chain_failed, "Certificate chain NOT valid: {}", "証明書チェーンは無効です: {}"},
    // "Chain intact", not "unchanged": whoever can write the file can
    // recompute the chain (middleware/audit/README.md).
    Entry{Msg::log_ok, "Audit log hash chain intact: {} entries.",
          "利用履歴のハッシュチェーンは正常です: {}件"},
    Entry{Msg::log_torn_tail,
          "The last {} bytes are an interrupted write, not an entry; the next entry removes them.",
          "末尾の {} バイトは中断された書き込みで、記録ではありません。次の記録で取り除かれます。"},
    Entry{Msg::log_failed, "Audit log damaged at line {}: {}",
          "利用履歴の{}行目に異常があります: {}"},
    Entry{Msg::integrity_ok, "Card data integrity: verified", "券面事項の完全性: 確認済み"},
    Entry{Msg::integrity_failed, "Card data integrity: FAILED ({})",
          "券面事項の完全性: 確認できません ({})"},
    Entry{Msg::pin_changed, "PIN changed.", "暗証番号を変更しました。"},
    Entry{Msg::no_sign_certificate, "This card has no digital-signature certificate.",
          "このカードには署名用電子証明書がありません。"},
    Entry{Msg::my_number_masked_hint, "(masked; show it with --show-my-number)",
          "(マスク表示。表示するには --show-my-number)"},
    Entry{Msg::watch_inserted, "card inserted: {}", "カード挿入: {}"},
    Entry{Msg::watch_removed, "card removed: {}", "カード取り外し: {}"},
    Entry{Msg::watch_reader_added, "reader connected: {}", "リーダー接続: {}"},
    Entry{Msg::watch_reader_removed, "reader disconnected: {}", "リーダー切断: {}"},
    Entry{Msg::no_trust_anchors,
          "No trust anchors: give --trust FILE|DIR (the J-LIS root certificates).",
          "信頼するルート証明書がありません: --trust で J-LIS のルート証明書を指定してください。"},
    Entry{Msg::stdin_pin_missing, "--pin-stdin: standard input ended before a PIN was read.",
          "--pin-stdin: 暗証番号を読み取る前に標準入力が終わりました。"},
    Entry{Msg::not_a_terminal, "No terminal to ask for the PIN; use --pin-stdin.",
          "暗証番号を入力する端末がありません。--pin-stdin を使ってください。"},
    // qualify: the terminal and its answers. Field names follow the
    // terminal's own screens (資格確認端末), code labels are labels.h's.
    Entry{Msg::terminal_timeout,
          "The qualification terminal did not answer in time; the request was withdrawn.",
          "資格確認端末から時間内に応答がありませんでした。要求は取り下げました。"},
    Entry{Msg::terminal_malformed, "The qualification terminal's answer is not valid: {}",
          "資格確認端末の応答が正しくありません: {}"},
    Entry{Msg::face_watching,
          "Waiting for results of card checks at the face reader (Ctrl+C ends)...",
          "顔認証付きカードリーダーの資格確認結果を待っています (Ctrl+C で終了)..."},
    Entry{Msg::q_validity, "Qualification", "資格有効性"},
    Entry{Msg::q_processing, "Processing", "処理結果"},
    Entry{Msg::q_error, "Error", "エラー"},
    Entry{Msg::q_checked_by, "Checked by", "照会区分"},
    Entry{Msg::q_name, "Name", "氏名"},
    Entry{Msg::q_other_name, "Other name", "通称"},
    Entry{Msg::q_birth_date, "Birth date", "生年月日"},
    Entry{Msg::q_sex, "Sex", "性別"},
    Entry{Msg::q_insurer, "Insurer", "保険者"},
    Entry{Msg::q_card_numbers, "Symbol / number / branch", "記号・番号・枝番"},
    Entry{Msg::q_card_type, "Card type", "被保険者証の種類"},
    Entry{Msg::q_person, "Insured or dependant", "本人家族区分"},
    Entry{Msg::q_head_of_household, "Head of household", "世帯主氏名"},
    Entry{Msg::q_copayment, "Copayment", "負担割合"},
    Entry{Msg::q_copayment_elderly, "{} (elderly recipient certificate)", "{} (高齢受給者証)"},
    Entry{Msg::q_elderly, "Elderly recipient certificate", "高齢受給者証"},
    Entry{Msg::q_limit, "Limit certificate", "限度額適用"},
    Entry{Msg::q_disease, "Specific disease", "特定疾病"},
    Entry{Msg::q_self_pay, "self-pay limit {} yen a month", "自己負担限度額 月{}円"},
    Entry{Msg::q_card_valid, "Card valid", "有効期間"},
    Entry{Msg::q_period, "{} to {}", "{}〜{}"},
    Entry{Msg::q_since, "from {}", "{}〜"},
    Entry{Msg::q_expired, "EXPIRED", "期限切れ"},
    Entry{Msg::q_expires_soon, "expires within 3 months", "3か月以内に期限切れ"},
    Entry{Msg::q_lost, "Qualification lost", "資格喪失"},
    Entry{Msg::q_reference_number, "Reference number", "照会番号"},
    Entry{Msg::q_preschool, "Preschool", "未就学区分"},
    Entry{Msg::q_prescription, "Prescription", "処方箋"},
    Entry{Msg::q_consents, "Consents", "同意"},
    Entry{Msg::q_consent_limit, "limit certificate", "限度額適用認定証"},
    Entry{Msg::q_consent_diseases, "specific diseases", "特定疾病療養受療証"},
    Entry{Msg::q_consent_pharmacists, "medication", "薬剤情報"},
    Entry{Msg::q_consent_checkups, "health checkups", "特定健診情報"},
    Entry{Msg::q_consent_diagnosis, "diagnosis", "診療情報"},
    Entry{Msg::q_consent_operation, "operations", "手術情報"},
    Entry{Msg::q_saved, "Saved: {}", "保存しました: {}"},
};

bool starts_ja(const char* v) {
    return v != nullptr && std::strncmp(v, "ja", 2) == 0;
}

}  // namespace

bool japanese() noexcept {
    // POSIX precedence: LC_ALL, then LC_MESSAGES, then LANG.
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* v = std::getenv(name);
        if (v != nullptr && *v != '\0') return starts_ja(v);
    }
    return false;
}

std::string_view text(Msg id) noexcept {
    const bool ja = japanese();
    for (const auto& e : kMessages)
        if (e.id == id) return ja ? e.ja : e.en;
    return "?";
}

std::string format(Msg id, std::initializer_list<std::string_view> args) {
    const std::string_view pattern = text(id);
    std::string out;
    auto arg = args.begin();
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{' && i + 1 < pattern.size() && pattern[i + 1] == '}') {
            if (arg != args.end()) out += *arg++;
            ++i;
        } else {
            out += pattern[i];
        }
    }
    return out;
}

}  // namespace mynacard::cli
