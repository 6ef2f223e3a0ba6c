<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>mynacard::gui::PinDialog</name>
    <message>
        <location filename="../pin_dialog.cpp" line="111"/>
        <source>user authentication PIN</source>
        <translation>user authentication PIN</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="113"/>
        <source>digital signature password</source>
        <translation>digital signature password</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="115"/>
        <source>PIN for the basic information (券面事項入力補助)</source>
        <translation>PIN for the basic information (券面事項入力補助)</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="124"/>
        <source>Sign in with your card (prove who you are)</source>
        <translation>Sign in with your card (prove who you are)</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="126"/>
        <source>Make an electronic signature</source>
        <translation>Make an electronic signature</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="128"/>
        <source>Read your signature certificate (it contains your name, address, birth date and sex)</source>
        <translation>Read your signature certificate (it contains your name, address, birth date and sex)</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="132"/>
        <source>Change this PIN</source>
        <translation>Change this PIN</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="134"/>
        <source>Read your My Number and your name, address, birth date and sex</source>
        <translation>Read your My Number and your name, address, birth date and sex</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="141"/>
        <source>My Number Card PIN</source>
        <translation>My Number Card PIN</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="157"/>
        <source>Your %1 is blocked</source>
        <translation>Your %1 is blocked</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="159"/>
        <source>Choose your new %1</source>
        <translation>Choose your new %1</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="161"/>
        <source>Enter the new %1 again</source>
        <translation>Enter the new %1 again</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="163"/>
        <source>Enter your %1</source>
        <translation>Enter your %1</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="190"/>
        <source>Requested by: %1</source>
        <translation>Requested by: %1</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="192"/>
        <source>Requested by:</source>
        <translation>Requested by:</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="194"/>
        <source>Purpose: %1</source>
        <translation>Purpose: %1</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="195"/>
        <source>Purpose:</source>
        <translation>Purpose:</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="197"/>
        <source>Card reader: %1</source>
        <translation>Card reader: %1</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="198"/>
        <source>Card reader:</source>
        <translation>Card reader:</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="201"/>
        <source>%1 of %2</source>
        <translation>%1 of %2</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="202"/>
        <source>Tries left: %1</source>
        <translation>Tries left: %1</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="203"/>
        <source>Tries left:</source>
        <translation>Tries left:</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="216"/>
        <location filename="../pin_dialog.cpp" line="217"/>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="229"/>
        <source>Time left</source>
        <translation>Time left</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="235"/>
        <location filename="../pin_dialog.cpp" line="456"/>
        <source>This dialog closes in %1 seconds.</source>
        <translation>This dialog closes in %1 seconds.</translation>
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
        <translation>Sends the PIN to the card</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="242"/>
        <location filename="../pin_dialog.cpp" line="243"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="244"/>
        <source>Closes the dialog; no try is used</source>
        <translation>Closes the dialog; no try is used</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="278"/>
        <source>%1 digits</source>
        <translation>%1 digits</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="279"/>
        <source>%1 to %2 characters: capital letters A–Z and digits, at least one of each. Lower-case letters become capitals as you type.</source>
        <translation>%1 to %2 characters: capital letters A–Z and digits, at least one of each. Lower-case letters become capitals as you type.</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="284"/>
        <source>&amp;PIN:</source>
        <translation>&amp;PIN:</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="309"/>
        <source>PIN format</source>
        <translation>PIN format</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="315"/>
        <source>PIN check</source>
        <translation>PIN check</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="337"/>
        <source>Digit %1</source>
        <translation>Digit %1</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="337"/>
        <source>Types %1</source>
        <translation>Types %1</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="343"/>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="343"/>
        <source>Deletes the last digit</source>
        <translation>Deletes the last digit</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="346"/>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="346"/>
        <source>Deletes every digit</source>
        <translation>Deletes every digit</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="365"/>
        <source>Only one try is left. If this PIN is wrong, it is blocked and must be reset at your municipal office.</source>
        <translation>Only one try is left. If this PIN is wrong, it is blocked and must be reset at your municipal office.</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="373"/>
        <source>I have checked the PIN and want to use the &amp;last try</source>
        <translation>I have checked the PIN and want to use the &amp;last try</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="375"/>
        <source>OK is enabled only when this is ticked</source>
        <translation>OK is enabled only when this is ticked</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="386"/>
        <source>It was blocked after too many wrong entries. It can be reset at your municipal office (市区町村の窓口); bring your card.</source>
        <translation>It was blocked after too many wrong entries. It can be reset at your municipal office (市区町村の窓口); bring your card.</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="390"/>
        <source>If you know your other PIN (the user authentication PIN or the digital signature password), the convenience-store kiosk service may also reset it.</source>
        <translation>If you know your other PIN (the user authentication PIN or the digital signature password), the convenience-store kiosk service may also reset it.</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="394"/>
        <source>Why no PIN is asked</source>
        <translation>Why no PIN is asked</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="435"/>
        <source>The PIN has %1 digits; %2 entered so far.</source>
        <translation>The PIN has %1 digits; %2 entered so far.</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="438"/>
        <source>The password needs at least %1 characters; %2 entered so far.</source>
        <translation>The password needs at least %1 characters; %2 entered so far.</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="443"/>
        <source>The password needs at least one letter and one digit.</source>
        <translation>The password needs at least one letter and one digit.</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="446"/>
        <source>This is not a valid PIN.</source>
        <translation>This is not a valid PIN.</translation>
    </message>
    <message>
        <location filename="../pin_dialog.cpp" line="186"/>
        <source>%1 (process %2)</source>
        <translation>%1 (process %2)</translation>
    </message>
    <message>
        <source>Allow this program to use the last try?</source>
        <translation>Allow this program to use the last try?</translation>
    </message>
    <message>
        <source>Allow</source>
        <translation>Allow</translation>
    </message>
    <message>
        <source>Lets the program send its PIN as the last try</source>
        <translation>Lets the program send its PIN as the last try</translation>
    </message>
    <message>
        <source>The program&apos;s PIN is not sent; no try is used</source>
        <translation>The program&apos;s PIN is not sent; no try is used</translation>
    </message>
    <message>
        <source>The program supplied the PIN itself; it was not typed in this dialog. The card has only one try left for your %1: if this PIN is wrong, the PIN is blocked and can only be reset at your municipal office (市区町村の窓口).</source>
        <translation>The program supplied the PIN itself; it was not typed in this dialog. The card has only one try left for your %1: if this PIN is wrong, the PIN is blocked and can only be reset at your municipal office (市区町村の窓口).</translation>
    </message>
    <message>
        <source>Why you are asked</source>
        <translation>Why you are asked</translation>
    </message>
    <message>
        <source>I trust this program&apos;s PIN and allow it to use the &amp;last try</source>
        <translation>I trust this program&apos;s PIN and allow it to use the &amp;last try</translation>
    </message>
    <message>
        <source>Allow is enabled only when this is ticked</source>
        <translation>Allow is enabled only when this is ticked</translation>
    </message>
    <message>
        <source>An unknown program</source>
        <translation>An unknown program</translation>
    </message>
    <message>
        <source>process %1; the system does not say which program runs there</source>
        <translation>process %1; the system does not say which program runs there</translation>
    </message>
    <message>
        <source>It calls itself &quot;%1&quot;; the name above is what the system reports.</source>
        <translation>It calls itself &quot;%1&quot;; the name above is what the system reports.</translation>
    </message>
</context>
</TS>
