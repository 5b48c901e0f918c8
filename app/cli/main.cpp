#include <cstdio>
int main() { std::puts("cwb " CWB_VERSION); return 0; }
