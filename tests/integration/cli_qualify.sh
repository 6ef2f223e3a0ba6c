#!/usr/bin/env bash
# `mynacard qualify` against a stand-in for the qualification terminal
# (terminal.sh): the query by insurance-card numbers in English and
# Japanese, --json and --out, every validity's exit code, a time-out, the
# arguments refused before anything is written, a Shift_JIS answer. No
# pcscd: the terminal folders are plain folders.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/terminal.sh"
need jq iconv
export LC_ALL=C.UTF-8

term=$work/terminal
new_terminal "$term"
q_args=(--institution-code 1312345678 --insurer 138123 --symbol 試験 --number 7654321 --branch 00
        --birth 19800101)

# ask EXIT FIXTURE ENCODING [ARGS...]: one query answered with FIXTURE.
ask() {
  local want=$1 fixture=$2 encoding=$3
  shift 3
  answer_next "$term" "$fixture" "$encoding" &
  local terminal_pid=$!
  expect_exit "$want" qualify --terminal-dir "$term" "${q_args[@]}" "$@"
  wait $terminal_pid || fail "the terminal did not answer"
}
in_future() { date -d "$1" +%Y%m%d; }

# --- a valid answer, in English ---
ask 0 "$fixtures/number_answer.xml" utf8 --limit-consent
expect_contains "$out" "== Qualification: valid ==" "validity shown first"
expect_contains "$out" "Name: 試験　花子 (ｼｹﾝ ﾊﾅｺ)" "name and kana"
expect_contains "$out" "Insurer: 00138123 試験市" "insurer number and name"
expect_contains "$out" "Symbol / number / branch: 試験 / 7654321 / 00" "記号・番号・枝番"
expect_contains "$out" "Insured or dependant: dependant" "本人家族区分"
expect_contains "$out" "Birth date: 1980-01-01" "birth date"
request=$(<"$term/last_request.xml")
expect_contains "$request" "<InsurerNumber>  138123</InsurerNumber>" "a 6-digit insurer number is padded with blanks"
expect_contains "$request" "<LimitApplicationCertificateRelatedConsFlg>1<" "--limit-consent asks for the limit data"
expect_contains "$request" "<MedicalInstitutionCode>1312345678<" "institution code sent"
expect_contains "$request" "<QualificationConfirmationDate>$(date +%Y%m%d)<" "asked for today"
expect_contains "$request" "<InsuredBranchNumber>00<" "branch sent"
expect_eq "$(find "$term/res" -type f | wc -l)" 0 "the answer is removed once read"

# --- the same in Japanese ---
LC_ALL=ja_JP.UTF-8 ask 0 "$fixtures/number_answer.xml" utf8
expect_contains "$out" "== 資格有効性: 有効 ==" "validity in Japanese"
expect_contains "$out" "記号・番号・枝番: 試験・7654321・00" "記号・番号・枝番 in Japanese"
expect_contains "$out" "本人家族区分: 家族" "本人家族区分 label"
expect_contains "$out" "生年月日: 1980年1月1日" "date in Japanese"
expect_contains "$(<"$term/last_request.xml")" "<LimitApplicationCertificateRelatedConsFlg>0<" "no limit data without --limit-consent"

# --- a card without 記号 (後期高齢者): --symbol may be left out ---
answer_next "$term" "$fixtures/number_answer.xml" utf8 &
terminal_pid=$!
expect_exit 0 qualify --terminal-dir "$term" --institution-code 1312345678 --insurer 39131156 \
  --number 7654321 --birth 19400101
wait $terminal_pid || fail "the terminal did not answer"
expect_eq "$(grep -c InsuredCardSymbol "$term/last_request.xml")" 0 "no 記号 sent"
expect_contains "$(<"$term/last_request.xml")" "<InsurerNumber>39131156<" "an 8-digit insurer number as typed"

# --- everything of a full result: certificates, ratios, consents, expiry ---
full=$work/full.xml
with_date "$fixtures/card_result_full.xml" InsuredCardExpirationDate "$(in_future '+1 month')" >"$full"
ask 0 "$full" utf8
expect_contains "$out" "Copayment: 20%" "copayment ratio"
expect_contains "$out" "Limit certificate: B04 general (limit certificate)" "limit category label"
expect_contains "$out" "Specific disease: chronic renal failure needing dialysis, self-pay limit 10000 yen a month" "specific disease"
expect_contains "$out" "[expires within 3 months]" "card expiring within 3 months"
expect_contains "$out" "Elderly recipient certificate: 20%, 2024-08-01 to 2025-07-31 [EXPIRED]" "expired certificate"
expect_contains "$out" "Consents: limit certificate agreed, specific diseases agreed, medication agreed" "consents"
expect_contains "$out" "operations consent expired" "expired consent"
LC_ALL=ja_JP.UTF-8 ask 0 "$full" utf8
expect_contains "$out" "負担割合: 2割" "copayment ratio in 割"
expect_contains "$out" "限度額適用: B04 一般" "limit category in Japanese"
expect_contains "$out" "3か月以内に期限切れ" "expiry warning in Japanese"

# --- --json: the whole model, codes with labels ---
ask 0 "$full" utf8 --json
expect_eq "$(jq -r .outcome <<<"$out")" valid "json outcome"
expect_eq "$(jq -r .exit_code <<<"$out")" 0 "json exit code"
expect_eq "$(jq -r '.message.MessageBody.QualificationValidity | "\(.code) \(.ja) \(.en)"' <<<"$out")" "1 有効 valid" "validity code and labels"
r='.message.MessageBody.ResultList[0]'
expect_eq "$(jq -r "$r.InsuredPartialContributionRatio.ja" <<<"$out")" "2割" "ratio label"
expect_eq "$(jq -r "$r.LimitApplicationCertificateRelatedInfo.LimitApplicationCertificateClassificationFlag.ja" <<<"$out")" "一般" "limit category"
expect_eq "$(jq -r "$r.SpecificDiseasesCertificateList | length" <<<"$out")" 2 "both specific diseases"
expect_eq "$(jq -r "$r.SpecificDiseasesCertificateList[1].SpecificDiseasesSelfPay" <<<"$out")" 20000 "self pay"
expect_eq "$(jq -r "$r.Name" <<<"$out")" "髙橋　試験" "CP932 extension character kept"
expect_eq "$(jq -r '.message.MessageHeader.ErrorCode' <<<"$out")" "" "an empty element is an empty string"
expect_eq "$(jq -r '.message.MessageHeader | has("ReceptionNumber")' <<<"$out")" false "an absent element has no key"
expect_eq "$(jq -r '[.expiry[] | select(.element == "InsuredCardExpirationDate")][0].expiry' <<<"$out")" soon "expiry in json"
# Each query has its own identifier: the rest is compared.
no_id='del(.MessageHeader.ArbitraryFileIdentifier)'
json_message=$(jq -S ".message | $no_id" <<<"$out")

# --- --out: XML and JSON copies, 0600, a second answer does not overwrite ---
saved=$work/saved
ask 0 "$full" utf8 --out "$saved"
id=$(sed -n 's:.*<ArbitraryFileIdentifier>\([^<]*\)<.*:\1:p' "$term/last_request.xml")
[[ -f $saved/$id.xml && -f $saved/$id.json ]] || fail "--out files named after the identifier: $(ls -la "$saved")"
pass "--out files named after ArbitraryFileIdentifier"
expect_eq "$(stat -c %a "$saved/$id.xml") $(stat -c %a "$saved/$id.json") $(stat -c %a "$saved")" "600 600 700" "--out modes"
expect_contains "$out" "Saved: $saved/$id.xml" "saved files named"
expect_eq "$(jq -S "$no_id" "$saved/$id.json")" "$json_message" "the JSON copy is the --json message"
expect_contains "$(<"$saved/$id.xml")" "<InsuredCardSymbol>試験①</InsuredCardSymbol>" "the XML copy"
expect_eq "$(find "$saved" -name '.*' | wc -l)" 0 "no temporary file left"
ask 0 "$full" utf8 --out "$saved"
expect_eq "$(find "$saved" -name '*.xml' | wc -l)" 2 "a second answer gets its own file"

# --- every validity and processing state has its exit code ---
ask 11 "$fixtures/validity_2.xml" utf8
expect_contains "$out" "== Qualification: not valid ==" "invalid shown"
expect_contains "$out" "Qualification lost: 2025-01-31 (joined another health insurance)" "loss date and reason"
ask 11 "$fixtures/validity_3.xml" utf8
ask 12 "$fixtures/validity_4.xml" utf8
expect_contains "$out" "no qualification found" "no qualification shown"
ask 13 "$fixtures/validity_5.xml" utf8 --json
expect_eq "$(jq -r .outcome <<<"$out")" multiple "multiple matches outcome"
ask 14 "$fixtures/segment_9_error.xml" utf8
expect_contains "$out" "Error: E1001 要求ファイルの形式に誤りがあります。" "ErrorCode and ErrorMessage shown"
expect_contains "$out" "Processing: failed / error" "processing status shown"
ask 15 "$fixtures/segment_2_processing.xml" utf8 --json
expect_eq "$(jq -r .outcome <<<"$out")" in_progress "in progress outcome"
ask 10 "$fixtures/malformed/not_xml.xml" utf8
expect_contains "$err" "The qualification terminal's answer is not valid" "malformed answer named as the terminal's"
rm -f "$term"/res/*  # left there for a person to look at (docs/qualification.md)

# --- a Shift_JIS answer ---
ask 0 "$fixtures/number_answer.xml" sjis --json
expect_eq "$(jq -r '.message.MessageBody.ResultList[0].Name' <<<"$out")" "試験　花子" "Shift_JIS answer read"
expect_eq "$(jq -r '.message.MessageHeader.CharacterCodeIdentifier.en' <<<"$out")" "Shift_JIS" "its encoding named"
ask 0 "$fixtures/number_answer.xml" sjis --out "$work/sjis"
if iconv -f UTF-8 -t UTF-8 "$work"/sjis/*.xml >/dev/null 2>&1; then fail "the XML copy is not in the answer's encoding"; fi
grep -q 'encoding="Shift_JIS"' "$work"/sjis/*.xml || fail "the XML copy does not declare Shift_JIS"
iconv -f CP932 -t UTF-8 "$work"/sjis/*.xml | grep -q "試験　花子" || fail "the Shift_JIS copy does not hold the name"
pass "the XML copy keeps the answer's encoding"

# --- a time-out: exit 7, the request withdrawn ---
expect_exit 7 qualify --terminal-dir "$term" "${q_args[@]}" --timeout 1
expect_contains "$err" "did not answer in time" "time-out sentence"
expect_eq "$(find "$term/req" -type f | wc -l)" 0 "the unanswered request is withdrawn"

# --- arguments refused before anything is written (exit 2) ---
refused() {  # refused WHAT ARGS...: exit 2, no request, no --out folder
  local what=$1
  shift
  expect_exit 2 qualify "$@"
  expect_eq "$(find "$term/req" "$term/res" -type f | wc -l)" 0 "$what: nothing written"
  [[ ! -e $work/never ]] || fail "$what: --out folder made"
  pass "$what: refused ($err)"
}
base=(--terminal-dir "$term" --out "$work/never")
# with OPTION VALUE: q_args with that option's value replaced, so that the
# refusal is our check of the value, not CLI11's of a repeated option.
with() {
  local args=("${q_args[@]}") i
  for i in "${!args[@]}"; do
    [[ ${args[i]} == "$1" ]] && args[i+1]=$2
  done
  printf '%s\0' "${args[@]}"
}
refused_with() {  # refused_with WHAT OPTION VALUE [MESSAGE PART]
  local args
  mapfile -d '' args < <(with "$2" "$3")
  refused "$1" "${base[@]}" "${args[@]}"
  [[ -z ${4:-} ]] || expect_contains "$err" "$4" "$1: the message says why"
}
refused "no mode"
refused_with "institution code" --institution-code 131234567 "--institution-code"
refused_with "insurer 7 digits" --insurer 1381234 "6 or 8 digits"
refused_with "insurer letters" --insurer 0613999x "6 or 8 digits"
refused_with "insurer check digit" --insurer 138124 "検証番号"
refused_with "branch" --branch 1 "--branch"
refused_with "not a date" --birth 20230229 "not a date"
refused_with "future birth" --birth "$(in_future '+1 day')" "future"
for t in 0 601; do
  refused "timeout $t" "${base[@]}" "${q_args[@]}" --timeout $t
  expect_contains "$err" "--timeout: 1 to 600" "timeout $t: the message says why"
done
refused "no number" "${base[@]}" --institution-code 1312345678 --insurer 138123 --symbol a --birth 19800101
refused_with "control character" --number $'12\n34' "control character"
refused "no birth date" "${base[@]}" --institution-code 1312345678 --insurer 138123 --symbol a --number 1
refused "two modes" "${base[@]}" "${q_args[@]}" --watch-face "$term/face"
refused "journal with a query" "${base[@]}" "${q_args[@]}" --journal "$work/j.sqlite"
refused "query option while watching" --watch-face "$term/face" --insurer 138123
refused "no req folder" --terminal-dir "$term/face" "${q_args[@]}"
expect_contains "$err" "req folder" "the missing folder named"
touch "$work/a-file"
refused "--out not a folder" --terminal-dir "$term" "${q_args[@]}" --out "$work/a-file"
