<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>mynacard::gui::PinDialog</name>
        <message>
            <source>user authentication PIN</source>
            <translation>user authentication PIN</translation>
        </message>
        <message>
            <source>digital signature password</source>
            <translation>digital signature password</translation>
        </message>
        <message>
            <source>PIN for the basic information (券面事項入力補助)</source>
            <translation>PIN for the basic information (券面事項入力補助)</translation>
        </message>
        <message>
            <source>Sign in with your card (prove who you are)</source>
            <translation>Sign in with your card (prove who you are)</translation>
        </message>
        <message>
            <source>Make an electronic signature</source>
            <translation>Make an electronic signature</translation>
        </message>
        <message>
            <source>Read your signature certificate (it contains your name, address, birth date and sex)</source>
            <translation>Read your signature certificate (it contains your name, address, birth date and sex)</translation>
        </message>
        <message>
            <source>Change this PIN</source>
            <translation>Change this PIN</translation>
        </message>
        <message>
            <source>Read your My Number and your name, address, birth date and sex</source>
            <translation>Read your My Number and your name, address, birth date and sex</translation>
        </message>
        <message>
            <source>My Number Card PIN</source>
            <translation>My Number Card PIN</translation>
        </message>
        <message>
            <source>Your %1 is blocked</source>
            <translation>Your %1 is blocked</translation>
        </message>
        <message>
            <source>Enter your %1</source>
            <translation>Enter your %1</translation>
        </message>
        <message>
            <source>Requested by: %1</source>
            <translation>Requested by: %1</translation>
        </message>
        <message>
            <source>Requested by:</source>
            <translation>Requested by:</translation>
        </message>
        <message>
            <source>Purpose: %1</source>
            <translation>Purpose: %1</translation>
        </message>
        <message>
            <source>Purpose:</source>
            <translation>Purpose:</translation>
        </message>
        <message>
            <source>Card reader: %1</source>
            <translation>Card reader: %1</translation>
        </message>
        <message>
            <source>Card reader:</source>
            <translation>Card reader:</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 of %2</translation>
        </message>
        <message>
            <source>Tries left: %1</source>
            <translation>Tries left: %1</translation>
        </message>
        <message>
            <source>Tries left:</source>
            <translation>Tries left:</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Close</translation>
        </message>
        <message>
            <source>Time left</source>
            <translation>Time left</translation>
        </message>
        <message>
            <source>This dialog closes in %1 seconds.</source>
            <translation>This dialog closes in %1 seconds.</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>OK</translation>
        </message>
        <message>
            <source>Sends the PIN to the card</source>
            <translation>Sends the PIN to the card</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>Closes the dialog; no try is used</source>
            <translation>Closes the dialog; no try is used</translation>
        </message>
        <message>
            <source>%1 digits</source>
            <translation>%1 digits</translation>
        </message>
        <message>
            <source>%1 to %2 characters: capital letters A–Z and digits, at least one of each. Lower-case letters become capitals as you type.</source>
            <translation>%1 to %2 characters: capital letters A–Z and digits, at least one of each. Lower-case letters become capitals as you type.</translation>
        </message>
        <message>
            <source>&amp;PIN:</source>
            <translation>&amp;PIN:</translation>
        </message>
        <message>
            <source>PIN format</source>
            <translation>PIN format</translation>
        </message>
        <message>
            <source>PIN check</source>
            <translation>PIN check</translation>
        </message>
        <message>
            <source>Digit %1</source>
            <translation>Digit %1</translation>
        </message>
        <message>
            <source>Types %1</source>
            <translation>Types %1</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Delete</translation>
        </message>
        <message>
            <source>Deletes the last digit</source>
            <translation>Deletes the last digit</translation>
        </message>
        <message>
            <source>Clear</source>
            <translation>Clear</translation>
        </message>
        <message>
            <source>Deletes every digit</source>
            <translation>Deletes every digit</translation>
        </message>
        <message>
            <source>Only one try is left. If this PIN is wrong, it is blocked and must be reset at your municipal office.</source>
            <translation>Only one try is left. If this PIN is wrong, it is blocked and must be reset at your municipal office.</translation>
        </message>
        <message>
            <source>I have checked the PIN and want to use the &amp;last try</source>
            <translation>I have checked the PIN and want to use the &amp;last try</translation>
        </message>
        <message>
            <source>OK is enabled only when this is ticked</source>
            <translation>OK is enabled only when this is ticked</translation>
        </message>
        <message>
            <source>It was blocked after too many wrong entries. It can be reset at your municipal office (市区町村の窓口); bring your card.</source>
            <translation>It was blocked after too many wrong entries. It can be reset at your municipal office (市区町村の窓口); bring your card.</translation>
        </message>
        <message>
            <source>If you know your other PIN (the user authentication PIN or the digital signature password), the convenience-store kiosk service may also reset it.</source>
            <translation>If you know your other PIN (the user authentication PIN or the digital signature password), the convenience-store kiosk service may also reset it.</translation>
        </message>
        <message>
            <source>Why no PIN is asked</source>
            <translation>Why no PIN is asked</translation>
        </message>
        <message>
            <source>The PIN has %1 digits; %2 entered so far.</source>
            <translation>The PIN has %1 digits; %2 entered so far.</translation>
        </message>
        <message>
            <source>The password needs at least %1 characters; %2 entered so far.</source>
            <translation>The password needs at least %1 characters; %2 entered so far.</translation>
        </message>
        <message>
            <source>The password needs at least one letter and one digit.</source>
            <translation>The password needs at least one letter and one digit.</translation>
        </message>
        <message>
            <source>This is not a valid PIN.</source>
            <translation>This is not a valid PIN.</translation>
        </message>
        <message>
            <source>%1 (process %2)</source>
            <translation>%1 (process %2)</translation>
        </message>
    </context>
</TS>
