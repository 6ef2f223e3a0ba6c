#pragma once

// QTemporaryDir for the GUI tests: removed afterwards, unless the run keeps
// test output for the secrets scan (MYNACARD_KEEP_TEST_OUTPUT=1, as
// tests/support/temp_dir.h), so the scan sees what the helper wrote there.

#include <QTemporaryDir>
#include <QtGlobal>

class ScratchDir : public QTemporaryDir {
  public:
    ScratchDir() { setAutoRemove(qEnvironmentVariable("MYNACARD_KEEP_TEST_OUTPUT") != "1"); }
};
