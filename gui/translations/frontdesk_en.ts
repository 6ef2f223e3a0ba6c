<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>mynacard::gui::ReceptionWindow</name>
        <message numerus="yes">
            <source>%n export(s) pending: the folder cannot be written now; retried automatically.</source>
            <translation>
                <numerusform>%n export pending: the folder cannot be written now; retried automatically.</numerusform>
                <numerusform>%n exports pending: the folder cannot be written now; retried automatically.</numerusform>
            </translation>
        </message>
    </context>
</TS>
