<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>mynacard::gui::PatientPanel</name>
    <message>
        <source>Patient panel</source>
        <translation>患者さま用画面</translation>
    </message>
    <message>
        <source>Switch the language of this screen</source>
        <translation>この画面の言語を切り替える</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>文字を大きく</translation>
    </message>
    <message>
        <source>Larger text on this screen</source>
        <translation>この画面の文字を大きくする</translation>
    </message>
    <message>
        <source>Please place your My Number Card on the reader.</source>
        <translation>マイナンバーカードをカードリーダーに置いてください。</translation>
    </message>
    <message>
        <source>Reading your card. Please leave it on the reader.</source>
        <translation>カードを読み取っています。カードはそのまま置いておいてください。</translation>
    </message>
    <message>
        <source>Choose what the clinic may see. Nothing is chosen for you; you can continue without choosing anything.</source>
        <translation>医療機関が閲覧してよい情報を選んでください。最初は何も選ばれていません。何も選ばずに進むこともできます。</translation>
    </message>
    <message>
        <source>Medication information (薬剤情報)</source>
        <translation>薬剤情報</translation>
    </message>
    <message>
        <source>Health check-up results (特定健診情報)</source>
        <translation>特定健診情報</translation>
    </message>
    <message>
        <source>Treatment information (診療情報)</source>
        <translation>診療情報</translation>
    </message>
    <message>
        <source>Surgery information (手術情報)</source>
        <translation>手術情報</translation>
    </message>
    <message>
        <source>Limit on medical costs (限度額適用)</source>
        <translation>限度額適用</translation>
    </message>
    <message>
        <source>Specified disease (特定疾病)</source>
        <translation>特定疾病</translation>
    </message>
    <message>
        <source>The medicines prescribed to you before, so doctors can avoid clashes.</source>
        <translation>これまでに処方された薬の情報です。飲み合わせの確認などに使います。</translation>
    </message>
    <message>
        <source>The results of your specified health check-ups.</source>
        <translation>特定健診の結果です。</translation>
    </message>
    <message>
        <source>Past diagnoses and treatments at other clinics and hospitals.</source>
        <translation>ほかの医療機関での診療・治療の情報です。</translation>
    </message>
    <message>
        <source>The operations you had before.</source>
        <translation>これまでに受けた手術の情報です。</translation>
    </message>
    <message>
        <source>Your limit category, so you pay no more than the monthly limit here.</source>
        <translation>限度額の区分です。窓口でのお支払いが月の上限額までになります。</translation>
    </message>
    <message>
        <source>Your specified disease certificate, so its reduced payment applies.</source>
        <translation>特定疾病療養受療証の情報です。軽減された自己負担が適用されます。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>次へ</translation>
    </message>
    <message>
        <source>Continue to the PIN</source>
        <translation>暗証番号の入力へ進む</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel and take the card</source>
        <translation>取り消してカードを取る</translation>
    </message>
    <message>
        <source>Only one try is left. If this PIN is wrong, the card&apos;s PIN locks and must be reset at your city office. Use the PIN you typed?</source>
        <translation>残りの入力回数はあと1回です。この暗証番号が違っているとロックされ、市区町村の窓口で初期化が必要になります。入力した暗証番号で確認しますか？</translation>
    </message>
    <message>
        <source>Use this PIN</source>
        <translation>この暗証番号で確認する</translation>
    </message>
    <message>
        <source>Use this PIN for the last try</source>
        <translation>最後の1回をこの暗証番号で使う</translation>
    </message>
    <message>
        <source>Checking your insurance. Please leave the card on the reader.</source>
        <translation>資格を確認しています。カードはそのまま置いておいてください。</translation>
    </message>
    <message>
        <source>Checking</source>
        <translation>確認中</translation>
    </message>
    <message>
        <source>Cancel the check</source>
        <translation>確認を取り消す</translation>
    </message>
    <message>
        <source>Done. Please take your card.</source>
        <translation>確認が終わりました。カードをお取りください。</translation>
    </message>
    <message>
        <source>Digits typed</source>
        <translation>入力した桁数</translation>
    </message>
    <message>
        <source>Type the 4-digit PIN of your card (利用者証明用). Tries left: %1</source>
        <translation>カードの暗証番号（利用者証明用・数字4桁）を入力してください。残り回数：%1</translation>
    </message>
    <message>
        <source>The PIN has 4 digits.</source>
        <translation>暗証番号は数字4桁です。</translation>
    </message>
    <message>
        <source>The check was cancelled.</source>
        <translation>確認を取り消しました。</translation>
    </message>
    <message>
        <source>The time ran out; nothing was checked.</source>
        <translation>時間切れのため、確認は行っていません。</translation>
    </message>
    <message>
        <source>Please take your card.</source>
        <translation>カードをお取りください。</translation>
    </message>
</context>
<context>
    <name>mynacard::gui::ReceptionWindow</name>
    <message>
        <source>Front desk — qualification check</source>
        <translation>受付 — オンライン資格確認</translation>
    </message>
    <message>
        <source>Desk notice</source>
        <translation>受付へのお知らせ</translation>
    </message>
    <message>
        <source>No result. Waiting for a card, a face result or a query.</source>
        <translation>結果はありません。カード、顔認証の結果、または照会をお待ちしています。</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Confirm and export</source>
        <translation>確認して連携</translation>
    </message>
    <message>
        <source>Confirm the result and export it to the clinic system</source>
        <translation>結果を確認して院内システムへ連携する</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>消去</translation>
    </message>
    <message>
        <source>Clear the result without exporting</source>
        <translation>連携せずに結果を消去する</translation>
    </message>
    <message>
        <source>Clinic patient number (照会番号):</source>
        <translation>照会番号：</translation>
    </message>
    <message>
        <source>Clinic patient number (照会番号)</source>
        <translation>照会番号</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>登録</translation>
    </message>
    <message>
        <source>Register the clinic patient number for this person</source>
        <translation>この方の照会番号を登録する</translation>
    </message>
    <message>
        <source>Face results waiting</source>
        <translation>顔認証の結果（未確認）</translation>
    </message>
    <message>
        <source>Face results waiting, by arrival time</source>
        <translation>顔認証の結果（到着時刻順）</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>開く</translation>
    </message>
    <message>
        <source>Open the selected face result</source>
        <translation>選んだ顔認証の結果を開く</translation>
    </message>
    <message>
        <source>Query by insurance numbers</source>
        <translation>保険証の記号番号で照会</translation>
    </message>
    <message>
        <source>Insurer number</source>
        <translation>保険者番号</translation>
    </message>
    <message>
        <source>Symbol (記号, optional)</source>
        <translation>記号（省略可）</translation>
    </message>
    <message>
        <source>Number (番号)</source>
        <translation>番号</translation>
    </message>
    <message>
        <source>Branch (枝番)</source>
        <translation>枝番</translation>
    </message>
    <message>
        <source>Birth date (YYYYMMDD)</source>
        <translation>生年月日（西暦8桁）</translation>
    </message>
    <message>
        <source>The patient consents to the limit information (限度額)</source>
        <translation>限度額情報の提供に患者さまの同意あり</translation>
    </message>
    <message>
        <source>Send query</source>
        <translation>照会する</translation>
    </message>
    <message>
        <source>Send the query through the terminal</source>
        <translation>資格確認端末へ照会を送る</translation>
    </message>
    <message>
        <source>Exports</source>
        <translation>院内システムへの連携</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>今すぐ再送</translation>
    </message>
    <message>
        <source>Retry the pending exports now</source>
        <translation>未連携の結果を今すぐ再送する</translation>
    </message>
    <message>
        <source>History: time, validity and export file</source>
        <translation>履歴：時刻・資格の有効性・連携ファイル</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時刻</translation>
    </message>
    <message>
        <source>Validity</source>
        <translation>資格の有効性</translation>
    </message>
    <message>
        <source>Export file</source>
        <translation>連携ファイル</translation>
    </message>
    <message>
        <source>Registered.</source>
        <translation>登録しました。</translation>
    </message>
    <message>
        <source>Waiting for the answer…</source>
        <translation>回答を待っています…</translation>
    </message>
    <message>
        <source>All exports written.</source>
        <translation>すべて連携済みです。</translation>
    </message>
    <message numerus="yes">
        <source>%n export(s) pending: the folder cannot be written now; retried automatically.</source>
        <translation>
                <numerusform>未連携 %n 件：連携先フォルダに書き込めません。自動で再送します。</numerusform>
            </translation>
    </message>
    <message>
        <source>Face result, arrived %1</source>
        <translation>顔認証の結果（%1 着）</translation>
    </message>
    <message>
        <source>Error %1</source>
        <translation>エラー %1</translation>
    </message>
    <message>
        <source> (pending)</source>
        <translation>（未連携）</translation>
    </message>
</context>
<context>
    <name>mynacard::gui::ResultSheet</name>
    <message>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>次にすること</translation>
    </message>
    <message>
        <source>Validity</source>
        <translation>資格の有効性</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>注意</translation>
    </message>
    <message>
        <source>Record %1</source>
        <translation>該当 %1</translation>
    </message>
    <message>
        <source>Insurance</source>
        <translation>保険</translation>
    </message>
    <message>
        <source>Insurer</source>
        <translation>保険者</translation>
    </message>
    <message>
        <source>Symbol / number / branch</source>
        <translation>記号・番号・枝番</translation>
    </message>
    <message>
        <source>Card classification</source>
        <translation>被保険者証区分</translation>
    </message>
    <message>
        <source>Copayment (負担割合)</source>
        <translation>負担割合</translation>
    </message>
    <message>
        <source>Elderly recipient (高齢受給者)</source>
        <translation>高齢受給者</translation>
    </message>
    <message>
        <source>%1, %2 – %3</source>
        <translation>%1（%2～%3）</translation>
    </message>
    <message>
        <source>Limit category (限度額適用)</source>
        <translation>限度額適用区分</translation>
    </message>
    <message>
        <source> (self-pay %1 yen)</source>
        <translation>（自己負担 %1 円）</translation>
    </message>
    <message>
        <source>Specified diseases</source>
        <translation>特定疾病</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>氏名</translation>
    </message>
    <message>
        <source>Kana</source>
        <translation>カナ氏名</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>生年月日</translation>
    </message>
    <message>
        <source>Sex (as on the card)</source>
        <translation>性別（券面記載）</translation>
    </message>
    <message>
        <source>Consents given</source>
        <translation>同意の状況</translation>
    </message>
    <message>
        <source>Medication</source>
        <translation>薬剤情報</translation>
    </message>
    <message>
        <source>Health check-ups</source>
        <translation>特定健診情報</translation>
    </message>
    <message>
        <source>Treatment</source>
        <translation>診療情報</translation>
    </message>
    <message>
        <source>Surgery</source>
        <translation>手術情報</translation>
    </message>
    <message>
        <source>Limit on medical costs</source>
        <translation>限度額適用</translation>
    </message>
    <message>
        <source>Specified disease</source>
        <translation>特定疾病</translation>
    </message>
</context>
</TS>
