<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>CertificateInfo</name>
    <message>
        <source>valid</source>
        <translation>有効</translation>
    </message>
    <message>
        <source>expires soon</source>
        <translation>まもなく期限切れ</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>期限切れ</translation>
    </message>
    <message>
        <source>not yet valid</source>
        <translation>有効期間前</translation>
    </message>
    <message>
        <source>This certificate expires on %1. Renew it at your municipal office before then; after that date it cannot be used.</source>
        <translation>この電子証明書は %1 に有効期限を迎えます。期限を過ぎると利用できなくなるため、それまでにお住まいの市区町村の窓口で更新してください。</translation>
    </message>
    <message>
        <source>This certificate expired on %1 and can no longer be used. New certificates are issued at your municipal office.</source>
        <translation>この電子証明書は %1 に有効期限が切れており、利用できません。新しい電子証明書はお住まいの市区町村の窓口で発行を受けられます。</translation>
    </message>
    <message>
        <source>This certificate is not valid yet (from %1). Check the computer&apos;s clock.</source>
        <translation>この電子証明書はまだ有効期間前です（%1 から有効）。コンピューターの時刻を確認してください。</translation>
    </message>
    <message>
        <source>User authentication certificate</source>
        <translation>利用者証明用電子証明書</translation>
    </message>
    <message>
        <source>Digital signature certificate</source>
        <translation>署名用電子証明書</translation>
    </message>
    <message>
        <source>User authentication CA certificate</source>
        <translation>利用者証明用 CA 証明書</translation>
    </message>
    <message>
        <source>Digital signature CA certificate</source>
        <translation>署名用 CA 証明書</translation>
    </message>
    <message>
        <source>male</source>
        <translation>男性</translation>
    </message>
    <message>
        <source>female</source>
        <translation>女性</translation>
    </message>
    <message>
        <source>not applicable</source>
        <translation>適用不能</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>不明</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message numerus="yes">
        <source>The PIN is not correct. %n tries left before it is blocked.</source>
        <translation>
            <numerusform>暗証番号が違います。あと %n 回間違えるとロックされます。</numerusform>
        </translation>
    </message>
    <message>
        <source>The PIN is not correct.</source>
        <translation>暗証番号が違います。</translation>
    </message>
    <message>
        <source>The PIN is blocked: no tries are left. It can only be reset at your municipal office (市区町村の窓口); bring the card and identification.</source>
        <translation>暗証番号がロックされています（残り回数 0）。再設定はお住まいの市区町村の窓口でのみ行えます。カードと本人確認書類をお持ちください。</translation>
    </message>
    <message>
        <source>This PIN does not have the right format: the user-authentication and card-information PINs are 4 digits, the signature password 6 to 16 letters A–Z and digits. Nothing was sent to the card.</source>
        <translation>暗証番号の形式が正しくありません。利用者証明用と券面事項入力補助用は数字4桁、署名用パスワードは英大文字（A〜Z）と数字を組み合わせた6〜16文字です。カードには何も送信していません。</translation>
    </message>
    <message>
        <source>This is the last try of this PIN. Confirm that you want to use it; if it is wrong, the PIN will be blocked.</source>
        <translation>この暗証番号の残り回数は1回です。間違えるとロックされます。入力してよいか確認してください。</translation>
    </message>
    <message>
        <source>The card refused: this needs a PIN that has not been entered.</source>
        <translation>カードが拒否しました。この操作には、まだ入力されていない暗証番号が必要です。</translation>
    </message>
    <message>
        <source>The card was removed during the operation. Insert it again and retry.</source>
        <translation>処理中にカードが抜かれました。カードを挿し直して、もう一度お試しください。</translation>
    </message>
    <message>
        <source>Another program reset the card during the operation. Please retry.</source>
        <translation>処理中に別のプログラムがカードをリセットしました。もう一度お試しください。</translation>
    </message>
    <message>
        <source>There is no card in the reader. Insert your My Number Card.</source>
        <translation>カードリーダーにカードがありません。マイナンバーカードを挿入してください。</translation>
    </message>
    <message>
        <source>The card reader is not available. Check that it is connected.</source>
        <translation>カードリーダーを利用できません。接続を確認してください。</translation>
    </message>
    <message>
        <source>The smart card service (pcscd) is not running. Start it (for example &quot;systemctl start pcscd&quot;) and try again.</source>
        <translation>スマートカードサービス（pcscd）が動作していません。起動してから（例：「systemctl start pcscd」）もう一度お試しください。</translation>
    </message>
    <message>
        <source>Communication with the card reader failed. Remove the card, insert it again and retry.</source>
        <translation>カードリーダーとの通信に失敗しました。カードを抜いて挿し直し、もう一度お試しください。</translation>
    </message>
    <message>
        <source>The operation took too long and was stopped.</source>
        <translation>処理に時間がかかりすぎたため中止しました。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>中止しました。</translation>
    </message>
    <message>
        <source>The card does not have this information or application.</source>
        <translation>このカードには、この情報またはアプリケーションがありません。</translation>
    </message>
    <message>
        <source>This card or reader cannot do this.</source>
        <translation>このカードまたはカードリーダーでは、この操作はできません。</translation>
    </message>
    <message>
        <source>The card answered with an unexpected error.</source>
        <translation>カードが予期しないエラーを返しました。</translation>
    </message>
    <message>
        <source>The card returned data that could not be read. It may not be a My Number Card, or it may be damaged.</source>
        <translation>カードから読み取ったデータを解釈できませんでした。マイナンバーカードではないか、カードが破損している可能性があります。</translation>
    </message>
    <message>
        <source>The input is not valid.</source>
        <translation>入力内容が正しくありません。</translation>
    </message>
    <message>
        <source>A file could not be read or written.</source>
        <translation>ファイルを読み書きできませんでした。</translation>
    </message>
    <message>
        <source>An internal error occurred. Please report it.</source>
        <translation>内部エラーが発生しました。開発者に報告してください。</translation>
    </message>
    <message>
        <source>An unknown error occurred.</source>
        <translation>不明なエラーが発生しました。</translation>
    </message>
</context>
<context>
    <name>mynacard::gui::AuditHistoryModel</name>
    <message numerus="yes">
        <source>No entry was damaged or changed without rewriting the whole history (%n entries).</source>
        <translation>
            <numerusform>履歴全体を書き換えずに破損・変更された記録はありません（%n 件）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Warning: the history was changed or damaged at line %1. Entries from there on cannot be trusted.</source>
        <translation>警告：履歴の %1 行目が変更または破損しています。その行以降の記録は信頼できません。</translation>
    </message>
    <message>
        <source>The history could not be read.</source>
        <translation>履歴を読み込めませんでした。</translation>
    </message>
    <message>
        <source>%1 (process %2)</source>
        <translation>%1（プロセス %2）</translation>
    </message>
    <message>
        <source>Reader: %1</source>
        <translation>カードリーダー：%1</translation>
    </message>
    <message>
        <source>When</source>
        <translation>日時</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>プログラム</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>PIN / key</source>
        <translation>暗証番号／鍵</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>read a certificate</source>
        <translation>電子証明書を読み取り</translation>
    </message>
    <message>
        <source>read the signature certificate</source>
        <translation>署名用電子証明書を読み取り</translation>
    </message>
    <message>
        <source>signed</source>
        <translation>電子署名</translation>
    </message>
    <message>
        <source>checked a PIN (log-in)</source>
        <translation>暗証番号を照合（ログイン）</translation>
    </message>
    <message>
        <source>read the tries left</source>
        <translation>残り試行回数を確認</translation>
    </message>
    <message>
        <source>changed a PIN</source>
        <translation>暗証番号を変更</translation>
    </message>
    <message>
        <source>read the card information (My Number, name, address)</source>
        <translation>券面事項（マイナンバー・氏名・住所）を読み取り</translation>
    </message>
    <message>
        <source>read the card face images</source>
        <translation>券面画像を読み取り</translation>
    </message>
    <message>
        <source>saved a certificate to a file</source>
        <translation>電子証明書をファイルに保存</translation>
    </message>
    <message>
        <source>allowed a program to receive the signature certificate</source>
        <translation>署名用電子証明書の提供を許可</translation>
    </message>
    <message>
        <source>refused a program the signature certificate</source>
        <translation>署名用電子証明書の提供を拒否</translation>
    </message>
    <message>
        <source>checked the health insurance qualification with the card</source>
        <translation>マイナンバーカードで保険資格を確認</translation>
    </message>
    <message>
        <source>checked a health insurance qualification by its numbers</source>
        <translation>保険証等の番号で保険資格を確認</translation>
    </message>
    <message>
        <source>opened a face reader&apos;s qualification result</source>
        <translation>顔認証付きカードリーダーの資格確認結果を表示</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>wrong PIN</source>
        <translation>暗証番号の誤り</translation>
    </message>
    <message>
        <source>PIN blocked</source>
        <translation>暗証番号ロック</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>中止</translation>
    </message>
    <message>
        <source>card removed</source>
        <translation>カードが抜かれた</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>user authentication</source>
        <translation>利用者証明用</translation>
    </message>
    <message>
        <source>digital signature</source>
        <translation>署名用</translation>
    </message>
    <message>
        <source>card information</source>
        <translation>券面事項入力補助用</translation>
    </message>
</context>
<context>
    <name>mynacard::gui::CardView</name>
    <message>
        <source>not on this card</source>
        <translation>このカードにはありません</translation>
    </message>
    <message>
        <source>blocked (reset at your municipal office)</source>
        <translation>ロック中（市区町村の窓口で再設定）</translation>
    </message>
    <message>
        <source>%1 of %2 tries left</source>
        <translation>残り %1 回（%2 回中）</translation>
    </message>
    <message>
        <source>My Number Card</source>
        <translation>マイナンバーカード</translation>
    </message>
    <message>
        <source>Card readers</source>
        <translation>カードリーダー</translation>
    </message>
    <message>
        <source>Choose the reader whose card is shown</source>
        <translation>表示するカードのリーダーを選んでください</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>カード</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>Card information</source>
        <translation>カード情報</translation>
    </message>
    <message>
        <source>&amp;Card and PINs</source>
        <translation>カードと暗証番号(&amp;C)</translation>
    </message>
    <message>
        <source>C&amp;ertificates</source>
        <translation>電子証明書(&amp;E)</translation>
    </message>
    <message>
        <source>My &amp;Number and basic facts</source>
        <translation>マイナンバーと基本4情報(&amp;N)</translation>
    </message>
    <message>
        <source>Card &amp;face</source>
        <translation>券面(&amp;F)</translation>
    </message>
    <message>
        <source>Usage &amp;history</source>
        <translation>利用履歴(&amp;H)</translation>
    </message>
    <message>
        <source>Working with the card</source>
        <translation>カードを処理中</translation>
    </message>
    <message>
        <source>Working with the card…</source>
        <translation>カードを処理しています…</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>アプリケーション</translation>
    </message>
    <message>
        <source>On this card</source>
        <translation>搭載</translation>
    </message>
    <message>
        <source>Applications on the card</source>
        <translation>カードのアプリケーション</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>暗証番号</translation>
    </message>
    <message>
        <source>Tries left</source>
        <translation>残り回数</translation>
    </message>
    <message>
        <source>PINs and tries left</source>
        <translation>暗証番号と残り回数</translation>
    </message>
    <message>
        <source>Change %1…</source>
        <translation>%1を変更…</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>%1を変更</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>再読み取り(&amp;R)</translation>
    </message>
    <message>
        <source>Read the tries left again</source>
        <translation>残り回数をもう一度読み取る</translation>
    </message>
    <message>
        <source>Applications</source>
        <translation>アプリケーション</translation>
    </message>
    <message>
        <source>PINs</source>
        <translation>暗証番号</translation>
    </message>
    <message>
        <source>Certificate warning</source>
        <translation>電子証明書の警告</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>電子証明書</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>有効期限</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Certificates on the card</source>
        <translation>カードの電子証明書</translation>
    </message>
    <message>
        <source>Certificate details</source>
        <translation>電子証明書の詳細</translation>
    </message>
    <message>
        <source>Read &amp;certificates</source>
        <translation>電子証明書を読み取る(&amp;C)</translation>
    </message>
    <message>
        <source>Read the certificates that need no PIN</source>
        <translation>暗証番号の不要な電子証明書を読み取る</translation>
    </message>
    <message>
        <source>Read &amp;signature certificate…</source>
        <translation>署名用電子証明書を読み取る(&amp;S)…</translation>
    </message>
    <message>
        <source>Read the signature certificate (needs the signature password)</source>
        <translation>署名用電子証明書を読み取る（署名用パスワードが必要）</translation>
    </message>
    <message>
        <source>&amp;Save to file…</source>
        <translation>ファイルに保存(&amp;S)…</translation>
    </message>
    <message>
        <source>Save the selected certificate to a file</source>
        <translation>選んだ電子証明書をファイルに保存する</translation>
    </message>
    <message>
        <source>The card-information application (券面事項入力補助AP) holds your My Number and the four basic facts. Reading it needs the 4-digit card-information PIN.</source>
        <translation>券面事項入力補助APには、マイナンバーと基本4情報（氏名・住所・生年月日・性別）が記録されています。読み取るには4桁の券面事項入力補助用暗証番号が必要です。</translation>
    </message>
    <message>
        <source>My Number</source>
        <translation>マイナンバー</translation>
    </message>
    <message>
        <source>S&amp;how</source>
        <translation>表示(&amp;H)</translation>
    </message>
    <message>
        <source>Show the My Number</source>
        <translation>マイナンバーを表示する</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>氏名</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住所</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>生年月日</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性別</translation>
    </message>
    <message>
        <source>Signature of the data</source>
        <translation>データの署名</translation>
    </message>
    <message>
        <source>My Number:</source>
        <translation>マイナンバー：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>氏名：</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>住所：</translation>
    </message>
    <message>
        <source>Date of birth:</source>
        <translation>生年月日：</translation>
    </message>
    <message>
        <source>Sex:</source>
        <translation>性別：</translation>
    </message>
    <message>
        <source>Signature:</source>
        <translation>署名：</translation>
    </message>
    <message>
        <source>&amp;Read with the card-information PIN…</source>
        <translation>券面事項入力補助用暗証番号で読み取る(&amp;R)…</translation>
    </message>
    <message>
        <source>Read the My Number and basic facts</source>
        <translation>マイナンバーと基本4情報を読み取る</translation>
    </message>
    <message>
        <source>The card-face application (券面AP) holds the images printed on the card. It is unlocked with 照合番号B, 14 digits: your date of birth (YYMMDD), the card&apos;s expiry year (YYYY) and the 4-digit security code printed on the front.</source>
        <translation>券面APには、カードに印字された内容の画像が記録されています。照合番号B（14桁）で読み取れます：生年月日（YYMMDD）、カードの有効期限の西暦年（YYYY）、カード表面に印字された4桁のセキュリティコードです。</translation>
    </message>
    <message>
        <source>照合番号&amp;B:</source>
        <translation>照合番号B(&amp;B)：</translation>
    </message>
    <message>
        <source>照合番号B, 14 digits</source>
        <translation>照合番号B（14桁）</translation>
    </message>
    <message>
        <source>Read card &amp;face</source>
        <translation>券面を読み取る(&amp;F)</translation>
    </message>
    <message>
        <source>Read the card face images</source>
        <translation>券面画像を読み取る</translation>
    </message>
    <message>
        <source>Name as printed on the card</source>
        <translation>カードに印字された氏名</translation>
    </message>
    <message>
        <source>Address as printed on the card</source>
        <translation>カードに印字された住所</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>顔写真</translation>
    </message>
    <message>
        <source>Facts printed on the card</source>
        <translation>カードに印字された事項</translation>
    </message>
    <message>
        <source>Save &amp;photo…</source>
        <translation>顔写真を保存(&amp;P)…</translation>
    </message>
    <message>
        <source>Save the photo (JPEG 2000) to a file</source>
        <translation>顔写真（JPEG 2000）をファイルに保存する</translation>
    </message>
    <message>
        <source>When and by which program your card was used. Each entry is chained to the one before, so a changed history shows.</source>
        <translation>いつ、どのプログラムがカードを使ったかの記録です。各記録は直前の記録と連結されているため、書き換えられると分かります。</translation>
    </message>
    <message>
        <source>Check of the history</source>
        <translation>履歴の検証</translation>
    </message>
    <message>
        <source>Usage history</source>
        <translation>利用履歴</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>再読み込み(&amp;L)</translation>
    </message>
    <message>
        <source>Read the history again</source>
        <translation>履歴をもう一度読み込む</translation>
    </message>
    <message>
        <source>card does not respond</source>
        <translation>カードが応答しません</translation>
    </message>
    <message>
        <source>card inserted</source>
        <translation>カードあり</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>カードなし</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>No card reader found. Connect a reader; if one is connected, check that the smart card service (pcscd) is running.</source>
        <translation>カードリーダーが見つかりません。カードリーダーを接続してください。接続済みの場合は、スマートカードサービス（pcscd）が動作しているか確認してください。</translation>
    </message>
    <message>
        <source>The card in %1 does not respond. Insert it again.</source>
        <translation>%1 のカードが応答しません。カードを挿し直してください。</translation>
    </message>
    <message>
        <source>Insert your My Number Card into %1.</source>
        <translation>%1 にマイナンバーカードを挿入してください。</translation>
    </message>
    <message>
        <source>Card in %1</source>
        <translation>%1 のカード</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>あり</translation>
    </message>
    <message>
        <source>no</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>JPKI (authentication and signature)</source>
        <translation>JPKI（利用者証明・署名）</translation>
    </message>
    <message>
        <source>券面事項入力補助AP (My Number and basic facts)</source>
        <translation>券面事項入力補助AP（マイナンバー・基本4情報）</translation>
    </message>
    <message>
        <source>券面AP (card face)</source>
        <translation>券面AP（券面画像）</translation>
    </message>
    <message>
        <source>Issuer: %1</source>
        <translation>発行者：%1</translation>
    </message>
    <message>
        <source>Valid from %1 until %2</source>
        <translation>有効期間：%1 から %2 まで</translation>
    </message>
    <message>
        <source>This certificate discloses to every program that receives it:</source>
        <translation>この電子証明書を受け取るすべてのプログラムに、次の情報が伝わります：</translation>
    </message>
    <message>
        <source>Name: %1</source>
        <translation>氏名：%1</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>住所：%1</translation>
    </message>
    <message>
        <source>Date of birth: %1</source>
        <translation>生年月日：%1</translation>
    </message>
    <message>
        <source>Sex: %1</source>
        <translation>性別：%1</translation>
    </message>
    <message>
        <source>This certificate carries no name, address, birth date or sex.</source>
        <translation>この電子証明書には氏名・住所・生年月日・性別は含まれていません。</translation>
    </message>
    <message>
        <source>PEM certificate (*.pem)</source>
        <translation>PEM 形式の電子証明書 (*.pem)</translation>
    </message>
    <message>
        <source>DER certificate (*.der *.cer)</source>
        <translation>DER 形式の電子証明書 (*.der *.cer)</translation>
    </message>
    <message>
        <source>Save certificate</source>
        <translation>電子証明書の保存</translation>
    </message>
    <message>
        <source>The certificate was saved to %1.</source>
        <translation>電子証明書を %1 に保存しました。</translation>
    </message>
    <message>
        <source>Enter the current %1.</source>
        <translation>現在の%1を入力してください。</translation>
    </message>
    <message>
        <source>Enter the new %1.</source>
        <translation>新しい%1を入力してください。</translation>
    </message>
    <message>
        <source>Enter the new %1 again.</source>
        <translation>確認のため、新しい%1をもう一度入力してください。</translation>
    </message>
    <message>
        <source>The two new PINs are not the same. Nothing was changed.</source>
        <translation>2回入力した新しい暗証番号が一致しません。変更は行っていません。</translation>
    </message>
    <message>
        <source>The %1 was changed.</source>
        <translation>%1を変更しました。</translation>
    </message>
    <message>
        <source>hidden except the last 4 digits</source>
        <translation>下4桁以外は非表示</translation>
    </message>
    <message>
        <source>The card&apos;s signature over this data is valid.</source>
        <translation>このデータに対するカードの署名は有効です。</translation>
    </message>
    <message>
        <source>The card&apos;s signature over this data does not verify: the data may have been altered.</source>
        <translation>このデータに対するカードの署名を検証できません。データが改ざんされている可能性があります。</translation>
    </message>
    <message>
        <source>&amp;Hide</source>
        <translation>隠す(&amp;H)</translation>
    </message>
    <message>
        <source>Hide the My Number</source>
        <translation>マイナンバーを隠す</translation>
    </message>
    <message>
        <source>Only one try is left for 照合番号B: a wrong number locks the card face until the city office resets it. Nothing was sent to the card. Check the number printed on the card, type it again and read to use the last try.</source>
        <translation>照合番号Bの残り回数は1回です。間違えると、市区町村の窓口で解除するまで券面を読み取れなくなります。カードには何も送信していません。カードに印刷された番号を確かめ、もう一度入力して読み取ると、最後の1回を使います。</translation>
    </message>
    <message>
        <source>照合番号B has 14 digits. Nothing was sent to the card.</source>
        <translation>照合番号Bは14桁です。カードには何も送信していません。</translation>
    </message>
    <message>
        <source>Date of birth: %1
Sex: %2
Card valid until: %3</source>
        <translation>生年月日：%1
性別：%2
カードの有効期限：%3</translation>
    </message>
    <message>
        <source>The photo on the card could not be decoded. You can still save it to a file (JPEG 2000).</source>
        <translation>カードの顔写真を表示できませんでした。ファイル（JPEG 2000 形式）として保存することはできます。</translation>
    </message>
    <message>
        <source>Save photo</source>
        <translation>顔写真の保存</translation>
    </message>
    <message>
        <source>JPEG 2000 image (*.jp2)</source>
        <translation>JPEG 2000 画像 (*.jp2)</translation>
    </message>
    <message>
        <source>The photo was saved to %1.</source>
        <translation>顔写真を %1 に保存しました。</translation>
    </message>
    <message>
        <source>Sh&amp;aring</source>
        <translation>情報の提供(&amp;A)</translation>
    </message>
    <message>
        <source>Remembered answers</source>
        <translation>記憶している回答</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>プログラム</translation>
    </message>
    <message>
        <source>Your answer</source>
        <translation>あなたの回答</translation>
    </message>
    <message>
        <source>Decided on</source>
        <translation>回答日時</translation>
    </message>
    <message>
        <source>Select an answer and press Delete or the Forget button to be asked again</source>
        <translation>回答を選んで Delete キーか「回答を取り消す」ボタンを押すと、次回もう一度確認されます</translation>
    </message>
    <message>
        <source>F&amp;orget answer</source>
        <translation>回答を取り消す(&amp;O)</translation>
    </message>
    <message>
        <source>Forget the selected answer</source>
        <translation>選択した回答を取り消す</translation>
    </message>
    <message>
        <source>Read the remembered answers again</source>
        <translation>記憶している回答をもう一度読み込む</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>拒否した</translation>
    </message>
    <message>
        <source>the signature certificate on this card</source>
        <translation>このカードの署名用電子証明書</translation>
    </message>
    <message>
        <source>another or unknown certificate</source>
        <translation>別の電子証明書、または未確認</translation>
    </message>
    <message>
        <source>SHA-256 of the certificate: %1</source>
        <translation>電子証明書の SHA-256：%1</translation>
    </message>
    <message>
        <source>Your answers cannot be found: there is no home directory for them.</source>
        <translation>ホームディレクトリがないため、回答の保存場所が見つかりません。</translation>
    </message>
    <message>
        <source>The answers you gave when a program asked for your digital signature certificate, which shows your name, address, date of birth and sex; an answer is used again without asking you until you forget it here.</source>
        <translation>プログラムが署名用電子証明書（氏名・住所・生年月日・性別が記載されています）を求めたときのあなたの回答で、ここで取り消すまでは確認なしにそのまま使われます。</translation>
    </message>
    <message>
        <source>You are asked again the next time the program wants the signature certificate</source>
        <translation>次にそのプログラムが署名用電子証明書を求めたときに、もう一度確認されます</translation>
    </message>
    <message>
        <source>allowed</source>
        <translation>許可した</translation>
    </message>
    <message>
        <source>No answers are remembered: you are asked whenever a program wants the signature certificate.</source>
        <translation>記憶している回答はありません。プログラムが署名用電子証明書を求めるたびに、あなたに確認します。</translation>
    </message>
    <message>
        <source>The answer for %1 was forgotten: you are asked again the next time it wants your signature certificate.</source>
        <translation>%1 への回答を取り消しました。次にこのプログラムが署名用電子証明書を求めたときに、もう一度確認します。</translation>
    </message>
    <message>
        <source>Another card is now in %1. Showing that card; nothing of the previous card is kept.</source>
        <translation>%1 に別のカードが入っています。そのカードを表示します。前のカードの情報は残していません。</translation>
    </message>
</context>
<context>
    <name>mynacard::gui::ConsentDialog</name>
    <message>
        <source>Share your personal data?</source>
        <translation>個人情報を提供しますか？</translation>
    </message>
    <message>
        <source>The program &quot;%1&quot; asks for your digital signature certificate.</source>
        <translation>プログラム「%1」が署名用電子証明書を求めています。</translation>
    </message>
    <message>
        <source>Who asks</source>
        <translation>要求元</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>プログラム</translation>
    </message>
    <message>
        <source>Program:</source>
        <translation>プログラム：</translation>
    </message>
    <message>
        <source>Process ID:</source>
        <translation>プロセス ID：</translation>
    </message>
    <message>
        <source>Process ID</source>
        <translation>プロセス ID</translation>
    </message>
    <message>
        <source>What it would receive</source>
        <translation>提供される情報</translation>
    </message>
    <message>
        <source>The certificate carries these facts about you. Every program you allow can read and keep them:</source>
        <translation>この電子証明書には、あなたに関する次の情報が含まれています。許可したプログラムはこれらを読み取り、保存できます：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>氏名：</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>氏名</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>住所：</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住所</translation>
    </message>
    <message>
        <source>Date of birth:</source>
        <translation>生年月日：</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>生年月日</translation>
    </message>
    <message>
        <source>Sex:</source>
        <translation>性別：</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性別</translation>
    </message>
    <message>
        <source>This certificate carries no personal facts.</source>
        <translation>この電子証明書には個人情報は含まれていません。</translation>
    </message>
    <message>
        <source>Valid until:</source>
        <translation>有効期限：</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>有効期限</translation>
    </message>
    <message>
        <source>Disclosed facts</source>
        <translation>提供される情報</translation>
    </message>
    <message>
        <source>Your choice is remembered for this program and this certificate. It is recorded in your card&apos;s usage history.</source>
        <translation>この選択は、このプログラムとこの電子証明書の組み合わせについて記憶され、カードの利用履歴に記録されます。</translation>
    </message>
    <message>
        <source>&amp;Deny</source>
        <translation>拒否(&amp;D)</translation>
    </message>
    <message>
        <source>Deny: do not give the certificate</source>
        <translation>拒否：電子証明書を提供しない</translation>
    </message>
    <message>
        <source>&amp;Allow</source>
        <translation>許可(&amp;A)</translation>
    </message>
    <message>
        <source>Allow: give the certificate to this program</source>
        <translation>許可：このプログラムに電子証明書を提供する</translation>
    </message>
    <message>
        <source>An unknown program (process %1) asks for your digital signature certificate.</source>
        <translation>不明なプログラム（プロセス %1）が署名用電子証明書を求めています。</translation>
    </message>
    <message>
        <source>unknown: the system does not say which program runs as this process</source>
        <translation>不明：このプロセスで動いているプログラムをシステムから確認できません</translation>
    </message>
    <message>
        <source>It calls itself &quot;%1&quot;; the name above is what the system reports.</source>
        <translation>自称「%1」。上の名前はシステムが示すものです。</translation>
    </message>
    <message>
        <source>Name the program gives itself</source>
        <translation>プログラムの自称</translation>
    </message>
    <message>
        <source>This program</source>
        <translation>このプログラム</translation>
    </message>
    <message>
        <source>%1 is an interpreter: it runs scripts, and the script decides what happens with the certificate. Which script it runs cannot be told.</source>
        <translation>%1 はスクリプトを実行するインタープリターで、電子証明書をどう扱うかは実行中のスクリプトが決めます。どのスクリプトかは確認できません。</translation>
    </message>
    <message>
        <source>%1 is an interpreter: it runs scripts, and the script decides what happens with the certificate. The script it runs now: %2</source>
        <translation>%1 はスクリプトを実行するインタープリターで、電子証明書をどう扱うかは実行中のスクリプトが決めます。実行中のスクリプト：%2</translation>
    </message>
    <message>
        <source>Interpreter</source>
        <translation>インタープリター</translation>
    </message>
    <message>
        <source>%1 serves another program — for example a browser in a Flatpak sandbox — which would receive the certificate. That program cannot be named here.</source>
        <translation>%1 は別のプログラム（例：Flatpak のサンドボックス内のブラウザー）のために動いており、電子証明書を受け取るのはそのプログラムです。そのプログラムの名前はここでは示せません。</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>中継プログラム</translation>
    </message>
    <message>
        <source>So Allow is not remembered: you are asked every time. Deny is remembered for %1 until you forget it in the card view (Sharing). Your choice is recorded in your card&apos;s usage history.</source>
        <translation>そのため「許可」は記憶されず、毎回確認します。「拒否」は、カードビューの「情報の提供」で取り消すまで %1 について記憶されます。選択はカードの利用履歴に記録されます。</translation>
    </message>
</context>
</TS>
