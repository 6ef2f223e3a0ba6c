<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>CertificateInfo</name>
    <message>
        <source>valid</source>
        <translation>valid</translation>
    </message>
    <message>
        <source>expires soon</source>
        <translation>expires soon</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>expired</translation>
    </message>
    <message>
        <source>not yet valid</source>
        <translation>not yet valid</translation>
    </message>
    <message>
        <source>This certificate expires on %1. Renew it at your municipal office before then; after that date it cannot be used.</source>
        <translation>This certificate expires on %1. Renew it at your municipal office before then; after that date it cannot be used.</translation>
    </message>
    <message>
        <source>This certificate expired on %1 and can no longer be used. New certificates are issued at your municipal office.</source>
        <translation>This certificate expired on %1 and can no longer be used. New certificates are issued at your municipal office.</translation>
    </message>
    <message>
        <source>This certificate is not valid yet (from %1). Check the computer&apos;s clock.</source>
        <translation>This certificate is not valid yet (from %1). Check the computer&apos;s clock.</translation>
    </message>
    <message>
        <source>User authentication certificate</source>
        <translation>User authentication certificate</translation>
    </message>
    <message>
        <source>Digital signature certificate</source>
        <translation>Digital signature certificate</translation>
    </message>
    <message>
        <source>User authentication CA certificate</source>
        <translation>User authentication CA certificate</translation>
    </message>
    <message>
        <source>Digital signature CA certificate</source>
        <translation>Digital signature CA certificate</translation>
    </message>
    <message>
        <source>male</source>
        <translation>male</translation>
    </message>
    <message>
        <source>female</source>
        <translation>female</translation>
    </message>
    <message>
        <source>not applicable</source>
        <translation>not applicable</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>not known</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message numerus="yes">
        <source>The PIN is not correct. %n tries left before it is blocked.</source>
        <translation>
            <numerusform>The PIN is not correct. %n try left before it is blocked.</numerusform>
            <numerusform>The PIN is not correct. %n tries left before it is blocked.</numerusform>
        </translation>
    </message>
    <message>
        <source>The PIN is not correct.</source>
        <translation>The PIN is not correct.</translation>
    </message>
    <message>
        <source>The PIN is blocked: no tries are left. It can only be reset at your municipal office (市区町村の窓口); bring the card and identification.</source>
        <translation>The PIN is blocked: no tries are left. It can only be reset at your municipal office (市区町村の窓口); bring the card and identification.</translation>
    </message>
    <message>
        <source>This PIN does not have the right format: the user-authentication and card-information PINs are 4 digits, the signature password 6 to 16 letters A–Z and digits. Nothing was sent to the card.</source>
        <translation>This PIN does not have the right format: the user-authentication and card-information PINs are 4 digits, the signature password 6 to 16 letters A–Z and digits. Nothing was sent to the card.</translation>
    </message>
    <message>
        <source>This is the last try of this PIN. Confirm that you want to use it; if it is wrong, the PIN will be blocked.</source>
        <translation>This is the last try of this PIN. Confirm that you want to use it; if it is wrong, the PIN will be blocked.</translation>
    </message>
    <message>
        <source>The card refused: this needs a PIN that has not been entered.</source>
        <translation>The card refused: this needs a PIN that has not been entered.</translation>
    </message>
    <message>
        <source>The card was removed during the operation. Insert it again and retry.</source>
        <translation>The card was removed during the operation. Insert it again and retry.</translation>
    </message>
    <message>
        <source>Another program reset the card during the operation. Please retry.</source>
        <translation>Another program reset the card during the operation. Please retry.</translation>
    </message>
    <message>
        <source>There is no card in the reader. Insert your My Number Card.</source>
        <translation>There is no card in the reader. Insert your My Number Card.</translation>
    </message>
    <message>
        <source>The card reader is not available. Check that it is connected.</source>
        <translation>The card reader is not available. Check that it is connected.</translation>
    </message>
    <message>
        <source>The smart card service (pcscd) is not running. Start it (for example &quot;systemctl start pcscd&quot;) and try again.</source>
        <translation>The smart card service (pcscd) is not running. Start it (for example &quot;systemctl start pcscd&quot;) and try again.</translation>
    </message>
    <message>
        <source>Communication with the card reader failed. Remove the card, insert it again and retry.</source>
        <translation>Communication with the card reader failed. Remove the card, insert it again and retry.</translation>
    </message>
    <message>
        <source>The operation took too long and was stopped.</source>
        <translation>The operation took too long and was stopped.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <source>The card does not have this information or application.</source>
        <translation>The card does not have this information or application.</translation>
    </message>
    <message>
        <source>This card or reader cannot do this.</source>
        <translation>This card or reader cannot do this.</translation>
    </message>
    <message>
        <source>The card answered with an unexpected error.</source>
        <translation>The card answered with an unexpected error.</translation>
    </message>
    <message>
        <source>The card returned data that could not be read. It may not be a My Number Card, or it may be damaged.</source>
        <translation>The card returned data that could not be read. It may not be a My Number Card, or it may be damaged.</translation>
    </message>
    <message>
        <source>The input is not valid.</source>
        <translation>The input is not valid.</translation>
    </message>
    <message>
        <source>A file could not be read or written.</source>
        <translation>A file could not be read or written.</translation>
    </message>
    <message>
        <source>An internal error occurred. Please report it.</source>
        <translation>An internal error occurred. Please report it.</translation>
    </message>
    <message>
        <source>An unknown error occurred.</source>
        <translation>An unknown error occurred.</translation>
    </message>
</context>
<context>
    <name>mynacard::gui::AuditHistoryModel</name>
    <message numerus="yes">
        <source>No entry was damaged or changed without rewriting the whole history (%n entries).</source>
        <translation>
            <numerusform>No entry was damaged or changed without rewriting the whole history (%n entry).</numerusform>
            <numerusform>No entry was damaged or changed without rewriting the whole history (%n entries).</numerusform>
        </translation>
    </message>
    <message>
        <source>Warning: the history was changed or damaged at line %1. Entries from there on cannot be trusted.</source>
        <translation>Warning: the history was changed or damaged at line %1. Entries from there on cannot be trusted.</translation>
    </message>
    <message>
        <source>The history could not be read.</source>
        <translation>The history could not be read.</translation>
    </message>
    <message>
        <source>%1 (process %2)</source>
        <translation>%1 (process %2)</translation>
    </message>
    <message>
        <source>Reader: %1</source>
        <translation>Reader: %1</translation>
    </message>
    <message>
        <source>When</source>
        <translation>When</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>Program</translation>
    </message>
    <message>
        <source>What</source>
        <translation>What</translation>
    </message>
    <message>
        <source>PIN / key</source>
        <translation>PIN / key</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>read a certificate</source>
        <translation>read a certificate</translation>
    </message>
    <message>
        <source>read the signature certificate</source>
        <translation>read the signature certificate</translation>
    </message>
    <message>
        <source>signed</source>
        <translation>signed</translation>
    </message>
    <message>
        <source>checked a PIN (log-in)</source>
        <translation>checked a PIN (log-in)</translation>
    </message>
    <message>
        <source>read the tries left</source>
        <translation>read the tries left</translation>
    </message>
    <message>
        <source>changed a PIN</source>
        <translation>changed a PIN</translation>
    </message>
    <message>
        <source>read the card information (My Number, name, address)</source>
        <translation>read the card information (My Number, name, address)</translation>
    </message>
    <message>
        <source>read the card face images</source>
        <translation>read the card face images</translation>
    </message>
    <message>
        <source>saved a certificate to a file</source>
        <translation>saved a certificate to a file</translation>
    </message>
    <message>
        <source>allowed a program to receive the signature certificate</source>
        <translation>allowed a program to receive the signature certificate</translation>
    </message>
    <message>
        <source>refused a program the signature certificate</source>
        <translation>refused a program the signature certificate</translation>
    </message>
    <message>
        <source>checked the health insurance qualification with the card</source>
        <translation>checked the health insurance qualification with the card</translation>
    </message>
    <message>
        <source>checked a health insurance qualification by its numbers</source>
        <translation>checked a health insurance qualification by its numbers</translation>
    </message>
    <message>
        <source>opened a face reader&apos;s qualification result</source>
        <translation>opened a face reader&apos;s qualification result</translation>
    </message>
    <message>
        <source>done</source>
        <translation>done</translation>
    </message>
    <message>
        <source>wrong PIN</source>
        <translation>wrong PIN</translation>
    </message>
    <message>
        <source>PIN blocked</source>
        <translation>PIN blocked</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <source>card removed</source>
        <translation>card removed</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>user authentication</source>
        <translation>user authentication</translation>
    </message>
    <message>
        <source>digital signature</source>
        <translation>digital signature</translation>
    </message>
    <message>
        <source>card information</source>
        <translation>card information</translation>
    </message>
</context>
<context>
    <name>mynacard::gui::CardView</name>
    <message>
        <source>not on this card</source>
        <translation>not on this card</translation>
    </message>
    <message>
        <source>blocked (reset at your municipal office)</source>
        <translation>blocked (reset at your municipal office)</translation>
    </message>
    <message>
        <source>%1 of %2 tries left</source>
        <translation>%1 of %2 tries left</translation>
    </message>
    <message>
        <source>My Number Card</source>
        <translation>My Number Card</translation>
    </message>
    <message>
        <source>Card readers</source>
        <translation>Card readers</translation>
    </message>
    <message>
        <source>Choose the reader whose card is shown</source>
        <translation>Choose the reader whose card is shown</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Card</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Card information</source>
        <translation>Card information</translation>
    </message>
    <message>
        <source>&amp;Card and PINs</source>
        <translation>&amp;Card and PINs</translation>
    </message>
    <message>
        <source>C&amp;ertificates</source>
        <translation>C&amp;ertificates</translation>
    </message>
    <message>
        <source>My &amp;Number and basic facts</source>
        <translation>My &amp;Number and basic facts</translation>
    </message>
    <message>
        <source>Card &amp;face</source>
        <translation>Card &amp;face</translation>
    </message>
    <message>
        <source>Usage &amp;history</source>
        <translation>Usage &amp;history</translation>
    </message>
    <message>
        <source>Working with the card</source>
        <translation>Working with the card</translation>
    </message>
    <message>
        <source>Working with the card…</source>
        <translation>Working with the card…</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>Application</translation>
    </message>
    <message>
        <source>On this card</source>
        <translation>On this card</translation>
    </message>
    <message>
        <source>Applications on the card</source>
        <translation>Applications on the card</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Tries left</source>
        <translation>Tries left</translation>
    </message>
    <message>
        <source>PINs and tries left</source>
        <translation>PINs and tries left</translation>
    </message>
    <message>
        <source>Change %1…</source>
        <translation>Change %1…</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>Change %1</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>Read the tries left again</source>
        <translation>Read the tries left again</translation>
    </message>
    <message>
        <source>Applications</source>
        <translation>Applications</translation>
    </message>
    <message>
        <source>PINs</source>
        <translation>PINs</translation>
    </message>
    <message>
        <source>Certificate warning</source>
        <translation>Certificate warning</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Certificates on the card</source>
        <translation>Certificates on the card</translation>
    </message>
    <message>
        <source>Certificate details</source>
        <translation>Certificate details</translation>
    </message>
    <message>
        <source>Read &amp;certificates</source>
        <translation>Read &amp;certificates</translation>
    </message>
    <message>
        <source>Read the certificates that need no PIN</source>
        <translation>Read the certificates that need no PIN</translation>
    </message>
    <message>
        <source>Read &amp;signature certificate…</source>
        <translation>Read &amp;signature certificate…</translation>
    </message>
    <message>
        <source>Read the signature certificate (needs the signature password)</source>
        <translation>Read the signature certificate (needs the signature password)</translation>
    </message>
    <message>
        <source>&amp;Save to file…</source>
        <translation>&amp;Save to file…</translation>
    </message>
    <message>
        <source>Save the selected certificate to a file</source>
        <translation>Save the selected certificate to a file</translation>
    </message>
    <message>
        <source>The card-information application (券面事項入力補助AP) holds your My Number and the four basic facts. Reading it needs the 4-digit card-information PIN.</source>
        <translation>The card-information application (券面事項入力補助AP) holds your My Number and the four basic facts. Reading it needs the 4-digit card-information PIN.</translation>
    </message>
    <message>
        <source>My Number</source>
        <translation>My Number</translation>
    </message>
    <message>
        <source>S&amp;how</source>
        <translation>S&amp;how</translation>
    </message>
    <message>
        <source>Show the My Number</source>
        <translation>Show the My Number</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>Signature of the data</source>
        <translation>Signature of the data</translation>
    </message>
    <message>
        <source>My Number:</source>
        <translation>My Number:</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Address:</translation>
    </message>
    <message>
        <source>Date of birth:</source>
        <translation>Date of birth:</translation>
    </message>
    <message>
        <source>Sex:</source>
        <translation>Sex:</translation>
    </message>
    <message>
        <source>Signature:</source>
        <translation>Signature:</translation>
    </message>
    <message>
        <source>&amp;Read with the card-information PIN…</source>
        <translation>&amp;Read with the card-information PIN…</translation>
    </message>
    <message>
        <source>Read the My Number and basic facts</source>
        <translation>Read the My Number and basic facts</translation>
    </message>
    <message>
        <source>The card-face application (券面AP) holds the images printed on the card. It is unlocked with 照合番号B, 14 digits: your date of birth (YYMMDD), the card&apos;s expiry year (YYYY) and the 4-digit security code printed on the front.</source>
        <translation>The card-face application (券面AP) holds the images printed on the card. It is unlocked with 照合番号B, 14 digits: your date of birth (YYMMDD), the card&apos;s expiry year (YYYY) and the 4-digit security code printed on the front.</translation>
    </message>
    <message>
        <source>照合番号&amp;B:</source>
        <translation>照合番号&amp;B:</translation>
    </message>
    <message>
        <source>照合番号B, 14 digits</source>
        <translation>照合番号B, 14 digits</translation>
    </message>
    <message>
        <source>Read card &amp;face</source>
        <translation>Read card &amp;face</translation>
    </message>
    <message>
        <source>Read the card face images</source>
        <translation>Read the card face images</translation>
    </message>
    <message>
        <source>Name as printed on the card</source>
        <translation>Name as printed on the card</translation>
    </message>
    <message>
        <source>Address as printed on the card</source>
        <translation>Address as printed on the card</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>Photo</translation>
    </message>
    <message>
        <source>Facts printed on the card</source>
        <translation>Facts printed on the card</translation>
    </message>
    <message>
        <source>Save &amp;photo…</source>
        <translation>Save &amp;photo…</translation>
    </message>
    <message>
        <source>Save the photo (JPEG 2000) to a file</source>
        <translation>Save the photo (JPEG 2000) to a file</translation>
    </message>
    <message>
        <source>When and by which program your card was used. Each entry is chained to the one before, so a changed history shows.</source>
        <translation>When and by which program your card was used. Each entry is chained to the one before, so a changed history shows.</translation>
    </message>
    <message>
        <source>Check of the history</source>
        <translation>Check of the history</translation>
    </message>
    <message>
        <source>Usage history</source>
        <translation>Usage history</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>Re&amp;load</translation>
    </message>
    <message>
        <source>Read the history again</source>
        <translation>Read the history again</translation>
    </message>
    <message>
        <source>card does not respond</source>
        <translation>card does not respond</translation>
    </message>
    <message>
        <source>card inserted</source>
        <translation>card inserted</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>empty</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>No card reader found. Connect a reader; if one is connected, check that the smart card service (pcscd) is running.</source>
        <translation>No card reader found. Connect a reader; if one is connected, check that the smart card service (pcscd) is running.</translation>
    </message>
    <message>
        <source>The card in %1 does not respond. Insert it again.</source>
        <translation>The card in %1 does not respond. Insert it again.</translation>
    </message>
    <message>
        <source>Insert your My Number Card into %1.</source>
        <translation>Insert your My Number Card into %1.</translation>
    </message>
    <message>
        <source>Card in %1</source>
        <translation>Card in %1</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>JPKI (authentication and signature)</source>
        <translation>JPKI (authentication and signature)</translation>
    </message>
    <message>
        <source>券面事項入力補助AP (My Number and basic facts)</source>
        <translation>券面事項入力補助AP (My Number and basic facts)</translation>
    </message>
    <message>
        <source>券面AP (card face)</source>
        <translation>券面AP (card face)</translation>
    </message>
    <message>
        <source>Issuer: %1</source>
        <translation>Issuer: %1</translation>
    </message>
    <message>
        <source>Valid from %1 until %2</source>
        <translation>Valid from %1 until %2</translation>
    </message>
    <message>
        <source>This certificate discloses to every program that receives it:</source>
        <translation>This certificate discloses to every program that receives it:</translation>
    </message>
    <message>
        <source>Name: %1</source>
        <translation>Name: %1</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>Address: %1</translation>
    </message>
    <message>
        <source>Date of birth: %1</source>
        <translation>Date of birth: %1</translation>
    </message>
    <message>
        <source>Sex: %1</source>
        <translation>Sex: %1</translation>
    </message>
    <message>
        <source>This certificate carries no name, address, birth date or sex.</source>
        <translation>This certificate carries no name, address, birth date or sex.</translation>
    </message>
    <message>
        <source>PEM certificate (*.pem)</source>
        <translation>PEM certificate (*.pem)</translation>
    </message>
    <message>
        <source>DER certificate (*.der *.cer)</source>
        <translation>DER certificate (*.der *.cer)</translation>
    </message>
    <message>
        <source>Save certificate</source>
        <translation>Save certificate</translation>
    </message>
    <message>
        <source>The certificate was saved to %1.</source>
        <translation>The certificate was saved to %1.</translation>
    </message>
    <message>
        <source>Enter the current %1.</source>
        <translation>Enter the current %1.</translation>
    </message>
    <message>
        <source>Enter the new %1.</source>
        <translation>Enter the new %1.</translation>
    </message>
    <message>
        <source>Enter the new %1 again.</source>
        <translation>Enter the new %1 again.</translation>
    </message>
    <message>
        <source>The two new PINs are not the same. Nothing was changed.</source>
        <translation>The two new PINs are not the same. Nothing was changed.</translation>
    </message>
    <message>
        <source>The %1 was changed.</source>
        <translation>The %1 was changed.</translation>
    </message>
    <message>
        <source>hidden except the last 4 digits</source>
        <translation>hidden except the last 4 digits</translation>
    </message>
    <message>
        <source>The card&apos;s signature over this data is valid.</source>
        <translation>The card&apos;s signature over this data is valid.</translation>
    </message>
    <message>
        <source>The card&apos;s signature over this data does not verify: the data may have been altered.</source>
        <translation>The card&apos;s signature over this data does not verify: the data may have been altered.</translation>
    </message>
    <message>
        <source>&amp;Hide</source>
        <translation>&amp;Hide</translation>
    </message>
    <message>
        <source>Hide the My Number</source>
        <translation>Hide the My Number</translation>
    </message>
    <message>
        <source>Only one try is left for 照合番号B: a wrong number locks the card face until the city office resets it. Nothing was sent to the card. Check the number printed on the card, type it again and read to use the last try.</source>
        <translation>Only one try is left for 照合番号B: a wrong number locks the card face until the city office resets it. Nothing was sent to the card. Check the number printed on the card, type it again and read to use the last try.</translation>
    </message>
    <message>
        <source>照合番号B has 14 digits. Nothing was sent to the card.</source>
        <translation>照合番号B has 14 digits. Nothing was sent to the card.</translation>
    </message>
    <message>
        <source>Date of birth: %1
Sex: %2
Card valid until: %3</source>
        <translation>Date of birth: %1
Sex: %2
Card valid until: %3</translation>
    </message>
    <message>
        <source>The photo on the card could not be decoded. You can still save it to a file (JPEG 2000).</source>
        <translation>The photo on the card could not be decoded. You can still save it to a file (JPEG 2000).</translation>
    </message>
    <message>
        <source>Save photo</source>
        <translation>Save photo</translation>
    </message>
    <message>
        <source>JPEG 2000 image (*.jp2)</source>
        <translation>JPEG 2000 image (*.jp2)</translation>
    </message>
    <message>
        <source>The photo was saved to %1.</source>
        <translation>The photo was saved to %1.</translation>
    </message>
    <message>
        <source>Sh&amp;aring</source>
        <translation>Sh&amp;aring</translation>
    </message>
    <message>
        <source>Remembered answers</source>
        <translation>Remembered answers</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>Program</translation>
    </message>
    <message>
        <source>Your answer</source>
        <translation>Your answer</translation>
    </message>
    <message>
        <source>Decided on</source>
        <translation>Decided on</translation>
    </message>
    <message>
        <source>Select an answer and press Delete or the Forget button to be asked again</source>
        <translation>Select an answer and press Delete or the Forget button to be asked again</translation>
    </message>
    <message>
        <source>F&amp;orget answer</source>
        <translation>F&amp;orget answer</translation>
    </message>
    <message>
        <source>Forget the selected answer</source>
        <translation>Forget the selected answer</translation>
    </message>
    <message>
        <source>Read the remembered answers again</source>
        <translation>Read the remembered answers again</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>refused</translation>
    </message>
    <message>
        <source>the signature certificate on this card</source>
        <translation>the signature certificate on this card</translation>
    </message>
    <message>
        <source>another or unknown certificate</source>
        <translation>another or unknown certificate</translation>
    </message>
    <message>
        <source>SHA-256 of the certificate: %1</source>
        <translation>SHA-256 of the certificate: %1</translation>
    </message>
    <message>
        <source>Your answers cannot be found: there is no home directory for them.</source>
        <translation>Your answers cannot be found: there is no home directory for them.</translation>
    </message>
    <message>
        <source>The answers you gave when a program asked for your digital signature certificate, which shows your name, address, date of birth and sex; an answer is used again without asking you until you forget it here.</source>
        <translation>The answers you gave when a program asked for your digital signature certificate, which shows your name, address, date of birth and sex; an answer is used again without asking you until you forget it here.</translation>
    </message>
    <message>
        <source>You are asked again the next time the program wants the signature certificate</source>
        <translation>You are asked again the next time the program wants the signature certificate</translation>
    </message>
    <message>
        <source>allowed</source>
        <translation>allowed</translation>
    </message>
    <message>
        <source>No answers are remembered: you are asked whenever a program wants the signature certificate.</source>
        <translation>No answers are remembered: you are asked whenever a program wants the signature certificate.</translation>
    </message>
    <message>
        <source>The answer for %1 was forgotten: you are asked again the next time it wants your signature certificate.</source>
        <translation>The answer for %1 was forgotten: you are asked again the next time it wants your signature certificate.</translation>
    </message>
    <message>
        <source>Another card is now in %1. Showing that card; nothing of the previous card is kept.</source>
        <translation>Another card is now in %1. Showing that card; nothing of the previous card is kept.</translation>
    </message>
</context>
<context>
    <name>mynacard::gui::ConsentDialog</name>
    <message>
        <source>Share your personal data?</source>
        <translation>Share your personal data?</translation>
    </message>
    <message>
        <source>The program &quot;%1&quot; asks for your digital signature certificate.</source>
        <translation>The program &quot;%1&quot; asks for your digital signature certificate.</translation>
    </message>
    <message>
        <source>Who asks</source>
        <translation>Who asks</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>Program</translation>
    </message>
    <message>
        <source>Program:</source>
        <translation>Program:</translation>
    </message>
    <message>
        <source>Process ID:</source>
        <translation>Process ID:</translation>
    </message>
    <message>
        <source>Process ID</source>
        <translation>Process ID</translation>
    </message>
    <message>
        <source>What it would receive</source>
        <translation>What it would receive</translation>
    </message>
    <message>
        <source>The certificate carries these facts about you. Every program you allow can read and keep them:</source>
        <translation>The certificate carries these facts about you. Every program you allow can read and keep them:</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Address:</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Date of birth:</source>
        <translation>Date of birth:</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>Sex:</source>
        <translation>Sex:</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>This certificate carries no personal facts.</source>
        <translation>This certificate carries no personal facts.</translation>
    </message>
    <message>
        <source>Valid until:</source>
        <translation>Valid until:</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <source>Disclosed facts</source>
        <translation>Disclosed facts</translation>
    </message>
    <message>
        <source>Your choice is remembered for this program and this certificate. It is recorded in your card&apos;s usage history.</source>
        <translation>Your choice is remembered for this program and this certificate. It is recorded in your card&apos;s usage history.</translation>
    </message>
    <message>
        <source>&amp;Deny</source>
        <translation>&amp;Deny</translation>
    </message>
    <message>
        <source>Deny: do not give the certificate</source>
        <translation>Deny: do not give the certificate</translation>
    </message>
    <message>
        <source>&amp;Allow</source>
        <translation>&amp;Allow</translation>
    </message>
    <message>
        <source>Allow: give the certificate to this program</source>
        <translation>Allow: give the certificate to this program</translation>
    </message>
    <message>
        <source>An unknown program (process %1) asks for your digital signature certificate.</source>
        <translation>An unknown program (process %1) asks for your digital signature certificate.</translation>
    </message>
    <message>
        <source>unknown: the system does not say which program runs as this process</source>
        <translation>unknown: the system does not say which program runs as this process</translation>
    </message>
    <message>
        <source>It calls itself &quot;%1&quot;; the name above is what the system reports.</source>
        <translation>It calls itself &quot;%1&quot;; the name above is what the system reports.</translation>
    </message>
    <message>
        <source>Name the program gives itself</source>
        <translation>Name the program gives itself</translation>
    </message>
    <message>
        <source>This program</source>
        <translation>This program</translation>
    </message>
    <message>
        <source>%1 is an interpreter: it runs scripts, and the script decides what happens with the certificate. Which script it runs cannot be told.</source>
        <translation>%1 is an interpreter: it runs scripts, and the script decides what happens with the certificate. Which script it runs cannot be told.</translation>
    </message>
    <message>
        <source>%1 is an interpreter: it runs scripts, and the script decides what happens with the certificate. The script it runs now: %2</source>
        <translation>%1 is an interpreter: it runs scripts, and the script decides what happens with the certificate. The script it runs now: %2</translation>
    </message>
    <message>
        <source>Interpreter</source>
        <translation>Interpreter</translation>
    </message>
    <message>
        <source>%1 serves another program — for example a browser in a Flatpak sandbox — which would receive the certificate. That program cannot be named here.</source>
        <translation>%1 serves another program — for example a browser in a Flatpak sandbox — which would receive the certificate. That program cannot be named here.</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <source>So Allow is not remembered: you are asked every time. Deny is remembered for %1 until you forget it in the card view (Sharing). Your choice is recorded in your card&apos;s usage history.</source>
        <translation>So Allow is not remembered: you are asked every time. Deny is remembered for %1 until you forget it in the card view (Sharing). Your choice is recorded in your card&apos;s usage history.</translation>
    </message>
</context>
</TS>
