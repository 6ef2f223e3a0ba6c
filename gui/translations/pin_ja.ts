<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>mynacard::gui::PinDialog</name>
    <message>
        <location filename="../pin_dialog.cpp" line="111"/>
        <source>user authentication PIN</source>
        <translation>利用者証明用電子証明書の暗証番号</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="113"/>
        <source>digital signature password</source>
        <translation>署名用電子証明書の暗証番号</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="115"/>
        <source>PIN for the basic information (券面事項入力補助)</source>
        <translation>券面事項入力補助用の暗証番号</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="124"/>
        <source>Sign in with your card (prove who you are)</source>
        <translation>カードを使ったログイン（本人確認）</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="126"/>
        <source>Make an electronic signature</source>
        <translation>電子署名の作成</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="128"/>
        <source>Read your signature certificate (it contains your name, address, birth date and sex)</source>
        <translation>署名用電子証明書の読み取り（氏名・住所・生年月日・性別が含まれます）</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="132"/>
        <source>Change this PIN</source>
        <translation>この暗証番号の変更</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="134"/>
        <source>Read your My Number and your name, address, birth date and sex</source>
        <translation>マイナンバーと基本4情報（氏名・住所・生年月日・性別）の読み取り</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="141"/>
        <source>My Number Card PIN</source>
        <translation>マイナンバーカードの暗証番号</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="157"/>
        <source>Your %1 is blocked</source>
        <translation>%1はロックされています</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="159"/>
        <source>Choose your new %1</source>
        <translation>新しい%1を決めて入力してください</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="161"/>
        <source>Enter the new %1 again</source>
        <translation>確認のため、新しい%1をもう一度入力してください</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="163"/>
        <source>Enter your %1</source>
        <translation>%1を入力してください</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="190"/>
        <source>Requested by: %1</source>
        <translation>要求元: %1</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="192"/>
        <source>Requested by:</source>
        <translation>要求元:</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="194"/>
        <source>Purpose: %1</source>
        <translation>目的: %1</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="195"/>
        <source>Purpose:</source>
        <translation>目的:</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="197"/>
        <source>Card reader: %1</source>
        <translation>カードリーダー: %1</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="198"/>
        <source>Card reader:</source>
        <translation>カードリーダー:</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="201"/>
        <source>%1 of %2</source>
        <translation>%1回（最大%2回）</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="202"/>
        <source>Tries left: %1</source>
        <translation>残りの入力回数: %1</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="203"/>
        <source>Tries left:</source>
        <translation>残りの入力回数:</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="216"/>
        <location filename="../pin_dialog.cpp" line="217"/>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="229"/>
        <source>Time left</source>
        <translation>残り時間</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="235"/>
        <location filename="../pin_dialog.cpp" line="456"/>
        <source>This dialog closes in %1 seconds.</source>
        <translation>この画面はあと%1秒で閉じます。</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="238"/>
        <location filename="../pin_dialog.cpp" line="239"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="240"/>
        <source>Sends the PIN to the card</source>
        <translation>暗証番号をカードに送ります</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="242"/>
        <location filename="../pin_dialog.cpp" line="243"/>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="244"/>
        <source>Closes the dialog; no try is used</source>
        <translation>画面を閉じます。入力回数は減りません</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="278"/>
        <source>%1 digits</source>
        <translation>数字%1桁</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="279"/>
        <source>%1 to %2 characters: capital letters A–Z and digits, at least one of each. Lower-case letters become capitals as you type.</source>
        <translation>英大文字（A〜Z）と数字で%1〜%2文字。英字と数字をそれぞれ1文字以上含みます。小文字は入力すると大文字になります。</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="284"/>
        <source>&amp;PIN:</source>
        <translation>暗証番号(&amp;P):</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="309"/>
        <source>PIN format</source>
        <translation>暗証番号の形式</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="315"/>
        <source>PIN check</source>
        <translation>暗証番号の確認</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="337"/>
        <source>Digit %1</source>
        <translation>数字 %1</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="337"/>
        <source>Types %1</source>
        <translation>%1を入力します</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="343"/>
        <source>Delete</source>
        <translation>1文字削除</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="343"/>
        <source>Deletes the last digit</source>
        <translation>最後の数字を消します</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="346"/>
        <source>Clear</source>
        <translation>すべて消去</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="346"/>
        <source>Deletes every digit</source>
        <translation>入力した数字をすべて消します</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="365"/>
        <source>Only one try is left. If this PIN is wrong, it is blocked and must be reset at your municipal office.</source>
        <translation>残りの入力回数は1回です。間違えるとロックされ、市区町村の窓口で初期化が必要になります。</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="373"/>
        <source>I have checked the PIN and want to use the &amp;last try</source>
        <translation>暗証番号を確認しました。最後の1回を使って入力します(&amp;L)</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="375"/>
        <source>OK is enabled only when this is ticked</source>
        <translation>ここにチェックを入れるとOKボタンが押せるようになります</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="386"/>
        <source>It was blocked after too many wrong entries. It can be reset at your municipal office (市区町村の窓口); bring your card.</source>
        <translation>入力を続けて間違えたため、ロックされました。カードを持って、お住まいの市区町村の窓口で初期化・再設定してください。</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="390"/>
        <source>If you know your other PIN (the user authentication PIN or the digital signature password), the convenience-store kiosk service may also reset it.</source>
        <translation>もう一方の暗証番号（利用者証明用または署名用）がわかる場合は、コンビニのキオスク端末でも初期化・再設定できることがあります。</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="394"/>
        <source>Why no PIN is asked</source>
        <translation>暗証番号を入力できない理由</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="435"/>
        <source>The PIN has %1 digits; %2 entered so far.</source>
        <translation>暗証番号は%1桁です（いま%2桁）。</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="438"/>
        <source>The password needs at least %1 characters; %2 entered so far.</source>
        <translation>暗証番号は%1文字以上です（いま%2文字）。</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="443"/>
        <source>The password needs at least one letter and one digit.</source>
        <translation>英字と数字をそれぞれ1文字以上含めてください。</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="446"/>
        <source>This is not a valid PIN.</source>
        <translation>暗証番号の形式が正しくありません。</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="186"/>
        <source>%1 (process %2)</source>
        <translation>%1（プロセス番号 %2）</translation>
    </message>
    <message>
        <source>Allow this program to use the last try?</source>
        <translation>このプログラムに最後の1回の入力を使わせますか？</translation>
    </message>
    <message>
        <source>Allow</source>
        <translation>許可する</translation>
    </message>
    <message>
        <source>Lets the program send its PIN as the last try</source>
        <translation>プログラムの暗証番号を最後の1回としてカードに送ります</translation>
    </message>
    <message>
        <source>The program&apos;s PIN is not sent; no try is used</source>
        <translation>プログラムの暗証番号は送られず、入力回数は減りません</translation>
    </message>
    <message>
        <source>The program supplied the PIN itself; it was not typed in this dialog. The card has only one try left for your %1: if this PIN is wrong, the PIN is blocked and can only be reset at your municipal office (市区町村の窓口).</source>
        <translation>この暗証番号はプログラム自身が用意したもので、この画面で入力されたものではありません。%1の残りの入力回数は1回です。この暗証番号が間違っているとロックされ、市区町村の窓口でしか初期化できません。</translation>
    </message>
    <message>
        <source>Why you are asked</source>
        <translation>確認が必要な理由</translation>
    </message>
    <message>
        <source>I trust this program&apos;s PIN and allow it to use the &amp;last try</source>
        <translation>このプログラムの暗証番号を信頼し、最後の1回の使用を許可します(&amp;L)</translation>
    </message>
    <message>
        <source>Allow is enabled only when this is ticked</source>
        <translation>ここにチェックを入れると「許可する」ボタンが押せるようになります</translation>
    </message>
    <message>
        <source>An unknown program</source>
        <translation>不明なプログラム</translation>
    </message>
    <message>
        <source>process %1; the system does not say which program runs there</source>
        <translation>プロセス %1（動いているプログラムをシステムから確認できません）</translation>
    </message>
    <message>
        <source>It calls itself &quot;%1&quot;; the name above is what the system reports.</source>
        <translation>自称「%1」。上の名前はシステムが示すものです。</translation>
    </message>
</context>
</TS>
