namespace cwb { const char* version() { return CWB_VERSION; } }
