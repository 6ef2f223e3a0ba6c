// The program that builds the unit tests' shared precompiled header
// (CMakeLists.txt). It is never run and registers no test.

int main() {
    return 0;
}
