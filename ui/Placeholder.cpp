namespace cwb::ui { int placeholder() { return 0; } }
