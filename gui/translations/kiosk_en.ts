<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>mynacard::gui::KioskWindow</name>
        <message numerus="yes">
            <source>PIN: %n digit(s) entered</source>
            <translation>
                <numerusform>PIN: %n digit entered</numerusform>
                <numerusform>PIN: %n digits entered</numerusform>
            </translation>
        </message>
    </context>
</TS>
