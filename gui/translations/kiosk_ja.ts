<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
    <context>
        <name>mynacard::gui::KioskKeypad</name>
        <message>
            <source>Digit %1</source>
            <translation>数字 %1</translation>
        </message>
        <message>
            <source>Clear</source>
            <translation>訂正</translation>
        </message>
        <message>
            <source>Clear all digits</source>
            <translation>入力した数字をすべて消す</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>確定</translation>
        </message>
        <message>
            <source>OK: confirm the PIN</source>
            <translation>確定：暗証番号を決定する</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Cancel and take the card</source>
            <translation>取り消してカードを取り出す</translation>
        </message>
    </context>
    <context>
        <name>mynacard::gui::KioskWindow</name>
        <message>
            <source>The PIN is 4 digits. Please enter 4 digits.</source>
            <translation>暗証番号は数字4桁です。4桁を入力してください。</translation>
        </message>
        <message>
            <source>The PIN is not correct. Nothing was read from your card.</source>
            <translation>暗証番号が違います。カードからは何も読み取っていません。</translation>
        </message>
        <message>
            <source>Cancelled. Nothing was read from your card.</source>
            <translation>取り消しました。カードからは何も読み取っていません。</translation>
        </message>
        <message>
            <source>The screen was cleared to protect your information.</source>
            <translation>個人情報保護のため、画面を消去しました。</translation>
        </message>
        <message>
            <source>This card cannot be used here. Please use your My Number Card.</source>
            <translation>このカードはご利用になれません。マイナンバーカードをお使いください。</translation>
        </message>
        <message>
            <source>The card could not be read. Please take the card and place it again, without moving it.</source>
            <translation>カードを読み取れませんでした。カードをいったんお取りになり、動かさないように置き直してください。</translation>
        </message>
        <message>
            <source>Your details could not be passed to the form. Please ask a member of staff.</source>
            <translation>申請書に情報を反映できませんでした。お近くの職員にお声がけください。</translation>
        </message>
        <message>
            <source>Card reader: not connected</source>
            <translation>カードリーダー：接続されていません</translation>
        </message>
        <message>
            <source>no card</source>
            <translation>カードなし</translation>
        </message>
        <message>
            <source>card does not answer</source>
            <translation>カードが応答しません</translation>
        </message>
        <message>
            <source>card present</source>
            <translation>カードあり</translation>
        </message>
        <message>
            <source>Card reader %1: %2</source>
            <translation>カードリーダー %1：%2</translation>
        </message>
        <message>
            <source>%1-%2-%3</source>
            <extracomment>Birth date; %1 year, %2 month, %3 day (Japanese: %1年%2月%3日)</extracomment>
            <translation>%1年%2月%3日</translation>
        </message>
        <message>
            <source>Male</source>
            <translation>男性</translation>
        </message>
        <message>
            <source>Female</source>
            <translation>女性</translation>
        </message>
        <message>
            <source>Not applicable</source>
            <translation>適用不能</translation>
        </message>
        <message>
            <source>My Number Card form assistance</source>
            <translation>マイナンバーカード 申請書作成支援</translation>
        </message>
        <message>
            <source>Form assistance with your My Number Card</source>
            <translation>マイナンバーカードで申請書を作成します</translation>
        </message>
        <message>
            <source>Switch language between Japanese and English</source>
            <translation>表示言語を日本語と英語で切り替える</translation>
        </message>
        <message>
            <source>Your card is still in the card reader. Please take your card.</source>
            <translation>カードが置いたままです。カードをお取りください。</translation>
        </message>
        <message>
            <source>Staff mode: a member of staff is operating this terminal. Staff cannot see or enter your PIN or your My Number.</source>
            <translation>職員操作中：職員がこの端末を操作しています。職員は暗証番号とマイナンバーを見ることも入力することもできません。</translation>
        </message>
        <message>
            <source>Staff mode has ended.</source>
            <translation>職員操作を終了しました。</translation>
        </message>
        <message>
            <source>Text smaller</source>
            <translation>文字を小さく</translation>
        </message>
        <message>
            <source>Make the text smaller</source>
            <translation>文字を小さくする</translation>
        </message>
        <message>
            <source>Text larger</source>
            <translation>文字を大きく</translation>
        </message>
        <message>
            <source>Make the text larger</source>
            <translation>文字を大きくする</translation>
        </message>
        <message>
            <source>Back to start</source>
            <translation>最初の画面へ</translation>
        </message>
        <message>
            <source>Clear the screen and go back to the start</source>
            <translation>画面を消去して最初の画面に戻る</translation>
        </message>
        <message>
            <source>End staff mode</source>
            <translation>職員操作を終了</translation>
        </message>
        <message>
            <source>Please place your My Number Card on the card reader.</source>
            <translation>マイナンバーカードをカードリーダーに置いてください</translation>
        </message>
        <message>
            <source>Your name, address, date of birth, sex and My Number are read from the card to fill in the form for you.</source>
            <translation>カードから氏名・住所・生年月日・性別・マイナンバーを読み取り、申請書に記入します。</translation>
        </message>
        <message>
            <source>Checking your card. Please do not move it.</source>
            <translation>カードを確認しています。カードを動かさないでください。</translation>
        </message>
        <message>
            <source>Checking the card</source>
            <translation>カードを確認中</translation>
        </message>
        <message>
            <source>Please enter your PIN (4 digits).</source>
            <translation>暗証番号（数字4桁）を入力してください</translation>
        </message>
        <message>
            <source>This is the PIN for form assistance (券面事項入力補助用). Staff will never ask you for it.</source>
            <translation>券面事項入力補助用の暗証番号です。職員が暗証番号をお尋ねすることはありません。</translation>
        </message>
        <message>
            <source>Tries left: %1</source>
            <translation>残り回数：%1回</translation>
        </message>
        <message numerus="yes">
            <source>PIN: %n digit(s) entered</source>
            <translation>
                <numerusform>暗証番号：%n桁入力済み</numerusform>
            </translation>
        </message>
        <message>
            <source>PIN entry is not possible in staff mode.</source>
            <translation>職員操作中は暗証番号を入力できません。</translation>
        </message>
        <message>
            <source>Only one try is left. If this PIN is wrong, the PIN will be blocked and can only be reset at the municipal office counter. Do you want to use your last try?</source>
            <translation>残り回数はあと1回です。次に間違えると暗証番号がロックされ、市区町村の窓口でしか解除（再設定）できなくなります。最後の1回を使って入力しますか？</translation>
        </message>
        <message>
            <source>Use the last try</source>
            <translation>最後の1回を使う</translation>
        </message>
        <message>
            <source>Use the last try and read the card</source>
            <translation>最後の1回を使ってカードを読み取る</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>やめる</translation>
        </message>
        <message>
            <source>Stop without using the last try</source>
            <translation>最後の1回を使わずにやめる</translation>
        </message>
        <message>
            <source>Reading your card. Please do not remove it.</source>
            <translation>カードを読み取っています。カードを取らないでください。</translation>
        </message>
        <message>
            <source>Reading the card</source>
            <translation>カードを読み取り中</translation>
        </message>
        <message>
            <source>Your details have been passed to the form.</source>
            <translation>申請書に情報を反映しました</translation>
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
            <source>My Number</source>
            <translation>マイナンバー（個人番号）</translation>
        </message>
        <message>
            <source>My Number (shown)</source>
            <translation>マイナンバー（表示中）</translation>
        </message>
        <message>
            <source>My Number (hidden except the last 4 digits)</source>
            <translation>マイナンバー（下4桁以外は非表示）</translation>
        </message>
        <message>
            <source>Hide</source>
            <translation>隠す</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>表示</translation>
        </message>
        <message>
            <source>Hide the My Number</source>
            <translation>マイナンバーを隠す</translation>
        </message>
        <message>
            <source>Show the My Number</source>
            <translation>マイナンバーを表示する</translation>
        </message>
        <message>
            <source>Please check your details, then press Done and take your card.</source>
            <translation>内容をご確認のうえ「終了」を押し、カードをお取りください。</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>終了</translation>
        </message>
        <message>
            <source>Done: clear the screen</source>
            <translation>終了：画面を消去する</translation>
        </message>
        <message>
            <source>Please take your card.</source>
            <translation>カードをお取りください</translation>
        </message>
        <message>
            <source>Your PIN is blocked because it was entered wrongly too many times. It can be reset at the municipal office counter (bring your My Number Card). Please take your card.</source>
            <translation>暗証番号を規定の回数間違えたため、ロックされています。お住まいの市区町村の窓口で解除（再設定）できます（マイナンバーカードをお持ちください）。カードをお取りください。</translation>
        </message>
        <message>
            <source>Staff: enter the operator PIN.</source>
            <translation>職員の方：職員用暗証番号を入力してください。</translation>
        </message>
        <message>
            <source>Operator PIN</source>
            <translation>職員用暗証番号</translation>
        </message>
        <message>
            <source>The operator PIN is not correct.</source>
            <translation>職員用暗証番号が違います。</translation>
        </message>
        <message>
            <source>Too many wrong operator PINs. Try again later.</source>
            <translation>職員用暗証番号の誤りが多すぎます。しばらくしてからやり直してください。</translation>
        </message>
        <message>
            <source>Staff mode is not configured on this terminal.</source>
            <translation>この端末では職員操作が設定されていません。</translation>
        </message>
        <message>
            <source>Enter staff mode</source>
            <translation>職員操作を開始</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Cancel and go back</source>
            <translation>取り消して戻る</translation>
        </message>
    </context>
</TS>
